// The application supervisor (DOMAIN.md §4, seed 003). It launches the apps a
// user selects; trusted ones directly in the VM's namespace, untrusted ones in
// a container of their own. A newly started app reports its first PID to the
// supervisor; the report carries only the PID as the process sees it, and
// inside a container that is 1 for every container. So launches are
// serialised by default: the next app waits until the current one's PID is
// captured and tied to a unique app id, or until 10 s pass (then it is
// stopped). With serialisation off the supervisor ties a reported container
// PID to the oldest launch still waiting for one — and when two containers
// start together and the later one's process is up first, the wrong app is
// charged for it. Every later process of an app inherits the app id its
// parent was tied to.

import { vmMemory, type VmMemory } from '../../model/memory.ts';
import type { Board } from '../../model/types.ts';
import { builtinPackages, checkPackage, defaultTrustStore, type AppPackage, type AppStep, type TrustStore } from './packages.ts';
import { HOST_NS, ProcessTable, type Process } from './processes.ts';
import { ResourceManager } from './resources.ts';
import { randomInt, type AppEvent, type Clock, type EventSink, type Rng } from './types.ts';

/** How long the supervisor waits for an app's first PID before stopping it (seed 003: ten seconds). */
export const LAUNCH_TIMEOUT_MS = 10_000;
/** Range of the seeded delay between a launch and its first process being up. */
export const START_DELAY_MS = { min: 200, max: 2000 } as const;

export interface AppRecord {
  appId: string;
  pkg: AppPackage;
  trusted: boolean;
  /** Why it is (un)trusted, from the certificate check. */
  trust: string;
  /** The container the supervisor created for it (untrusted apps). */
  container?: string;
  /** starting: waiting for its first PID; running: PID captured; ended: stopped, timed out or all processes gone. */
  state: 'starting' | 'running' | 'ended';
  launchedAt: number;
  /** Host PID of the process the supervisor forked itself (trusted apps): it knows that one. */
  forkedPid?: number;
}

export interface SupervisorOptions {
  board: Pick<Board, 'components' | 'vms' | 'soc'>;
  clock: Clock;
  rng: Rng;
  sink: EventSink;
  packages?: AppPackage[];
  trustStore?: TrustStore;
  /** Serialised launching (the default, and the rule seed 003 sets). */
  serialize?: boolean;
}

export type LaunchResult = { ok: true; queued: string[] } | { ok: false; error: string };
export type AllocResult = { ok: true; chargeKiB: number } | { ok: false; error: string } | { ok: 'oom'; appId?: string; container: string };

/** The supervisor's own resident memory, KiB. */
export const SUPERVISOR_RSS_KIB = 1500;

export class Supervisor {
  readonly table = new ProcessTable();
  readonly resources: ResourceManager;
  readonly apps: AppRecord[] = [];
  serialize: boolean;
  private queue: AppPackage[] = [];
  private nextAppId = 1;
  private nextContainer = 1;
  /** Memory limit of each container's cgroup, KiB. */
  private limits = new Map<string, { limitKiB: number; appId: string; app: string }>();
  private readonly supervisorPid: number;
  /** The application VM's memory as its kernel sees it: the board does not change while a supervisor runs. */
  private readonly memory: VmMemory;

  constructor(private opts: SupervisorOptions) {
    this.resources = new ResourceManager(opts.board);
    this.serialize = opts.serialize ?? true;
    this.supervisorPid = this.table.spawn({ command: 'supervisor', ns: HOST_NS, ppid: 1, rssKiB: SUPERVISOR_RSS_KIB }).hostPid;
    this.memory = vmMemory(opts.board, 'app');
  }

  // The built-in ones are made (signed) when first needed: most lives of the VM launch nothing.
  private get packages(): AppPackage[] { return this.opts.packages ?? builtinPackages(); }
  private get trustStore(): TrustStore { return this.opts.trustStore ?? defaultTrustStore(); }

  packageNames(): string[] { return this.packages.map((p) => p.name); }

  /** Memory the application VM's kernel manages (MemTotal: its RAM less the kernel's boot reservation), KiB. */
  get vmMemoryKiB(): number { return this.memory.totalKiB; }

  /** The kernel's run-time memory, counted as used with the processes. */
  get kernelKiB(): number { return this.memory.kernelKiB; }

  /** `launch <app>…`: refuses the whole command if a name is unknown; otherwise starts (or queues) each in order. */
  launch(names: string[]): LaunchResult {
    if (names.length === 0) return { ok: false, error: `launch: name at least one app: ${this.packageNames().join(', ')}` };
    const pkgs: AppPackage[] = [];
    for (const n of names) {
      const p = this.packages.find((q) => q.name === n);
      if (!p) return { ok: false, error: `launch: no app '${n}' — one of ${this.packageNames().join(', ')}` };
      pkgs.push(p);
    }
    this.queue.push(...pkgs);
    this.pump();
    return { ok: true, queued: names };
  }

  /** Launches waiting their turn (serialised mode). */
  waiting(): string[] { return this.queue.map((p) => p.name); }

  setSerialize(on: boolean): void {
    this.serialize = on;
    this.pump();
  }

  /** `stop <app | app-id>`: kills every process tied to that app id and gives its resources back. */
  stop(nameOrId: string): { ok: true; stopped: string[] } | { ok: false; error: string } {
    const targets = this.apps.filter((a) => a.state !== 'ended' && (a.appId === nameOrId || a.pkg.name === nameOrId));
    if (targets.length === 0) {
      const live = this.apps.filter((a) => a.state !== 'ended').map((a) => `${a.pkg.name} (${a.appId})`);
      return { ok: false, error: `stop: no running app '${nameOrId}' — ${live.length ? `running: ${live.join(', ')}` : 'none is running'}` };
    }
    for (const a of targets) this.end(a, 'stopped');
    return { ok: true, stopped: targets.map((a) => a.appId) };
  }

  /**
   * `kill <pid>` from namespace `ns`. As in Linux, when a namespace's PID 1
   * dies the kernel kills every other process in that namespace.
   */
  kill(pid: number, ns: string = HOST_NS): { ok: true; killed: number[] } | { ok: false; error: string } {
    const p = this.table.find(ns, pid);
    if (!p) return { ok: false, error: `kill: no process ${pid}${ns === HOST_NS ? '' : ` in container ${ns}`} — see ps` };
    if (ns === HOST_NS && (p.hostPid === 1 || p.hostPid === this.supervisorPid))
      return { ok: false, error: `kill: PID ${pid} is ${p.command}, part of the VM itself; stop an app or kill one of its processes` };
    const victims = p.ns !== HOST_NS && p.pids[p.ns] === 1 ? this.table.list(p.ns) : [p];
    this.removeProcesses(victims);
    return { ok: true, killed: victims.map((v) => v.hostPid) };
  }

  /**
   * Grows a process by `kib`. In a container the charge goes to its memory
   * cgroup; going over the limit kills the whole container (enforceLimit), not
   * the VM. The VM's own memory running out is refused here: that is the VM's
   * out-of-memory path (its refresh), not a container's.
   */
  allocate(hostPid: number, kib: number): AllocResult {
    const p = this.table.get(hostPid);
    if (!p) return { ok: false, error: `no process with host PID ${hostPid}` };
    const used = this.usedKiB();
    if (used + kib > this.vmMemoryKiB) return { ok: false, error: `the application VM has ${this.vmMemoryKiB - used} KiB free, not ${kib}: the VM itself is out of memory` };
    p.rssKiB += kib;
    if (p.ns === HOST_NS) return { ok: true, chargeKiB: p.rssKiB };
    return this.enforceLimit(p.ns);
  }

  /**
   * Checks container `ns`'s memory cgroup against its limit (call it after an
   * emulated program in it mapped more). Over the limit, the cgroup's OOM
   * killer ends every process in it, as with memory.oom.group = 1 (Linux
   * cgroup v2, Documentation/admin-guide/cgroup-v2.rst), which container
   * runtimes set so a container dies whole rather than limping on.
   */
  enforceLimit(ns: string): AllocResult {
    const charge = this.table.charge(ns);
    const lim = this.limits.get(ns);
    if (!lim || charge <= lim.limitKiB) return { ok: true, chargeKiB: charge };
    const victims = this.table.list(ns);
    const n = victims.length;
    this.emit({ type: 'app.oom', app: lim.app, appId: lim.appId, container: ns, chargeKiB: charge, limitKiB: lim.limitKiB,
      pids: victims.map((v) => v.hostPid),
      // A memory cgroup's charge never passes memory.max: the charge that would have failed, and the OOM killer ran instead.
      message: `Container ${ns} of ${lim.app} (${lim.appId}) needed ${charge} KiB, more than its ${lim.limitKiB} KiB memory limit: the charge past the limit failed, so its cgroup's out-of-memory killer ended ${n === 1 ? 'its process' : `all ${n} of its processes`}; the VM and other apps keep running.` });
    this.removeProcesses(victims, lim.appId);
    return { ok: 'oom', appId: lim.appId, container: ns };
  }

  /** Resident KiB of every process in the VM. */
  /** What the application VM has left for another process or allocation. */
  freeKiB(): number {
    return this.vmMemoryKiB - this.usedKiB();
  }

  /** Used, as `free` counts it: the kernel's run-time memory and every process's resident memory. */
  usedKiB(): number {
    return this.kernelKiB + this.table.list(HOST_NS).reduce((n, p) => n + this.table.rss(p), 0);
  }

  /** Per-container charge and limit, for `free` and `ps`. */
  containers(): { container: string; app: string; appId: string; chargeKiB: number; limitKiB: number; processes: number }[] {
    return [...this.limits.entries()].filter(([ns]) => this.table.hasNamespace(ns))
      .map(([ns, l]) => ({ container: ns, app: l.app, appId: l.appId, chargeKiB: this.table.charge(ns), limitKiB: l.limitKiB, processes: this.table.list(ns).length }));
  }

  // ---- launching -------------------------------------------------------------

  private pump(): void {
    while (this.queue.length > 0 && !(this.serialize && this.apps.some((a) => a.state === 'starting'))) {
      this.start(this.queue.shift()!);
    }
  }

  private start(pkg: AppPackage): void {
    const verdict = checkPackage(pkg, this.trustStore);
    if (verdict.kind === 'tampered') {
      this.emit({ type: 'app.rejected', app: pkg.name, reason: 'tampered', message: `The supervisor refused ${pkg.name}: ${verdict.why}.` });
      return;
    }
    const appId = `app-${String(this.nextAppId).padStart(4, '0')}`;
    const refusal = this.resources.acquire(appId, pkg.resources);
    if (refusal) {
      this.emit({ type: 'app.rejected', app: pkg.name, reason: 'resources', resource: refusal.resource,
        message: `The supervisor refused ${pkg.name}: it needs a ${refusal.resource} and there is ${refusal.message}.` });
      return;
    }
    this.nextAppId++;
    const trusted = verdict.kind === 'trusted';
    const rec: AppRecord = { appId, pkg, trusted, state: 'starting', launchedAt: this.opts.clock.now(),
      trust: verdict.kind === 'trusted' ? `certificate of ${verdict.developer} signed by ${verdict.root}` : verdict.why };
    if (!trusted) {
      rec.container = `c${this.nextContainer++}`;
      this.table.createNamespace(rec.container);
      this.limits.set(rec.container, { limitKiB: pkg.memoryLimitKiB, appId, app: pkg.name });
    }
    this.apps.push(rec);
    const delay = randomInt(this.opts.rng, START_DELAY_MS.min, START_DELAY_MS.max);
    this.opts.clock.schedule(delay, () => this.firstProcessUp(rec));
    this.opts.clock.schedule(LAUNCH_TIMEOUT_MS, () => this.timeout(rec));
  }

  /** The app's first process starts (in its container, or forked by the supervisor) and reports its PID. */
  private firstProcessUp(launch: AppRecord): void {
    if (launch.state === 'ended') return; // stopped before it came up
    const ns = launch.container ?? HOST_NS;
    // The VM's own memory, not a container's limit: a process it cannot hold is never created (fork fails with ENOMEM).
    const free = this.freeKiB();
    if (launch.pkg.rssKiB > free) {
      this.emit({ type: 'app.rejected', app: launch.pkg.name, appId: launch.appId, reason: 'memory',
        message: `The supervisor could not start ${launch.pkg.name} (${launch.appId}): its process needs ${launch.pkg.rssKiB} KiB and the application VM has ${free} KiB free `
          + '(the VM itself is out of memory, not a container); stop an app, or give the application VM more memory.' });
      this.end(launch, 'refused');
      return;
    }
    const p = this.table.spawn({ command: launch.pkg.command, ns, ppid: launch.container ? 1 : this.supervisorPid, rssKiB: launch.pkg.rssKiB, owner: launch.pkg.name, launchedAs: launch.appId });
    if (!launch.container) launch.forkedPid = p.hostPid;
    if (!launch.pkg.capturesPid) return; // never reports: the timeout will stop it
    this.capture(p, p.pids[ns]);
  }

  /** A new process reported `reported` (its PID as it sees it): which launch waiting for a PID is it? */
  private capture(p: Process, reported: number): void {
    const waiting = this.apps.filter((a) => a.state === 'starting');
    const rec = p.ns === HOST_NS
      // In the VM's namespace PIDs are unique: the supervisor matches the PID it forked.
      ? waiting.find((a) => a.forkedPid === reported)
      // From a container every first PID is 1: the oldest launch waiting for a container PID gets it.
      : waiting.find((a) => a.container !== undefined);
    if (!rec) return;
    rec.state = 'running';
    p.appId = rec.appId;
    const where = p.ns === HOST_NS ? `PID ${p.hostPid} in the VM's namespace` : `PID ${reported} in container ${p.ns} (host PID ${p.hostPid})`;
    const wrong = p.launchedAs !== rec.appId;
    this.emit({ type: 'app.launch', app: rec.pkg.name, appId: rec.appId, pid: reported, hostPid: p.hostPid, trusted: rec.trusted,
      ...(rec.container ? { container: rec.container } : {}), processContainer: p.ns, processOf: p.owner, processOfAppId: p.launchedAs, misattributed: wrong,
      resources: this.resources.heldBy(rec.appId), trust: rec.trust,
      message: wrong
        ? `The supervisor charged ${rec.pkg.name} (${rec.appId}) for ${where}, but that process is ${p.owner}'s (${p.launchedAs}): every container's first PID is 1, so it took the oldest launch still waiting.`
        : `The supervisor launched ${rec.pkg.name} ${rec.trusted ? 'directly (trusted)' : `in container ${rec.container} (untrusted)`} and tied ${where} to ${rec.appId}.` });
    this.runSteps(p, this.packages.find((q) => q.name === p.owner)?.steps ?? [], 0);
    this.pump();
  }

  /** What the process's own program does next: start later processes, grow. */
  private runSteps(first: Process, steps: AppStep[], i: number): void {
    const step = steps[i];
    if (!step) return;
    this.opts.clock.schedule(step.afterMs, () => {
      if (this.table.get(first.hostPid) !== first) return; // it has ended
      if (step.spawn) {
        // fork() fails with ENOMEM when the VM cannot hold the child: the app carries on without it.
        if (step.spawn.rssKiB > this.freeKiB()) return;
        this.table.spawn({ ...step.spawn, ns: first.ns, ppid: first.hostPid, owner: first.owner, launchedAs: first.launchedAs, appId: first.appId });
      }
      if (step.allocKiB) {
        const r = this.allocate(first.hostPid, step.allocKiB);
        if (r.ok !== true) return;
      }
      this.runSteps(first, steps, step.repeat ? i : i + 1);
    });
  }

  private timeout(rec: AppRecord): void {
    if (rec.state !== 'starting') return;
    this.emit({ type: 'app.timeout', app: rec.pkg.name, appId: rec.appId, ...(rec.container ? { container: rec.container } : {}),
      message: `${rec.pkg.name} (${rec.appId}) reported no PID within ${LAUNCH_TIMEOUT_MS / 1000} s, so the supervisor stopped it and let the next launch go.` });
    this.end(rec, 'timeout');
  }

  // ---- ending ----------------------------------------------------------------

  /** Ends an app: kills the processes tied to its id, gives back its resources, removes its container if empty. */
  private end(rec: AppRecord, why: 'stopped' | 'timeout' | 'oom' | 'exited' | 'refused', gone: Process[] = []): void {
    const tied = [...gone, ...this.table.list(HOST_NS).filter((p) => p.appId === rec.appId)];
    const wasStarting = rec.state === 'starting';
    rec.state = 'ended';
    // Before its PID is captured nothing is tied to it; the supervisor still knows
    // what it started: the container it made, or the process it forked.
    if (wasStarting) tied.push(...(rec.container ? this.table.list(rec.container) : [rec.forkedPid !== undefined ? this.table.get(rec.forkedPid) : undefined].filter((p) => p !== undefined)));
    this.removeProcesses(tied);
    if (rec.container) this.dropContainerIfEmpty(rec.container);
    const released = this.resources.release(rec.appId);
    if (why === 'stopped' || why === 'exited') {
      const others = tied.filter((p) => p.launchedAs !== rec.appId);
      this.emit({ type: 'app.exit', app: rec.pkg.name, appId: rec.appId, reason: why, pids: tied.map((p) => p.hostPid), released,
        message: `${rec.pkg.name} (${rec.appId}) ${why === 'stopped' ? 'was stopped' : 'exited'}: ${tied.length === 0 ? 'no process of it was up yet' : `${tied.length === 1 ? 'its process' : `its ${tied.length} processes`} (host PID ${tied.map((p) => p.hostPid).join(', ')}) ended`}${released.length ? `, ${released.join(' + ')} released` : ''}`
          + (others.length ? `; ${others.length === tied.length ? (tied.length === 1 ? 'that process' : 'they') : `${others.length} of them`} belonged to ${others[0].owner} (${others[0].launchedAs}), charged to this app at launch.` : '.') });
    }
    if (wasStarting) this.pump();
  }

  /** Removes processes; an app whose last tied process went has exited (`oomOf`: the app whose app.oom already said so). */
  private removeProcesses(victims: Process[], oomOf?: string): void {
    const byApp = new Map<string, Process[]>();
    for (const v of victims) {
      if (!this.table.remove(v.hostPid)) continue;
      if (v.appId) byApp.set(v.appId, [...(byApp.get(v.appId) ?? []), v]);
      if (v.ns !== HOST_NS) this.dropContainerIfEmpty(v.ns);
    }
    // An app whose last tied process is gone has exited: its resources go back.
    for (const rec of this.apps) {
      const gone = byApp.get(rec.appId);
      if (rec.state === 'running' && gone && !this.table.list(HOST_NS).some((p) => p.appId === rec.appId))
        this.end(rec, rec.appId === oomOf ? 'oom' : 'exited', gone);
    }
  }

  private dropContainerIfEmpty(ns: string): void {
    if (this.table.hasNamespace(ns) && this.table.list(ns).length === 0) {
      this.table.removeNamespace(ns);
    }
  }

  private emit(e: Omit<AppEvent, 'vm'>): void {
    this.opts.sink({ vm: 'app', ...e } as AppEvent);
  }
}
