// What each environment boots with besides its root file system (which comes
// from signed image fragments, see fragments/): its device nodes, the services
// it starts and the boot log it prints.

import { systemWatchdogOf } from '../model/board.ts';
import { KINDS, NETWORK_KINDS } from '../model/catalog.ts';
import { vmMemory } from '../model/memory.ts';
import { profile } from '../model/profiles.ts';
import type { Board, ComponentKind } from '../model/types.ts';
import type { VmId } from './types.ts';
import { devicesOf, virtioType } from './devices.ts';
import { bytesOf } from './crypto/signing.ts';
import { kernelVersion } from './fragments/builtin.ts';
import { INIT_RSS_KIB } from './apps/processes.ts';
import { SUPERVISOR_RSS_KIB } from './apps/supervisor.ts';

export const PROMPTS: Record<VmId, string> = {
  system: '\x1b[1;31mroot@system-vm\x1b[0m:~# ',
  app: '\x1b[1;32mroot@app-vm\x1b[0m:~# ',
  rt: '\x1b[1;36mrt>\x1b[0m ',
};

/** What uname(2) returns (struct utsname), and the operating system `uname -o` names. */
export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  /** The core's real architecture (Cortex-A5/A7: armv7l, A53: aarch64, M0+: armv6-m, M4/M7: armv7e-m). */
  machine: string;
  os: string;
}

/** An environment's utsname: a Linux VM's release and build date are those of the kernel it booted (the factory one by default). */
export function utsnameOf(board: Board, vm: VmId, release?: string): Utsname {
  const p = profile(board.soc);
  if (vm === 'rt') {
    return { sysname: 'RTOS', nodename: 'rt-core', release: '3.2.1', version: `${p.cores.realtimeName} (real-time core)`, machine: p.arch.realtime, os: 'RTOS' };
  }
  const r = release ?? (vm === 'system' ? '6.6.30-sys' : '5.15.148-devicemaker');
  return { sysname: 'Linux', nodename: vm === 'system' ? 'system-vm' : 'app-vm', release: r, version: kernelVersion(r), machine: p.arch.application, os: 'GNU/Linux' };
}

/** `uname -a` (coreutils: sysname nodename release version machine, then the operating system; the unknown processor and platform are left out). */
export function unameAll(u: Utsname): string {
  return `${u.sysname} ${u.nodename} ${u.release} ${u.version} ${u.machine}${u.os === u.sysname ? '' : ` ${u.os}`}`;
}

/** `uname -a` of an environment running its factory kernel. */
export function unameOf(board: Board, vm: VmId): string {
  return unameAll(utsnameOf(board, vm));
}

/** The real-time container's files: its RTOS keeps them in a table in RAM (it has no Linux root file system). */
export function rtFiles(board: Board): Map<string, string> {
  const files = new Map<string, string>();
  const f = (path: string, text: string) => files.set(path, text.endsWith('\n') ? text : text + '\n');
  f('/README', 'Real-time container: an RTOS and its tasks on the real-time core, with its\nown peripherals and a mailbox shared with the application VM.');
  f('/tasks/control-loop', 'period=1ms priority=high');
  f('/tasks/mailbox', 'period=10ms priority=normal');
  for (const [path, text] of deviceNodes(board, 'rt')) f(path, text);
  return files;
}

/** The device nodes an environment has (/dev/<name>), each with what it is and how it is reached. */
export function deviceNodes(board: Board, vm: VmId): Map<string, string> {
  const nodes = new Map<string, string>();
  // A network interface has no device node: it is reached through sockets and netlink (ifconfig, ip), not /dev.
  for (const d of devicesOf(board, vm).filter((x) => !NETWORK_KINDS.includes(x.kind))) {
    const how = d.access === 'direct'
      ? `${d.id} (${KINDS[d.kind].name}), passed through: this environment's own driver controls it`
      : `${d.id} (${KINDS[d.kind].name}), paravirtual: ${paravirtualHow(d.kind)}`;
    nodes.set(`/dev/${d.devName}`, how + '\n');
  }
  return nodes;
}

/** How a paravirtual device reaches the system VM: a virtio device whose virtqueues a daemon there serves, or requests over vsock. */
function paravirtualHow(kind: ComponentKind): string {
  const type = virtioType(kind);
  const daemon = SERVING_DAEMON[kind];
  return type ? `${type}, its virtqueues served by ${daemon} in the system VM` : 'requests go over vsock to the system VM';
}

/** The system-VM service behind each paravirtualized kind: networkd for networks, storaged for storage. */
const SERVING_DAEMON: Partial<Record<string, string>> = {
  wifi: 'networkd', ethernet: 'networkd', cellular: 'networkd', flash: 'storaged', sdcard: 'storaged',
};

/** Initial contents of the application VM's user-data store (kept across refreshes). */
export function initialUserData(): Map<string, Uint8Array> {
  return new Map([['/data/settings.conf', bytesOf('temperature.unit=C\nwifi.ssid=kitchen\n')]]);
}

/** The processes each environment starts; watchdogd only when the system VM has a hardware watchdog to kick. */
export function servicesOf(vm: VmId, watchdog = true): [string, number][] {
  if (vm === 'system') {
    return [['init', 812], ['vmm', 2048], ['gatewayd', 1536], ['networkd', 1320], ['updated', 1104],
      ['crashd', 640], ['appman', 980], ['storaged', 540], ['secmon', 760], ...(watchdog ? [['watchdogd', 256] as [string, number]] : []), ['sh', 420]];
  }
  // init and the supervisor at the sizes the application VM's process table starts them with.
  if (vm === 'app') return [['init', INIT_RSS_KIB], ['supervisor', SUPERVISOR_RSS_KIB], ['device-app', 2400], ['sh', 420]];
  return [['idle', 1], ['control-loop', 24], ['mailbox', 8], ['shell', 6]];
}

/**
 * What a guest's kernel keeps at run time (slab, page tables, stacks): `free`
 * counts it as used. A Linux VM's is the profile's run-time share of its
 * kernel need (model/memory.ts); the RTOS keeps 16 KiB.
 */
export function kernelKiB(board: Board, vm: VmId): number {
  return vm === 'rt' ? 16 : vmMemory(board, vm).kernelKiB;
}

/**
 * The resident sizes of a guest's services in a VM whose kernel manages
 * `totalKiB` (MemTotal) and keeps `kernelKiB` of it: the full sizes where
 * three quarters of what the kernel leaves holds them; on a smaller VM (a
 * 4 MiB system VM on mcu-16) the image is a smaller build, each service scaled
 * alike to that share, in whole 4 KiB pages, so `ps` and `free` agree and
 * something is left free.
 */
export function fitServices(services: [string, number][], totalKiB: number, kernelKiB: number): [string, number][] {
  const budget = Math.floor(((totalKiB - kernelKiB) * 3) / 4);
  const sum = services.reduce((n, [, kib]) => n + kib, 0);
  if (sum <= budget) return services;
  return services.map(([name, kib]) => [name, Math.max(4, Math.floor((kib * budget) / sum / 4) * 4)]);
}

const PANIC = 'Kernel panic - not syncing: ';

/**
 * A Linux kernel panic as kernel/panic.c prints it: the message, the running task's line from
 * dump_stack() (without its taint and hardware names), then, with panic=N on the command line
 * (`rebootAfterS`), "Rebooting in N seconds.." before emergency_restart(); with no panic= the kernel
 * stays halted and prints the closing line, which repeats the message.
 */
export function kernelPanic(message: string, task: { pid: number; comm: string }, rebootAfterS = 0): string[] {
  const text = message.startsWith(PANIC) ? message.slice(PANIC.length) : message;
  const last = rebootAfterS > 0 ? `Rebooting in ${rebootAfterS} seconds..` : `---[ end ${PANIC}${text} ]---`;
  return [`${PANIC}${text}`, `CPU: 0 PID: ${task.pid} Comm: ${task.comm}`, last];
}

/** Boot log lines with the simulated ms (from boot start) at which each appears. */
export function bootLog(board: Board, vm: VmId, jitter: () => number, uname = unameOf(board, vm),
  root?: { verifyMs: number; verified: string; init: string }): [number, string][] {
  const p = profile(board.soc);
  const out: [number, string][] = [];
  let t = 0;
  if (root) {
    // The root volume is verified before the kernel runs from it.
    t = root.verifyMs;
    out.push([t, root.verified]);
  }
  const line = (gap: number, text: string) => {
    t += gap + jitter();
    out.push([t, text]);
  };
  const devs = devicesOf(board, vm);
  if (vm === 'rt') {
    line(5, `RTOS 3.2.1 starting on ${p.cores.realtimeName} (real-time core, ${p.arch.realtime})`);
    line(20, `rt-ram: ${p.realtimeMemoryMiB} MiB at 0x20000000, mailbox at 0x${(0x2000_0000 + p.realtimeMemoryMiB * 1048576).toString(16)}`);
    for (const d of devs) line(15, `driver: ${d.id} (${KINDS[d.kind].name}) ready`);
    if (devs.length === 0) line(10, 'no peripherals assigned to the real-time container');
    line(30, 'task control-loop started (1 ms period)');
    line(20, 'task mailbox started');
    return out;
  }
  const mem = vmMemory(board, vm);
  const kernel = uname.split(' ')[2];
  line(0, `Booting Linux ${kernel} on ${p.cores.application} x ${p.cores.applicationName}`);
  // Modelled on mem_init's line (mm/mm_init.c), which also splits the image into code, data, init and
  // bss: what the kernel manages of the RAM, and the total it reserved at boot (all the model knows).
  line(40, `Memory: ${mem.totalKiB}K/${mem.ramKiB}K available (${mem.reservedKiB}K reserved: kernel image and reserved regions)`);
  if (vm === 'system') {
    if (p.cpuIsolation === 'stage-2') {
      // The hypervisor runs below this kernel (it was started before it); this VM is its control VM, whose VMM
      // service drives it. The kernel reports what it finds, as a Xen dom0 kernel reports the hypervisor under it.
      line(60, `hypervisor: running as the control VM over the ${p.arch.application === 'aarch64' ? 'EL2' : 'HYP mode (PL2)'} hypervisor, stage-2 translation on for both VMs`);
    } else {
      // ARMv7-A has no exception levels: without the Virtualization Extensions it has no Hyp mode (PL2); EL2 is ARMv8's name.
      line(60, `secure monitor: ${p.cores.applicationName} has no virtualization extensions (no ${p.arch.application === 'aarch64' ? 'EL2' : 'Hyp mode (PL2)'}, no stage-2)`);
      line(20, 'secure monitor: system VM in the TrustZone secure world, application VM in the normal world; the firewall is the only wall');
    }
  } else {
    line(60, p.cpuIsolation === 'stage-2' ? 'virtio: guest of the system VM VMM (stage-2 confined)' : 'virtio: normal-world guest of the secure-world system VM');
  }
  for (const d of devs) {
    const how = d.access === 'direct' ? 'direct (passed through)' : `paravirtual (${paravirtualHow(d.kind)})`;
    line(35, `${d.devName}: ${d.id} ${KINDS[d.kind].name} — ${how}`);
  }
  if (root) line(20, `Run ${root.init} as init process`);
  if (vm === 'system') {
    line(80, 'firewall: ' + (board.firewall?.enforce === false
      ? `DISABLED: every bus master reaches everything${p.cpuIsolation === 'stage-2' ? '; VM CPUs stay confined by stage-2' : ', CPUs included (no stage-2 on this SoC)'}`
      : 'rules loaded, enforcing'));
    const wdt = systemWatchdogOf(board);
    // init is BusyBox's (ps shows it at 812 KiB): its rcS runs each service's init script, which says
    // "Starting <name>: OK" or "FAIL", as Buildroot's do.
    for (const s of ['vmm', 'networkd', 'storaged', 'gatewayd', 'updated', 'crashd', 'appman', 'secmon', ...(wdt ? ['watchdogd'] : [])]) line(45, `Starting ${s}: OK`);
    if (!wdt) line(10, 'Starting watchdogd: FAIL (no /dev/watchdog: no hardware watchdog in this VM, so nothing resets it if it hangs)');
  } else {
    line(80, 'vsock: connected to system VM (cid 2)');
    line(60, 'supervisor: started');
    line(60, 'device-app: started');
  }
  return out;
}
