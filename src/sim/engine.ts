// The engine: a virtual clock with an event queue, the VMM that builds and
// runs the three environments from a board, the bus every access goes
// through, and the output (console text, events, accesses, transactions) the
// UI drains. It knows nothing of the shell: simulation.ts plugs the command
// registry in, so commands can depend on the engine without a circle.

import { refreshPolicyOf, systemWatchdogOf } from '../model/board.ts';
import { KINDS, NETWORK_KINDS, PROTECTION_WORDS } from '../model/catalog.ts';
import type { Board, Component, Diagnostic } from '../model/types.ts';
import { bootBlockers, check } from '../model/check.ts';
import { vmMemory } from '../model/memory.ts';
import { profile } from '../model/profiles.ts';
import type { AccessRecord, ConsoleChunk, SimEvent, SimOutput, Transaction, VmId, VmStatus } from './types.ts';
import { VM_IDS, VM_NAMES, pauseHow } from './types.ts';
import { EventQueue } from './eventQueue.ts';
import { Random, hash32 } from './random.ts';
import { MemoryMap, ownerOf } from './memoryMap.ts';
import { Firewall, effectiveProtection, masterEnv, type Decision, type Op } from './firewall.ts';
import { Bus } from './hw/bus.ts';
import { Guest, type GuestHost } from './guest.ts';
import { PlainFiles, RootFiles } from './fs.ts';
import { PROMPTS, bootLog, deviceNodes, fitServices, kernelKiB, kernelPanic, rtFiles, servicesOf, unameAll, utsnameOf, type Utsname } from './images.ts';
import { AppData } from './storage/appData.ts'; // storage: /data on the paravirtual flash
import { devicesOf } from './devices.ts';
import { HOST_NS, Supervisor, type AppEvent } from './apps/index.ts';
import {
  HotSpare, RefreshPlanner, Refresher, UpdateService, appOfPath, builtinApps, compose, factoryConfig, isExempt, measure, parsePart,
  driverModule, imagesArch, panicTimeoutS, partDowntimeMs, partPaths, recordMaster, refreshPart, SYSTEM_PANIC_S, SYSTEM_PANIC_WORDS, trustForBoard, imageCheckerOf,
  type BootConfig, type Composed, type FragmentEvent, type MasterRecord, type GuestFs as RootFs, type RefreshPart, type RootVolume, type Trust,
} from './fragments/index.ts';

export interface SimulationOptions {
  seed?: number;
  /**
   * Background traffic: networkd's heartbeat every 10 s and application
   * traffic through the paravirtual network every second. Off by default so
   * transcripts stay about what the participant did.
   */
  background?: boolean;
}

/** Console text and events in the order they happened (the CLI prints this). */
export type OrderedOutput = { console: ConsoleChunk } | { event: SimEvent };

export type RefreshReason = 'schedule' | 'crash' | 'hang' | 'compromise' | 'manual';

const MAX_ACCESSES = 2000;
/** Why the system VM restarts, by the reason of its refresh (the VMM runs inside it, so it cannot refresh it). */
const SYSTEM_RESET: Record<RefreshReason, string> = {
  crash: `kernel panic, rebooting ${SYSTEM_PANIC_WORDS}`,
  hang: 'hardware watchdog expired (no heartbeat)',
  schedule: 'scheduled reboot',
  compromise: 'the security processor found the kernel changed',
  manual: 'reboot requested',
};

/**
 * Whether the whole SoC resets when the system VM does. With virtualization extensions the
 * hypervisor (EL2, HYP mode on ARMv7) is under the system VM: the kernel's reset request, a PSCI
 * SYSTEM_RESET call (Arm DEN0022), traps to it, and a physical interrupt routed to it (HCR.IMO) is
 * not masked by a guest's CPSR.I, so a hardware watchdog's first timeout (Arm's SP805 raises its
 * interrupt then, and drives its reset output only on a second, unanswered one) reaches it too: it
 * restarts the system VM alone. On mcu-16 (Cortex-A5: no virtualization extensions) nothing sits
 * under the system VM: it is the TrustZone secure world, its monitor firmware at the same privilege
 * (Secure PL1, Arm ARM DDI 0406C B1.3.1), and both worlds share the one Cortex-A5 core, the normal
 * world running only when the secure world hands the core over. SYSTEM_RESET resets the system, and
 * a hung secure kernel with interrupts masked (CPSR.F masks FIQs in the Secure state) never takes
 * the watchdog's interrupt: its second timeout resets the SoC.
 */
function resetsSoc(board: Board): boolean {
  return profile(board.soc).cpuIsolation === 'trustzone';
}

/** How the system VM's restart comes about, by the reason of its refresh. */
function systemResetPath(reason: RefreshReason, board: Board): string {
  if (resetsSoc(board)) {
    return reason === 'hang'
      ? "the watchdog's interrupt, at its first timeout, was masked by the hung kernel; its second timeout drove the reset output, and the whole SoC resets"
      : 'its reset request (PSCI SYSTEM_RESET) goes to the secure monitor, which resets the whole SoC: no hypervisor is under the System VM to restart it alone';
  }
  return reason === 'hang'
    ? "the watchdog's interrupt goes to the hypervisor, which restarts the System VM alone"
    : 'its reset request (PSCI SYSTEM_RESET) goes to the hypervisor, which restarts the System VM alone';
}

/**
 * What the VMM's refresh line says of the boot that follows: the VMM starts a refreshed application
 * VM's kernel with `quiet` (Documentation/admin-guide/kernel-parameters.txt: "Disable most log
 * messages"); boot() then writes the kernel's lines and init's to dmesg only, and the console keeps
 * what led to the refresh in view.
 */
const QUIET = '`quiet` (`dmesg` shows its boot messages)';

/** How long the system VM's watchdog waits for a heartbeat before it acts. */
export const WATCHDOG_TIMEOUT_MS = 5000;
/** How often a waiting VMM action looks again whether the system VM is back. */
const VMM_RETRY_MS = 250;
/** How long until the security processor's next measurement of the system VM kernel. */
export const SYSTEM_MEASURE_MS = 2000;

/**
 * Composing a configuration hashes every byte of it (a megabyte of kernel): the
 * result is a pure function of the configuration and the trust, so it is kept
 * for the built-in configurations, which nothing changes (a command that
 * tampers with a fragment must make a new object, which is verified afresh).
 * The simulated verification time is still paid at every boot.
 */
const composed = new WeakMap<BootConfig, Map<string, Composed>>();
function composeOnce(config: BootConfig, trust: Trust): Composed {
  let byTrust = composed.get(config);
  if (!byTrust) composed.set(config, (byTrust = new Map()));
  const key = `${trust.keyHolder}|${trust.accelerator}|${Array.from(trust.publicKey).join(',')}`;
  let c = byTrust.get(key);
  if (!c) byTrust.set(key, (c = compose(config, trust)));
  return c;
}

/** The host's record of a master image: a volume is immutable, so it is recorded once. */
const records = new WeakMap<RootVolume, MasterRecord>();
function recordOf(volume: RootVolume): MasterRecord {
  let r = records.get(volume);
  if (!r) records.set(volume, (r = recordMaster(volume)));
  return r;
}

export abstract class Engine implements GuestHost {
  readonly board: Board;
  readonly map: MemoryMap;
  readonly firewall: Firewall;
  /** The one bus every access takes (stage-2, firewall or IOMMU, then the target). */
  readonly bus: Bus;
  readonly rng: Random;
  readonly guests: Record<VmId, Guest>;
  /** The Linux VMs' file trees (their guests' `fs`), which boot mounts volumes into. */
  private readonly roots: Record<'system' | 'app', RootFiles>;
  /** The application VM's user-data store (/data): outlives every refresh. */
  readonly userData: AppData['store'];
  /** Where /data lives (vda on the shared flash, a passed-through flash, or RAM) and its block device. */
  readonly storage: AppData;
  private readonly queue = new EventQueue();
  private clock = 0;
  /** The boot configurations of the system and application images, with their update slots. */
  readonly updates: UpdateService;
  /** The host's side of the application VM's refreshes: /data's scan and the quarantine. */
  readonly refresher: Refresher;
  /** The root volume each Linux VM booted last (its kernel release names `uname`). */
  readonly volumes: Partial<Record<'system' | 'app', RootVolume>> = {};
  /** The application VM's supervisor and process table: a new one at each boot of that VM. */
  apps: Supervisor | null = null;
  /** How many scheduled events have run (the cost of a fast-forward). */
  eventsRun = 0;
  /** How many engine events (CONTRACT §5) have been emitted. */
  private eventsEmitted = 0;
  private out: OrderedOutput[] = [];
  private accessLog: AccessRecord[] = [];
  private memory = new Map<string, Map<number, number>>();
  private landedWrites = new Map<string, number>();
  private powered = false;
  private powerEpoch = 0;
  private readonly background: boolean;
  private altBuses = new Map<boolean, Bus>();

  constructor(board: Board, options: SimulationOptions = {}) {
    this.board = copyBoard(board);
    this.rng = new Random(options.seed ?? 1);
    this.background = options.background ?? false;
    this.map = new MemoryMap(this.board);
    this.bus = new Bus(this.board, this.map);
    this.firewall = this.bus.firewall;
    this.storage = new AppData(this); // storage
    this.userData = this.storage.store; // storage
    // The overlay is a tmpfs of the default size: half of the RAM the kernel manages, MemTotal, not of
    // the VM's whole RAM (mm/shmem.c: shmem_default_max_blocks() is totalram_pages() / 2).
    const halfRam = (vm: 'system' | 'app') => vmMemory(this.board, vm).totalKiB * 1024 / 2;
    this.roots = {
      system: new RootFiles(deviceNodes(this.board, 'system'), undefined, halfRam('system')),
      app: new RootFiles(deviceNodes(this.board, 'app'), this.storage, halfRam('app')),
    };
    this.guests = {
      system: new Guest('system', VM_NAMES.system, PROMPTS.system, this.roots.system, this),
      app: new Guest('app', VM_NAMES.app, PROMPTS.app, this.roots.app, this),
      rt: new Guest('rt', VM_NAMES.rt, PROMPTS.rt, new PlainFiles(rtFiles(this.board)), this),
    };
    const env = {
      trust: trustForBoard(this.board),
      clock: { now: () => this.clock },
      emit: ({ type, vm, message, t: _t, ...details }: FragmentEvent) => void this.emit(type, vm, message, [vm], details),
      compose: composeOnce,
    };
    const arch = imagesArch(this.board);
    this.updates = new UpdateService({ system: factoryConfig('system', arch), app: factoryConfig('app', arch) }, { ...env, compose: composeOnce });
    this.refresher = new Refresher(this.userData, builtinApps(arch), env);
  }

  // ---- clock -------------------------------------------------------------

  get now(): number {
    return this.clock;
  }

  schedule(delayMs: number, action: () => void): void {
    this.queue.push(this.clock + Math.max(0, delayMs), action);
  }

  /**
   * Lets `ms` of simulated time pass, running everything scheduled until then. `quietUntil`
   * (a time at or past that end) is the caller's promise to change nothing in the simulation
   * before then, draining its output aside: a periodic check that finds nothing may then be
   * passed over up to it.
   */
  advance(ms: number, quietUntil?: number): void {
    const until = this.clock + Math.max(0, ms);
    this.horizon = Math.max(until, quietUntil ?? until);
    for (let t = this.queue.peekTime(); t !== null && t <= until; t = this.queue.peekTime()) {
      const action = this.queue.pop();
      this.clock = t;
      this.eventsRun++;
      action();
    }
    this.horizon = -Infinity;
    this.clock = until;
  }

  /** Until when nothing outside changes the simulation in the advance() running now: no event may be skipped past it (−∞ outside advance()). */
  private horizon = -Infinity;

  nextEventTime(): number | null {
    return this.queue.peekTime();
  }

  /** Skips to the next scheduled instant and runs everything due then. */
  runToNextEvent(): void {
    const t = this.queue.peekTime();
    if (t !== null) this.advance(t - this.clock);
  }

  /**
   * "Skip to next event": runs the agenda instant by instant until something
   * the timeline shows happens (background traffic does not count), looking at
   * most `horizonMs` ahead. Returns the event's time, or null when nothing
   * happened within the horizon (the clock then stands at its end).
   */
  skipToNextEvent(horizonMs = 24 * 3_600_000): number | null {
    const limit = this.clock + horizonMs;
    const before = this.eventsEmitted;
    for (let t = this.queue.peekTime(); t !== null && t <= limit; t = this.queue.peekTime()) {
      this.advance(t - this.clock);
      if (this.eventsEmitted > before) return this.clock;
    }
    this.advance(limit - this.clock);
    return null;
  }

  /**
   * Advances until nothing is scheduled within `quietMs` of now that a console
   * is waiting on (commands, boots), bounded by `maxMs`. Periodic background
   * work (scheduled refresh, traffic) does not keep it going.
   */
  settle(maxMs = 60_000): void {
    const limit = this.clock + maxMs;
    while (this.clock < limit && this.busy()) {
      const t = this.queue.peekTime();
      if (t === null || t > limit) break;
      this.advance(t - this.clock);
    }
  }

  /** Is any console booting or running a command, or a VM waiting on the VMM? */
  busy(): boolean {
    return VM_IDS.some((vm) => {
      const g = this.guests[vm];
      return g.state === 'booting' || (g.state === 'running' && g.isBusy);
    }) || this.pendingVmm > 0 || this.secmonPending();
  }

  private pendingVmm = 0;

  /**
   * A VMM action that settle() waits for (a refresh after a crash, a watchdog).
   * The VMM runs in the system VM: while that is down, its actions wait for it.
   * Only the SoC's own hardware (resetting the system VM itself) does not.
   */
  private vmmLater(delayMs: number, action: () => void, by: 'vmm' | 'hardware' = 'vmm'): void {
    const epoch = this.powerEpoch;
    this.pendingVmm++;
    const attempt = () => {
      if (epoch !== this.powerEpoch) return;
      if (by === 'vmm' && this.guests.system.state !== 'running') {
        this.schedule(VMM_RETRY_MS, attempt);
        return;
      }
      this.pendingVmm--;
      action();
    };
    this.schedule(delayMs, attempt);
  }

  // ---- output ------------------------------------------------------------

  write(vm: VmId, text: string): void {
    const last = this.out[this.out.length - 1];
    if (last && 'console' in last && last.console.vm === vm) last.console.text += text;
    else this.out.push({ console: { vm, text } });
  }

  emit(type: string, vm: VmId | undefined, message: string, involves: string[], details: Record<string, unknown> = {}): SimEvent {
    const event: SimEvent = { t: this.clock, type, ...(vm ? { vm } : {}), message, involves, ...details };
    this.out.push({ event });
    this.eventsEmitted++;
    return event;
  }

  drain(): SimOutput {
    const console: ConsoleChunk[] = [];
    const events: SimEvent[] = [];
    for (const item of this.drainInOrder()) {
      if ('console' in item) console.push(item.console);
      else events.push(item.event);
    }
    const accesses = this.accessLog;
    this.accessLog = [];
    return { console, events, accesses, transactions: this.bus.drain() };
  }

  /** Console text and events interleaved in order of occurrence (accesses stay for drain()). */
  drainInOrder(): OrderedOutput[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  drainAccesses(): AccessRecord[] {
    const a = this.accessLog;
    this.accessLog = [];
    return a;
  }

  // ---- terminal input ------------------------------------------------------

  keys(vm: VmId, data: string): void {
    const g = this.guests[vm];
    if (!g) return;
    // Down on a powered board (not started yet, crashed, stopped): the console keeps what is typed for
    // the next boot. A hung guest still runs and reads nothing; an unpowered board has no console.
    if (this.powered && !g.alive && g.state !== 'hung') g.hold(data);
    else g.keys(data);
  }

  exec(vm: VmId, line: string): void {
    this.guests[vm]?.exec(line);
  }

  /** The guests whose shell echoes a printable key typed now as itself (Guest.echoesTyping). */
  echoing(): VmId[] {
    return VM_IDS.filter((vm) => this.guests[vm]?.echoesTyping);
  }

  /** Runs one command line in a guest's shell (the command registry, plugged in by Simulation). */
  abstract runLine(guest: Guest, line: string): void;

  abstract completions(guest: Guest, prefix: string): string[];

  // ---- status ------------------------------------------------------------

  status(): VmStatus[] {
    return VM_IDS.map((vm) => {
      const g = this.guests[vm];
      return {
        vm, name: g.name, state: g.state, memoryMiB: this.memoryOf(vm),
        uptimeMs: g.state === 'running' || g.state === 'paused' ? this.clock - g.bootedAt : 0,
        compromised: g.compromised,
      };
    });
  }

  memoryOf(vm: VmId): number {
    if (vm === 'rt') return Math.max(1, this.map.get('rt-ram')!.size / 1048576);
    return this.board.vms[vm].memoryMiB;
  }

  /**
   * What a guest's kernel manages, as `free`'s total shows it (MemTotal): a
   * Linux VM's RAM less what its kernel reserved at boot; the real-time window.
   */
  memTotalKiB(vm: VmId): number {
    return vm === 'rt' ? this.memoryOf('rt') * 1024 : vmMemory(this.board, vm).totalKiB;
  }

  /** A guest's free memory, as its `free` shows it: what its kernel's run-time memory and its processes leave. */
  freeKiB(vm: VmId): number {
    if (vm === 'app' && this.apps) return this.apps.freeKiB();
    return Math.max(0, this.memTotalKiB(vm) - kernelKiB(this.board, vm) - this.guests[vm].processes.reduce((n, p) => n + p.rssKiB, 0));
  }

  // ---- VMM: lifecycle ----------------------------------------------------

  get isPoweredOn(): boolean {
    return this.powered;
  }

  /**
   * Powers the board on, unless the hardware cannot do what it describes
   * (a cannot-boot diagnostic, CONTRACT §3): then nothing starts, a
   * `power.refused` event names each rule, and the rules are returned.
   * Security holes still boot — showing what they let through is the point.
   */
  powerOn(): Diagnostic[] {
    if (this.powered) return [];
    const blockers = bootBlockers(check(this.board));
    if (blockers.length > 0) {
      this.emit('power.refused', undefined,
        `Power on refused: ${blockers.length === 1 ? 'the hardware cannot do what the board describes' : `${blockers.length} things the hardware cannot do`} — ${blockers.map((d) => d.rule).join(', ')}.`,
        blockers.flatMap((d) => (d.component ? [d.component] : [])), { rules: blockers.map((d) => ({ rule: d.rule, component: d.component ?? null, message: d.message })) });
      return blockers;
    }
    this.powered = true;
    const epoch = ++this.powerEpoch;
    this.boot('system');
    this.startOthers();
    for (const vm of ['system', 'app'] as const) {
      const every = this.board.vms[vm].refresh?.everySeconds;
      if (typeof every === 'number' && every > 0) this.periodic(epoch, every * 1000, () => this.scheduledRefresh(vm));
    }
    this.periodic(epoch, refreshPolicyOf(this.board, 'app').measureEverySeconds * 1000, () => this.secmonTick());
    if (this.background) {
      this.periodic(epoch, 10_000, () => this.heartbeat());
      this.periodic(epoch, 1000, () => this.appTraffic());
    }
    return [];
  }

  powerOff(): void {
    if (!this.powered) return;
    this.powered = false;
    this.storage.powerLost(); // storage: a RAM /data is gone, flash keeps its bits
    this.powerEpoch++;
    this.pendingVmm = 0;
    this.queue.clear();
    this.hotSpare?.stop();
    this.hotSpare = null;
    this.outOfServiceSince = {};
    this.stopAppSchedules();
    for (const vm of VM_IDS) {
      const g = this.guests[vm];
      if (g.state === 'off') continue;
      g.newLife('off');
      g.compromised = false;
      g.compromiseKnown = false;
      this.emit('vm.stop', vm, `${g.name} stopped: the board was powered off.`, [vm]);
    }
  }

  /** One scheduled measurement by secmon (in the system VM) of each running guest; true when there was nothing to measure. */
  private secmonTick(): boolean {
    if (this.guests.system.state !== 'running') return true;
    let idle = true;
    for (const vm of ['app', 'rt'] as const) {
      if (this.guests[vm].state !== 'running' || !this.secmonDue(vm)) continue;
      idle = false;
      this.secmonCheck(vm, 'secmon');
    }
    return idle;
  }

  /**
   * `action` every `everyMs` from power-on. An action that says it was idle (returns true) changed
   * nothing, so every following one would find the same until some other event runs: those are
   * counted as run and passed over at once, up to the next other event or the end of the running
   * advance() (or its quietUntil), and the next one is scheduled at its own time. The same actions
   * at the same instants, in the same order among the other events; secmon's measurements in a
   * day's sleep are 8,640 of them.
   */
  private periodic(epoch: number, everyMs: number, action: () => boolean | void): void {
    const tick = () => {
      if (epoch !== this.powerEpoch) return;
      const idle = action() === true;
      let next = this.clock + everyMs;
      if (idle) {
        const other = this.queue.peekTime() ?? Infinity;
        for (; next <= this.horizon && next < other; next += everyMs) this.eventsRun++;
      }
      this.queue.push(next, tick);
    };
    this.schedule(everyMs, tick);
  }

  /**
   * Boots a VM. A Linux VM's root volume is composed from its boot
   * configuration first (every fragment's signature and file hashes checked,
   * which takes simulated time); a configuration that does not compose, or
   * whose kernel finds no init, does not boot. The overlay starts empty (its
   * upper layer is a tmpfs): only /data outlives a boot. `quiet`: the kernel command line has `quiet` (the VMM's
   * refreshes), so only the image check reaches the console; the kernel's and
   * init's messages are in dmesg alone, and what the console showed before the
   * refresh stays in view.
   */
  boot(vm: VmId, quiet = false): void {
    const g = this.guests[vm];
    g.newLife('booting');
    g.bootedAt = this.clock;
    let root: { verifyMs: number; verified: string; init: string } | undefined;
    this.foreignWrites.delete(`${vm}-ram`);
    if (vm !== 'rt') {
      let r = this.updates[vm].boot();
      if (!r.ok) return this.bootFailed(vm, r);
      if (vm === 'app') {
        // The master image: the OS image with the apps installed from their own packages.
        const inst = this.refresher.install(this.updates.app.good);
        if (!inst.ok) return this.bootFailed(vm, { ...inst, fellBack: false });
        r = { ...r, volume: inst.volume, verifyMs: inst.verifyMs };
        this.installedApps = inst.reinstalled;
      }
      this.roots[vm].mount(r.volume);
      this.volumes[vm] = r.volume;
      const trust = trustForBoard(this.board);
      root = {
        // The agenda keeps whole milliseconds.
        verifyMs: Math.ceil(r.verifyMs), init: r.init,
        verified: `verify: ${r.volume.fragments.length} signed fragments of ${r.volume.label} (${Math.ceil(r.volume.bytes / 1024)} KiB) checked in ${r.verifyMs} ms `
          + `${imageCheckerOf(this.board)} against the vendor key held by the ${trust.keyHolder}; root volume mounted read-only`,
      };
    }
    this.startProcesses(g, vm);
    const lines = bootLog(this.board, vm, () => this.rng.int(0, 20), this.uname(vm), root);
    // The image check runs before the kernel does (the VMM's, or the bootloader's for the system VM): it is on
    // the console, not in the kernel's log, whose clock starts with the kernel.
    g.startKernel(this.clock + (root?.verifyMs ?? 0));
    for (const [t, text] of lines) {
      g.inThisLife(t, () => {
        if (text !== root?.verified) g.logKernel(this.clock, text);
        if (!quiet || text === root?.verified) g.write(text + '\r\n');
      });
    }
    const end = lines[lines.length - 1][0] + 40;
    if (vm === 'app') {
      this.appBootMs = end;
      // The hot spare boots alongside the first instance, from the same image, and takes as long.
      if (this.board.vms.app.hotSpare && !this.hotSpare) {
        this.hotSpare = new HotSpare(true, end, { now: () => this.clock, schedule: (ms, fn) => this.schedule(ms, fn) });
        this.hotSpare.start();
      }
    }
    g.inThisLife(end, () => {
      g.state = 'running';
      g.bootedAt = this.clock;
      // Each driver probes its device's registers; paravirtual drivers ring their queue.
      const devs = devicesOf(this.board, vm);
      for (const d of devs) {
        if (d.access === 'direct') this.busAccess(`cpu:${vm}`, d.id, 'read', 0, 0, true);
        else this.busAccess('cpu:app', 'pv-buffers', 'write', 0, 1, true);
      }
      const direct = devs.filter((d) => d.access === 'direct').map((d) => d.id);
      const pv = devs.filter((d) => d.access === 'paravirtual').map((d) => d.id);
      const seen = [
        direct.length ? `${direct.join(', ')} passed through` : 'no device of its own',
        ...(pv.length ? [`${pv.join(', ')} as ${pv.length === 1 ? 'a paravirtual device' : 'paravirtual devices'} served by the system VM`] : []),
      ].join('; ');
      const down = this.outOfServiceSince[vm];
      delete this.outOfServiceSince[vm];
      this.emit('vm.boot', vm, `${g.name} booted with ${this.memoryOf(vm)} MiB: ${seen}.`
        + (down !== undefined ? ` It was out of service for ${this.clock - down} ms.` : ''), [vm, ...this.ownedComponents(vm)], {
        memoryMiB: this.memoryOf(vm), ...(down !== undefined ? { downtimeMs: this.clock - down } : {}),
      });
      if (vm === 'app') this.startAppSchedules();
      g.ready();
    });
  }

  /** A new life's processes: init and the VM's services (and the application VM's supervisor), nothing of the old life. */
  private startProcesses(g: Guest, vm: VmId): void {
    g.cwd = vm === 'rt' ? '/' : '/root';
    g.processes = [];
    g.nextPid = 1;
    g.spawnInto = vm === 'app' ? this.startSupervisor(g) : undefined;
    for (const [name, rss] of fitServices(servicesOf(vm, this.systemWatchdog() !== undefined), this.memTotalKiB(vm), kernelKiB(this.board, vm))) g.spawn(name, rss);
  }

  /**
   * A fresh supervisor for a new life of the application VM: its clock is the
   * engine's, through `inThisLife`, so nothing of an old life fires after a
   * reboot or refresh. Returns how the VM's own processes join its table.
   */
  private startSupervisor(g: Guest): NonNullable<Guest['spawnInto']> {
    const sup = new Supervisor({
      board: this.board,
      clock: { now: () => this.clock, schedule: (ms, fn) => g.inThisLife(ms, fn) },
      rng: this.rng,
      sink: (e: AppEvent) => {
        const { type, vm: _vm, message, ...details } = e;
        this.emit(type, 'app', message, ['app'], details);
        const text = `[supervisor] ${message}`;
        if (g.isBusy) g.write(text + '\r\n');
        else g.notify(text);
      },
      serialize: this.board.vms.app.serializeLaunches ?? true,
    });
    this.apps = sup;
    return (name, rssKiB) => {
      // init and the supervisor are the table's own first two processes.
      // On a small VM they are a smaller build too: they take the size fitServices gave them.
      const first = sup.table.list(HOST_NS).find((q) => q.command === name && q.hostPid <= 2);
      if (first) first.rssKiB = rssKiB;
      const p = first ?? sup.table.spawn({ command: name, ns: HOST_NS, ppid: 1, rssKiB });
      return {
        pid: p.hostPid, name,
        get rssKiB() { return p.rssKiB; },
        set rssKiB(kib: number) { p.rssKiB = kib; },
      };
    };
  }

  /** A boot configuration that did not come up: the bootloader's or the kernel's last words, then a retry if an update is on trial. */
  private bootFailed(vm: 'system' | 'app', r: { reason: string; verifyMs: number; fellBack: boolean; attempt?: number; log?: string[] }): void {
    const g = this.guests[vm];
    g.inThisLife(Math.ceil(r.verifyMs), () => {
      // A kernel that found no init panics in its first task, PID 1 before it could exec anything.
      const panicked = r.reason.startsWith('Kernel panic');
      const lines = panicked
        ? [...(r.log ?? []), ...kernelPanic(r.reason, { pid: 1, comm: 'swapper/0' }, panicTimeoutS(vm))]
        : [`verify: boot refused: ${r.reason}`];
      // Only a kernel that ran has a log, a new one from its start (it fails at once here); a refusal before it is the bootloader's.
      g.startKernel(this.clock);
      if (panicked) for (const line of lines) g.logKernel(this.clock, line);
      g.write(lines.join('\r\n') + '\r\n');
      g.newLife('crashed');
      const retry = r.attempt !== undefined || r.fellBack;
      // Who starts the next attempt: the system VM's own kernel asks for a reset SYSTEM_PANIC_S after a panic
      // (its panic= parameter), which the layer under it carries out; a boot the bootloader refused goes on
      // at once in the bootloader; the VMM starts the application VM again.
      const soc = vm === 'system' && panicked && resetsSoc(this.board);
      const who = vm !== 'system' ? 'the VMM starts it again and ' : !panicked ? ''
        : soc ? `its kernel asks the secure monitor for a reset ${SYSTEM_PANIC_WORDS}, which resets the whole SoC (${this.othersWhenSystemDown()} until then), and `
        : `its kernel asks the hypervisor for a reset ${SYSTEM_PANIC_WORDS} and `;
      const next = r.fellBack ? `; ${who}the bootloader boots the last known-good ${this.updates[vm].good.label}.`
        : retry ? `; ${who}the bootloader tries again.` : '; it stays down.';
      this.emit('vm.crash', vm, `${g.name} failed to boot (${r.reason.replace(/\.\s.*$/, '').replace(/\.$/, '')})${next}`, [vm], { cause: 'boot-failed' });
      if (soc) this.stopAppWithSystem('panicked');
      if (r.fellBack) this.updates[vm].announceFallback();
      if (retry) {
        this.vmmLater(vm === 'system' && panicked ? SYSTEM_PANIC_S * 1000 : 1000, () => {
          this.boot(vm);
          if (soc) this.resetWithSoc();
        }, vm === 'system' ? 'hardware' : 'vmm');
      }
    });
  }

  /** The root file system a Linux VM has mounted (fragments' GuestFs), or null (the real-time container, or before its first boot). */
  rootFs(vm: VmId): RootFs | null {
    return vm === 'rt' ? null : this.roots[vm].root;
  }

  /** uname(2) of an environment (its kernel release is the one in the volume it booted). */
  utsname(vm: VmId): Utsname {
    return utsnameOf(this.board, vm, vm === 'rt' ? undefined : this.volumes[vm]?.settings['kernel.release']);
  }

  /** `uname -a` of an environment. */
  uname(vm: VmId): string {
    return unameAll(this.utsname(vm));
  }

  ownedComponents(vm: VmId): string[] {
    const domains = vm === 'system' ? ['system', 'shared'] : vm === 'app' ? ['app', 'shared'] : ['rt'];
    return this.board.components.filter((c) => c.domain !== null && domains.includes(c.domain)).map((c) => c.id).sort();
  }

  stopVm(vm: VmId, why = 'stopped by the VMM'): void {
    const g = this.guests[vm];
    if (g.state === 'off' || g.state === 'stopped') return;
    g.newLife('stopped');
    g.write(`\r\n[vmm] ${g.name} ${why}\r\n`);
    this.emit('vm.stop', vm, `${g.name} ${why}.`, [vm]);
  }

  startVm(vm: VmId): boolean {
    const g = this.guests[vm];
    if (g.alive) return false;
    this.boot(vm);
    return true;
  }

  /** Freezes a running VM: its CPUs stop, its memory, files and processes stay as they are. */
  pauseVm(vm: VmId): boolean {
    if (this.guests[vm].state !== 'running') return false;
    this.freeze(vm, `is paused by the VMM: ${pauseHow(vm)}`, [vm]);
    return true;
  }

  /** Its CPUs stop (a guest's steps wait while it is paused), and the timeline says why. */
  private freeze(vm: VmId, why: string, involves: string[]): void {
    const g = this.guests[vm];
    g.state = 'paused';
    this.emit('vm.pause', vm, `${g.name} ${why}.`, involves);
  }

  /** The VMM in the system VM starts the application VM and the real-time container, once the system VM runs. */
  private startOthers(): void {
    this.vmmLater(900, () => this.boot('app'));
    this.vmmLater(950, () => this.boot('rt'));
  }

  resumeVm(vm: VmId): boolean {
    const g = this.guests[vm];
    if (g.state !== 'paused') return false;
    this.emit('vm.resume', vm, `${g.name} resumes where it was paused.`, [vm]);
    g.resume();
    return true;
  }

  /** Restart without reloading the image (the `reboot` command). */
  rebootVm(vm: VmId): void {
    const g = this.guests[vm];
    const soc = vm === 'system' && resetsSoc(this.board);
    g.newLife('stopped');
    // Its reset request (PSCI SYSTEM_RESET) restarts it alone under a hypervisor, the whole SoC without one (resetsSoc).
    this.emit('vm.stop', vm, `${g.name} is rebooting${soc ? ': its reset request resets the whole SoC' : ''}.`, [vm], { reboot: true });
    g.write('\r\n');
    this.boot(vm);
    if (soc) this.resetWithSoc();
    // A reboot starts from fresh RAM (boot() forgets what other masters wrote there) and a fresh
    // overlay over the verified root: a compromise that lived there (a DMA or CPU escape's write, a
    // binary dropped outside /data) is gone, as the measurement says.
    if (g.compromised && !(vm === 'app' && this.measureGuest('app').findings.length > 0)) {
      g.compromised = false;
      g.compromiseKnown = false;
    }
  }

  /**
   * Refresh (DOMAIN.md §2): terminate the VM, reload it from its read-only
   * master image (everything outside /data is reset) and start it again.
   */
  refreshVm(vm: VmId, reason: RefreshReason, extra: Record<string, unknown> = {}): void {
    const g = this.guests[vm];
    const why: Record<RefreshReason, string> = {
      schedule: 'on its schedule',
      crash: 'after it crashed',
      hang: 'because the watchdog saw no heartbeat',
      compromise: 'because the security monitor found it compromised',
      manual: 'on request',
    };
    g.newLife('stopped');
    g.fs.resetToImage();
    if (vm === 'app') {
      this.stopAppSchedules();
      // An app the host recorded as the source of a problem is not reinstalled.
      for (const q of this.refresher.quarantineSuspects()) {
        this.guests.system.notify(`[vmm] ${q.name} quarantined: ${q.reason}; it is not reinstalled (vmm quarantine restore ${q.name})`);
        g.write(`\r\n\x1b[33m[vmm] the app ${q.name} was quarantined and is not reinstalled: ${q.reason}\x1b[0m`);
      }
      // /data survives, but not the code someone left in it to survive the refresh.
      this.refresher.scanData();
    }
    g.compromised = false;
    g.compromiseKnown = false;
    // A fresh start from the master image: nothing the old life left in its RAM survives.
    this.memory.delete(`${vm}-ram`);
    const kept = vm === 'app' ? '; /data is kept' : '';
    // What survived: the files left in /data once the scan above took out code that would outlive the refresh.
    const data = vm === 'app' ? [...this.refresher.data.keys()].filter((path) => !path.endsWith('/')).sort() : [];
    const dataKept = vm === 'app' ? { dataKept: data } : {};
    const spare = vm === 'app' ? this.hotSpare?.refresh() : undefined;
    // The switch itself is immediate; a VM that crashed or hung was already out of service until the VMM acted.
    const outage = this.clock - (this.outOfServiceSince[vm] ?? this.clock);
    const downtime = spare?.switched ? { downtimeMs: outage, switched: true } : spare ? { switched: false } : {};
    // The VMM runs in the system VM, so the layer under it restarts the system VM, or the SoC resets (resetsSoc).
    const soc = vm === 'system' && resetsSoc(this.board);
    g.write(vm === 'system'
      ? `\r\n\x1b[33m[reset] ${SYSTEM_RESET[reason]}: ${systemResetPath(reason, this.board)}; it boots again from its read-only master image\x1b[0m\r\n`
      : `\r\n\x1b[33m[vmm] refreshing ${g.name} from its master image (${reason})${spare?.switched ? ': switched to the hot spare' : vm === 'app' ? `; its kernel boots with ${QUIET}` : ''}\x1b[0m\r\n`);
    const who = vm !== 'system' ? `The system VM refreshed the ${g.name}` : soc ? 'The whole SoC reset, and with it the System VM,' : 'The hypervisor restarted the System VM';
    this.emit('vm.refresh', vm,
      `${who} ${why[reason]}: reloaded from the read-only master image${kept}.`
      + (spare?.switched ? ` The hot spare, already booted from that image, took over ${outage === 0 ? 'at once (downtime 0 ms)'
        : `as soon as the VMM acted (downtime ${outage} ms, since the ${g.name} went down)`}; the old instance reboots as the next spare.`
        : spare ? ' The hot spare was still booting, so this is a full boot.' : ''),
      [vm], { reason, ...dataKept, ...downtime, ...extra });
    if (spare?.switched) {
      delete this.outOfServiceSince[vm];
      return this.switchToSpare(spare.bootedAt ?? this.clock);
    }
    // Out of service since it went down (a crash, a hang), or from now.
    this.outOfServiceSince[vm] ??= this.clock;
    this.boot(vm, vm === 'app');
    if (soc) this.resetWithSoc();
  }

  /**
   * The rest of the SoC, reset with the system VM where nothing is under it to restart it alone
   * (resetsSoc): the application VM and the real-time container boot again, started by the system
   * VM's VMM, as at power on.
   */
  private resetWithSoc(): void {
    for (const vm of ['app', 'rt'] as const) {
      const g = this.guests[vm];
      if (g.state === 'off') continue;
      this.outOfServiceSince[vm] ??= this.clock;
      g.newLife('stopped');
      g.write('\r\n\x1b[33m[reset] the whole SoC reset with the System VM\x1b[0m\r\n');
      this.emit('vm.stop', vm, `${g.name} stopped: the whole SoC reset with the System VM.`, [vm, 'system'], { reset: true });
    }
    this.startOthers();
  }

  /**
   * Where the system VM and the application VM share the Cortex-A core (resetsSoc), the application VM
   * stops running when the system VM goes down: the secure world, panicking or hung, never hands the
   * core back. The real-time container, on its own core, runs on.
   */
  private stopAppWithSystem(how: string): void {
    const app = this.guests.app;
    if (!resetsSoc(this.board) || (app.state !== 'running' && app.state !== 'booting')) return;
    // A boot under way cannot go on either: its steps, which do not wait out a pause, end with its life.
    if (app.state === 'booting') app.newLife('paused');
    // Out of service from now, not from the SoC's reset: its vm.boot's downtimeMs counts the wait.
    this.outOfServiceSince.app ??= this.clock;
    this.freeze('app', `stopped running: it shares the ${profile(this.board.soc).cores.applicationName} core with the System VM, which ${how} and does not hand the core back`, ['app', 'system']);
  }

  /** What the system VM going down does to the others, in words (stopAppWithSystem does it). */
  private othersWhenSystemDown(): string {
    return resetsSoc(this.board)
      ? `the Application VM, on the same ${profile(this.board.soc).cores.applicationName} core, stops with it; the real-time container runs on`
      : 'the other environments keep running';
  }

  /**
   * The hot spare takes over: an instance already booted from the same master
   * image (same verified volume, apps reinstalled, /data mounted) becomes the
   * application VM at once, with nothing of the old life.
   */
  private switchToSpare(bootedAt: number): void {
    const g = this.guests.app;
    const inst = this.refresher.install(this.updates.app.good);
    if (!inst.ok) return this.bootFailed('app', { ...inst, fellBack: false });
    this.roots.app.mount(inst.volume);
    this.volumes.app = inst.volume;
    this.installedApps = inst.reinstalled;
    this.foreignWrites.delete('app-ram');
    g.newLife('running');
    g.bootedAt = bootedAt; // its uptime, as vmm list shows it, counts from its own boot
    this.startProcesses(g, 'app');
    const u = this.utsname('app');
    // Its log as kept here: its kernel's banner from its own boot, then when it went into service.
    g.startKernel(bootedAt);
    g.logKernel(bootedAt, `Linux version ${u.release} (builder@devicemaker) ${u.version}`);
    g.logKernel(this.clock, 'hot spare: in service');
    g.write('[vmm] this console is now the hot spare instance, booted from the master image\r\n');
    this.startAppSchedules();
    g.ready();
  }

  // ---- the application VM's refresh schedules, hot spare and security monitor --

  /** Apps installed in the application VM's current image, by name. */
  installedApps: string[] = [];
  /** When each VM went out of service for a refresh (its next vm.boot reports the downtime). */
  private outOfServiceSince: Partial<Record<VmId, number>> = {};
  private hotSpare: HotSpare | null = null;
  private planner: RefreshPlanner | null = null;
  /** RAM regions written by another environment's CPU or bus master since their owner last booted, with who wrote them (what a memory measurement finds). */
  private foreignWrites = new Map<string, Set<string>>();
  /** The life of each VM whose findings secmon has already reported. */
  private secmonReported: Partial<Record<VmId, number>> = {};

  /** The part schedules run while the application VM runs (RefreshPlanner, on the engine's clock and seeded source). */
  private startAppSchedules(): void {
    this.planner?.stop();
    const parts = refreshPolicyOf(this.board, 'app').parts;
    const g = this.guests.app;
    const known = { drivers: this.appDrivers(), apps: this.installedApps };
    const schedules = parts.flatMap((s) => {
      const p = parsePart(s.part, known);
      const ok = p.ok && (s.everySeconds !== undefined) !== (s.randomSeconds !== undefined)
        && (!s.randomSeconds || s.randomSeconds[0] <= s.randomSeconds[1]);
      if (!ok) return [];
      return [{
        part: (p as { part: RefreshPart }).part,
        ...(s.everySeconds !== undefined ? { everyMs: s.everySeconds * 1000 } : { random: { minMs: s.randomSeconds![0] * 1000, maxMs: s.randomSeconds![1] * 1000 } }),
      }];
    });
    if (schedules.length === 0) return;
    const epoch = g.epoch;
    this.planner = new RefreshPlanner(schedules, {
      clock: { now: () => this.clock, schedule: (ms, fn) => this.schedule(ms, () => { if (g.epoch === epoch) fn(); }) },
      random: this.rng,
      refresh: (part) => this.refreshPartOf(part, 'schedule'),
    });
    this.planner.start();
  }

  private stopAppSchedules(): void {
    this.planner?.stop();
    this.planner = null;
  }

  /** The drivers of the application VM: one per device it has (passed through or paravirtual). */
  appDrivers(): string[] {
    return devicesOf(this.board, 'app').map((d) => d.id).sort();
  }

  /** The module file of the application VM's kernel that drives a device of it. */
  private readonly appDriverModule = (id: string): string => {
    const d = devicesOf(this.board, 'app').find((x) => x.id === id);
    if (!d) throw new Error(`no device ${id} in the application VM`);
    return driverModule(d.kind, d.access, this.utsname('app').release);
  };

  /**
   * A partial refresh (seed 001): one part of the running application VM is
   * reloaded from the master image; the rest keeps running. The kernel is a
   * reboot of the VM; a driver is unbound, reloaded and probes its device
   * again; an app is stopped and started from its package's files.
   */
  refreshPartOf(part: RefreshPart, reason: RefreshReason): void {
    const g = this.guests.app;
    if (part === 'full') return this.refreshVm('app', reason);
    if (g.state !== 'running') return;
    const root = this.roots.app.root;
    if (part === 'kernel') {
      g.newLife('stopped');
      this.stopAppSchedules();
      // The kernel comes from the image again; the restart, like every boot, starts over an empty overlay (a tmpfs),
      // so every changed file is the image's again, and only /data is kept. The outage is the boot that follows, so
      // its vm.boot reports it (downtimeMs), measured rather than foretold.
      const reset = root ? [...root.overlay.keys()].sort() : [];
      this.emit('vm.refresh', 'app', `The system VM reloaded the ${g.name}'s kernel from its master image ${reason === 'schedule' ? 'on its schedule' : 'on request'} `
        + `(${partPaths(part, this.appDriverModule).join(', ')}): the VM restarts over an empty overlay, as every boot does (a tmpfs), `
        + `${reset.length ? `so ${reset.length} changed file(s) are the image's again` : 'and nothing had changed'}; /data is kept.`,
        ['app'], { reason, part, reset });
      g.write(`\r\n\x1b[33m[vmm] reloading the kernel from the master image (${reason}); it boots with ${QUIET}\x1b[0m\r\n`);
      this.memory.delete('app-ram');
      this.outOfServiceSince.app = this.clock;
      this.boot('app', true);
      return;
    }
    const reset = root ? refreshPart(root, part, this.appDriverModule) : [];
    const ms = partDowntimeMs(part, this.appBootMs);
    const what = part.startsWith('driver:') ? `the driver of ${part.slice(7)}` : `the app ${part.slice(4)}`;
    this.emit('vm.refresh', 'app',
      `The system VM reloaded ${what} in the ${g.name} from its master image ${reason === 'schedule' ? 'on its schedule' : 'on request'} `
      + `(${partPaths(part, this.appDriverModule).join(', ')}: ${reset.length ? `${reset.length} changed file(s) put back` : 'nothing had changed'}); the rest of the VM kept running.`,
      ['app', ...(part.startsWith('driver:') ? [part.slice(7)] : [])], { reason, part, downtimeMs: ms, reset });
    g.notify(`[vmm] ${what} reloaded from the master image (${ms} ms)`);
    if (part.startsWith('driver:')) {
      // The reloaded driver probes its device again.
      const id = part.slice(7);
      const d = devicesOf(this.board, 'app').find((x) => x.id === id);
      if (d?.access === 'direct') this.busAccess('cpu:app', id, 'read');
      else if (d) this.busAccess('cpu:app', 'pv-buffers', 'write', 0, 1);
    }
  }

  /** How long the application VM's last boot took, from power to vm.boot (the downtime of a refresh without a spare). */
  private appBootMs = 0;

  /**
   * secmon in the system VM measures the application VM against its master
   * image: every file outside /data and the overlay's allowed paths (hashes
   * of the read-only volume were checked at mount; what the overlay holds is
   * hashed again), and whether another environment's CPU or bus master wrote its RAM (the VMM
   * can read guest memory). The real-time container, which has no files of
   * its own, is measured by its RAM. The result is findings, never a flag.
   */
  measureGuest(vm: 'app' | 'rt'): { findings: string[]; lines: string[] } {
    const findings: string[] = [];
    const lines: string[] = [];
    if (vm === 'app' && this.volumes.app && this.roots.app.root) {
      const m = measure(recordOf(this.volumes.app), this.roots.app.root);
      findings.push(...m.findings.map((f) => `${f.change} ${f.path}`));
      lines.push(...m.lines);
    }
    const writers = this.foreignWrites.get(`${vm}-ram`);
    if (writers) {
      const who = [...writers].sort().join(', ');
      findings.push(`modified ${vm}-ram (written by ${who})`);
      lines.push(`integrity: ${vm}-ram was written by ${who} since boot`);
    }
    return { findings, lines };
  }

  /** Is there a change secmon has not reported yet (cheap: the overlay's paths and the RAM write marks)? */
  private secmonPending(): boolean {
    if (!this.powered || this.guests.system.state !== 'running') return false;
    return (['app', 'rt'] as const).some((vm) => {
      const g = this.guests[vm];
      return g.state === 'running' && this.secmonDue(vm);
    });
  }

  /** Has secmon something to measure in this guest: a change it has not reported yet could be there? */
  private secmonDue(vm: 'app' | 'rt'): boolean {
    return this.secmonReported[vm] !== this.guests[vm].epoch && this.mayHaveChanged(vm);
  }

  /**
   * Could a measurement find anything? Files still read from the verified
   * read-only volume cannot differ from the record, so only the overlay's
   * paths (outside the allowed ones) and RAM written from outside can.
   */
  private mayHaveChanged(vm: 'app' | 'rt'): boolean {
    if (this.foreignWrites.has(`${vm}-ram`)) return true;
    const root = vm === 'app' ? this.roots.app.root : null;
    if (!root) return false;
    for (const p of root.overlay.keys()) if (!isExempt(p)) return true;
    return false;
  }

  /** One measurement by secmon (on its schedule, or `vmm verify app`): a finding is a compromise, whoever made it. */
  secmonCheck(vm: 'app' | 'rt', by: 'secmon' | 'vmm verify'): { findings: string[]; lines: string[] } {
    const g = this.guests[vm];
    // On its schedule secmon skips the file walk when nothing could differ (the outcome is the same).
    if (by === 'secmon' && !this.secmonDue(vm)) return { findings: [], lines: [] };
    const m = this.measureGuest(vm);
    if (m.findings.length === 0) return m;
    this.secmonReported[vm] = g.epoch;
    g.compromised = true;
    g.compromiseKnown = true;
    // An app whose own files changed is recorded as the source of the problem.
    const apps = [...new Set(m.findings.map((f) => appOfPath(f.slice(f.indexOf(' ') + 1))).filter((a): a is string => a !== null))];
    for (const a of apps) this.refresher.recordProblem(a, `its files changed since the master image (${m.findings.filter((f) => f.includes(`/opt/apps/${a}/`)).join(', ')})`);
    const onCompromise = this.policy(vm).onCompromise;
    const sys = this.guests.system;
    sys.notify(`[secmon] ${g.name}: integrity check found changes since its master image: ${m.findings.join(', ')}`
      + (apps.length ? `\n[secmon] recorded as the source: the app${apps.length > 1 ? 's' : ''} ${apps.join(', ')} (quarantined at the next refresh)` : '')
      + `${onCompromise ? '' : `\n[secmon] the refresh policy does not refresh on compromise: ${g.name} keeps running compromised`}`);
    this.emit('integrity.violation', vm, `${by === 'secmon' ? "The system VM's security monitor" : 'vmm verify'} measured the ${g.name} and found ${m.findings.length} change(s) since its master image.`,
      [vm], { detectedBy: by, knownBy: ['system'], findings: m.findings, ...(apps.length ? { apps } : {}) });
    if (onCompromise) this.refreshVm(vm, 'compromise', { how: m.findings.join(', ') });
    return m;
  }

  /** The real-time container is on the application VM's side (the device maker's code, on its own core) and follows its policy. */
  private policy(vm: VmId): { onCrash: boolean; onCompromise: boolean } {
    return refreshPolicyOf(this.board, vm === 'rt' ? 'app' : vm);
  }

  private scheduledRefresh(vm: 'system' | 'app'): void {
    const g = this.guests[vm];
    // storage: the VMM that refreshes the application VM (and scans its /data through storaged) runs in the system VM.
    if (vm === 'app' && this.guests.system.state !== 'running') return;
    // A scheduled reboot of the system VM is its own timer: a hung system VM runs none.
    if (g.alive || (g.state === 'hung' && vm === 'app')) this.refreshVm(vm, 'schedule');
  }

  /** The hardware watchdog the system VM kicks, if the board assigns one to it: only that resets a hung system VM. */
  systemWatchdog(): string | undefined {
    return systemWatchdogOf(this.board)?.id;
  }

  /** A kernel panic or a fatal failure: the VM dies; the VMM refreshes it if the policy says so. */
  crashVm(vm: VmId, cause: string, extra: Record<string, unknown> = {}): void {
    const g = this.guests[vm];
    g.newLife('crashed');
    this.outOfServiceSince[vm] ??= this.clock;
    const { onCrash } = this.policy(vm);
    this.emit('vm.crash', vm, `${g.name} crashed (${cause}); ${vm === 'system' ? this.othersWhenSystemDown() : 'the other environments keep running'}.`, [vm], { cause, ...extra });
    if (vm === 'system') {
      this.stopAppWithSystem('panicked');
      // No VMM sits above the system VM: its kernel asks for a reset SYSTEM_PANIC_S after the panic (its
      // panic= parameter, Documentation/admin-guide/kernel-parameters.txt), with no watchdog needed.
      this.vmmLater(SYSTEM_PANIC_S * 1000, () => this.refreshVm('system', 'crash', { cause }), 'hardware');
      return;
    }
    if (onCrash) {
      this.vmmLater(1000, () => this.refreshVm(vm, 'crash', { cause }));
    } else {
      this.guests.system.notify(`[vmm] ${g.name} crashed; the refresh policy does not refresh it after a crash, so it stays down (vmm start ${vm})`);
    }
  }

  /** An infinite loop: the VM stops answering; the watchdog notices after WATCHDOG_TIMEOUT_MS. */
  hangVm(vm: VmId): void {
    const g = this.guests[vm];
    g.newLife('hung');
    this.outOfServiceSince[vm] ??= this.clock;
    const wdt = this.systemWatchdog();
    const hungMsg = `${g.name} stopped answering (an infinite loop with interrupts off). Nothing has noticed yet: `;
    if (vm === 'system' && !wdt) {
      // Nothing kicks or watches a watchdog the board did not give the system VM: it stays hung.
      const others = resetsSoc(this.board) ? `${this.othersWhenSystemDown()}; ` : '';
      this.emit('vm.hang', vm, hungMsg + others + 'no hardware watchdog is assigned to the System VM, so nothing will reset it; '
        + 'it stays hung until the board is powered off.', [vm], { knownBy: [] });
      this.stopAppWithSystem('hangs');
      return;
    }
    const watcher = vm === 'system' ? `the hardware watchdog (${wdt})` : 'the system VM\'s watchdog';
    // Where the SoC resets with the system VM, only the watchdog's second timeout acts (resetsSoc).
    const soc = vm === 'system' && resetsSoc(this.board);
    const waitMs = soc ? 2 * WATCHDOG_TIMEOUT_MS : WATCHDOG_TIMEOUT_MS;
    this.emit('vm.hang', vm, hungMsg + (soc
      ? `${this.othersWhenSystemDown()}. ${watcher[0]!.toUpperCase()}${watcher.slice(1)} raises its interrupt after ${WATCHDOG_TIMEOUT_MS / 1000} s without a heartbeat, which the hung kernel has masked; its second timeout resets the whole SoC.`
      : `${watcher} acts after ${WATCHDOG_TIMEOUT_MS / 1000} s without a heartbeat.`), [vm], { knownBy: [], watchdogMs: waitMs });
    if (vm === 'system') this.stopAppWithSystem('hangs');
    const epoch = g.epoch;
    this.vmmLater(waitMs, () => {
      if (g.epoch !== epoch || g.state !== 'hung') return;
      const who = vm === 'system' ? 'the hardware watchdog' : 'the system VM watchdog';
      if (vm !== 'system') this.guests.system.notify(`[${wdt ? 'watchdogd' : 'vmm'}] no heartbeat from ${g.name} for ${WATCHDOG_TIMEOUT_MS / 1000} s`);
      this.refreshVm(vm, 'hang', { detectedBy: who });
    }, vm === 'system' ? 'hardware' : 'vmm');
  }

  /**
   * Marks a VM compromised. The timeline (the omniscient observer) shows it at
   * once; the VM itself and the system VM learn of it only through a mechanism
   * that would really tell them (DOMAIN.md: detection is earned):
   * - the application VM and the real-time container: the system VM's
   *   security monitor measures them against their master image;
   * - the system VM: only a security processor in the system VM measures its
   *   kernel; without one, nothing notices.
   */
  compromise(vm: VmId, how: string, involves: string[], txn?: number): void {
    const g = this.guests[vm];
    const first = !g.compromised;
    g.compromised = true;
    if (!first) return;
    const sp = this.board.components.find((c) => c.kind === 'security-processor' && c.domain === 'system');
    const detector = vm === 'system' ? (sp ? `${sp.id} (security processor)` : null) : 'secmon (system VM)';
    this.emit('vm.compromise', vm, `${g.name} is compromised: ${how}. `
      + (detector ? `It learns of it only when ${detector} measures it.` : 'Nothing on this board measures the system VM, so nobody inside will notice.'),
    // The VM first, then what the attack touched, each once (an attack may name the VM itself).
    [vm, ...involves.filter((x) => x !== vm)], { how, knownBy: [], ...(txn !== undefined ? { txn } : {}) });
    // The application VM and the real-time container are found by secmon's next measurement (secmonCheck).
    if (vm !== 'system' || !sp) return;
    const epoch = g.epoch;
    this.vmmLater(SYSTEM_MEASURE_MS, () => {
      if (g.epoch !== epoch || !g.compromised) return;
      g.compromiseKnown = true;
      this.guests.system.notify(`\x1b[1;31m[${sp.id}] measurement of the system VM kernel does not match its recorded hash: the system VM itself is compromised.\x1b[0m`);
      this.emit('integrity.violation', vm, `${detector} measured the System VM kernel and found it changed: now the system VM knows.`, [vm, sp.id],
        { detectedBy: sp.id, knownBy: ['system'], ...(txn !== undefined ? { txn } : {}) });
    }, 'hardware');
  }

  // ---- edits made while powered on ---------------------------------------

  private edits: string[] = [];

  /**
   * The board as the participant has edited it since power on. The firewall
   * tables, the domains and the memory map are set at boot, so the running
   * hardware keeps its boot configuration; attacks say so (staleNote).
   */
  setEditedBoard(edited: Board | null): void {
    this.edits = edited ? boardEdits(this.board, edited) : [];
  }

  /** What differs from the running configuration, as a sentence, or null when nothing does. */
  staleNote(): string | null {
    if (this.edits.length === 0) return null;
    return `the board was edited after power on (${this.edits.join('; ')}), but the running hardware keeps its boot configuration `
      + '(firewall tables, domains and memory are set at boot): this ran against the old one. Apply & reboot to use the edits.';
  }

  // ---- the bus -------------------------------------------------------------

  /**
   * One bus access by `master` to `offset` in `target`, along the bus path
   * (stage-2, firewall or IOMMU). Records the transaction; performs the access
   * when allowed (returns the word read or written, and the transaction).
   */
  busAccess(master: string, target: string, op: Op, offset = 0, value = 0, background = false): Decision & { value: number; txn: Transaction } {
    const base = this.map.get(target)?.base ?? 0;
    const txn = this.bus.transact(this.clock, master, target, op, base + offset, background);
    const record: AccessRecord = { t: this.clock, master, target, op, allowed: txn.allowed, rule: txn.rule, txn: txn.n };
    if (txn.escape) record.escape = true;
    this.accessLog.push(record);
    if (this.accessLog.length > MAX_ACCESSES) this.accessLog.splice(0, this.accessLog.length - MAX_ACCESSES / 2);
    if (!txn.allowed) return { allowed: false, rule: txn.rule, value: 0, txn };
    if (op === 'write') {
      this.store(target, offset, value);
      this.landedWrites.set(target, (this.landedWrites.get(target) ?? 0) + 1);
      return { allowed: true, rule: txn.rule, value, txn };
    }
    return { allowed: true, rule: txn.rule, value: this.load(target, offset), txn };
  }

  /** The environment a bus master acts for (a CPU's own, a component's by its domain). */
  envOf(master: string): VmId | null {
    if (master.startsWith('cpu:')) return master.slice(4) as VmId;
    const c = this.component(master.slice(4));
    return c ? masterEnv(c) : null;
  }

  /**
   * Reports a denied transaction as the hardware would: a stage-2 fault traps
   * to the hypervisor, a firewall violation raises the firewall's interrupt,
   * an IOMMU fault is logged by the IOMMU driver — all in the system VM, which
   * therefore knows (`knownBy`). Returns the event.
   */
  reportDenied(txn: Transaction, who: string, extra: Record<string, unknown> = {}): SimEvent {
    const vm = this.envOf(txn.master) ?? undefined;
    const { master, target, op, rule } = txn;
    const base = { master, target, op, rule, address: txn.address, txn: txn.n, stage: txn.decidedBy, knownBy: ['system'], ...extra };
    let event: SimEvent;
    if (txn.decidedBy === 'stage-2') {
      event = this.emit('stage2.fault', vm, `Stage-2 translation stopped a ${op} by ${who} to ${target}: it is not mapped for that VM (${rule}); the hypervisor took the fault.`, [target], base);
      this.guests.system.notify(`[hyp] stage-2 fault: ${master} ${op} ${target} @ ${hexAddr(txn.address)} (txn ${txn.n})`);
    } else if (txn.decidedBy === 'iommu') {
      event = this.emit('iommu.fault', vm, `The IOMMU refused ${who}'s ${op} of ${target}: it is outside the window its owner has.`, [master.slice(4), target], base);
      this.guests.system.notify(`[iommu] fault: ${master} ${op} ${target} @ ${hexAddr(txn.address)} (txn ${txn.n})`);
    } else {
      const involves = master.startsWith('dma:') ? [master.slice(4), target] : [target];
      event = this.emit('firewall.deny', vm, `The firewall denied a ${op} by ${who} to ${target}: ${rule}.`, involves, base);
      this.guests.system.notify(`[fw] violation interrupt: ${master} ${op} ${target} @ ${hexAddr(txn.address)} denied (txn ${txn.n})`);
    }
    return event;
  }

  /**
   * After an allowed write: did it land in memory or registers of another
   * environment than its master's? Then isolation is broken — the victim is
   * compromised, and nothing tells it (it learns only through a measurement).
   * Returns the victim, or null when the write stayed at home.
   */
  landed(txn: Transaction, who: string, extra: Record<string, unknown> = {}): VmId | null {
    if (!txn.escape) return null;
    const env = this.envOf(txn.master)!;
    const victim = this.ownerOf(txn.target)!;
    const isDevice = txn.master.startsWith('dma:');
    const why = txn.stages.map((s) => s.rule).join('; ');
    // A component's window is the registers of one of the victim's devices; anything else (RAM, the mailbox) its memory.
    const what = this.component(txn.target) ? `the registers of ${txn.target}, a device of the ${VM_NAMES[victim]}` : `${txn.target}, memory of the ${VM_NAMES[victim]}`;
    // A sentence starts with a capital: "An Application VM CPU", but "dma0" and "evil-updater" as named.
    const writer = /^an? /.test(who) ? `${who[0]!.toUpperCase()}${who.slice(1)}` : who;
    if (isDevice) {
      this.emit('dma.escape', env,
        `${writer} (${VM_NAMES[env]}) wrote ${what}: a VM escape (${why}). The ${VM_NAMES[victim]} is not told.`,
        [txn.master.slice(4), txn.target], { master: txn.master, target: txn.target, op: 'write', victim, txn: txn.n, knownBy: [], ...extra });
    } else {
      this.emit('cpu.escape', env,
        `${writer} wrote ${what}: nothing on the path stopped it (${why}). The ${VM_NAMES[victim]} is not told.`,
        [txn.target], { master: txn.master, target: txn.target, op: 'write', victim, txn: txn.n, knownBy: [] });
    }
    if (victim !== 'system') {
      const writer = isDevice ? `${txn.master.slice(4)}, a bus master of the ${VM_NAMES[env]}` : `${txn.master}, a CPU of the ${VM_NAMES[env]}`;
      const writers = this.foreignWrites.get(`${victim}-ram`) ?? new Set<string>();
      this.foreignWrites.set(`${victim}-ram`, writers.add(writer));
    }
    this.compromise(victim, `${who} wrote ${txn.target}`, isDevice ? [txn.master.slice(4), txn.target] : [txn.target], txn.n);
    return victim;
  }

  /** Whose a target is (see memoryMap.ownerOf). */
  ownerOf(target: string): VmId | null {
    return ownerOf(this.map, target);
  }

  load(target: string, offset: number): number {
    const word = offset & ~3;
    const v = this.memory.get(target)?.get(word);
    if (v !== undefined) return v;
    const entry = this.map.get(target);
    if (!entry) return 0;
    if (entry.kind === 'registers') return hash32(`${target}@${word}`);
    if (target === 'system-ram' && word === 0) return SYSTEM_RAM_MARKER;
    return 0;
  }

  store(target: string, offset: number, value: number): void {
    let m = this.memory.get(target);
    if (!m) this.memory.set(target, (m = new Map()));
    m.set(offset & ~3, value >>> 0);
  }

  /** How many writes have landed in a target (system-ram stays 0 on an isolated board). */
  writesLanded(target: string): number {
    return this.landedWrites.get(target) ?? 0;
  }

  component(id: string): Component | undefined {
    return this.board.components.find((c) => c.id === id);
  }

  dmaProtectionOf(master: Component): 'none' | 'firewall-id' | 'iommu' {
    return effectiveProtection(this.board, master);
  }

  /**
   * What a master can reach for read or write, in address order: 'app' | 'rt' |
   * 'system' (that environment's CPUs and the bus masters assigned to it) or a
   * bus-master component id. With enforce:false, as if the firewall were off
   * (stage-2 and the IOMMU still apply: they are not the firewall).
   */
  blastRadius(master: string, options: { enforce?: boolean } = {}): string[] {
    let bus = this.bus;
    if (options.enforce !== undefined && options.enforce !== this.firewall.enforce) {
      bus = this.altBuses.get(options.enforce) ?? new Bus(this.board, this.map, new Firewall(this.board, this.map, options.enforce));
      this.altBuses.set(options.enforce, bus);
    }
    let masters: string[];
    if (master === 'app' || master === 'rt' || master === 'system') {
      // Whoever controls a VM also programs the bus masters assigned to it.
      const devs = this.board.components.filter((c) => KINDS[c.kind].busMaster && masterEnv(c) === master);
      masters = [`cpu:${master}`, ...devs.map((c) => `dma:${c.id}`)];
    } else if (this.component(master) && KINDS[this.component(master)!.kind].busMaster) {
      masters = [`dma:${master}`];
    } else {
      return [];
    }
    const reach = new Set(masters.flatMap((m) => bus.reachable(m)));
    return [...new Set(this.map.layout().map((e) => e.target))].filter((t) => reach.has(t));
  }

  // ---- background traffic ----------------------------------------------------

  private heartbeat(): void {
    if (this.guests.system.state !== 'running') return;
    this.busAccess('cpu:system', 'pv-buffers', 'read', 0, 0, true);
  }

  private appTraffic(): void {
    if (this.guests.app.state !== 'running' || this.guests.system.state !== 'running') return;
    const nic = this.board.components.find((c) => c.domain === 'shared' && NETWORK_KINDS.includes(c.kind));
    this.busAccess('cpu:app', 'pv-buffers', 'write', 0x100, this.rng.int(0, 0xffff), true);
    if (nic) this.busAccess('cpu:system', nic.id, 'write', 0x10, 1, true);
  }
}

/** The word at system-ram offset 0 on a healthy system VM ("SYSV"). */
export const SYSTEM_RAM_MARKER = 0x53595356;

/** The edits between the running board and an edited one that matter to the hardware, in a few words each. */
export function boardEdits(running: Board, edited: Board): string[] {
  const out: string[] = [];
  const before = new Map(running.components.map((c) => [c.id, c]));
  for (const c of edited.components) {
    const old = before.get(c.id);
    if (!old) {
      out.push(`${c.id} added`);
      continue;
    }
    if (old.domain !== c.domain) out.push(`${c.id} domain ${old.domain ?? 'unassigned'} → ${c.domain ?? 'unassigned'}`);
    const [p, q] = [old.dmaProtection, c.dmaProtection];
    if (p !== q && KINDS[c.kind].busMaster) out.push(`${c.id} DMA protection ${p ? PROTECTION_WORDS[p] : 'default'} → ${q ? PROTECTION_WORDS[q] : 'default'}`);
  }
  for (const c of running.components) if (!edited.components.some((x) => x.id === c.id)) out.push(`${c.id} removed`);
  const [fa, fb] = [running.firewall?.enforce ?? true, edited.firewall?.enforce ?? true];
  if (fa !== fb) out.push(`hardware firewall ${fa ? 'on' : 'off'} → ${fb ? 'on' : 'off'}`);
  for (const vm of ['system', 'app'] as const) {
    if (running.vms[vm].memoryMiB !== edited.vms[vm].memoryMiB) out.push(`${vm} VM memory ${running.vms[vm].memoryMiB} → ${edited.vms[vm].memoryMiB} MiB`);
  }
  if (running.soc !== edited.soc) out.push(`SoC ${running.soc} → ${edited.soc}`);
  return out;
}

function hexAddr(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

function copyBoard(board: Board): Board {
  return JSON.parse(JSON.stringify(board)) as Board;
}
