// The application VM's process table with PID namespaces (Linux pid_namespaces(7)):
// the VM's own namespace (the "host" view here) sees every process; a container
// has a namespace of its own whose first process is PID 1 inside it, while the
// same process has an ordinary PID in the VM's namespace. A process knows its
// PID in every namespace it is visible from; a listing from inside a container
// shows only that container's processes, numbered as the container sees them.

import type { Emu32Process } from '../emu/index.ts';

/** The VM's own namespace: trusted apps and system processes run here. */
export const HOST_NS = 'vm';

export interface Process {
  /** PID in the VM's namespace: unique in the whole VM. */
  hostPid: number;
  /** PID in each namespace the process is visible from (always `vm`, plus its container's). */
  pids: Record<string, number>;
  /** The innermost namespace: `vm`, or the container's id. */
  ns: string;
  command: string;
  /** Which package really started it (what the kernel knows). */
  owner?: string;
  /** The app id of the launch that really started it (the truth the supervisor cannot see in a container). */
  launchedAs?: string;
  /** The app id the supervisor ties it to (what the supervisor believes). */
  appId?: string;
  /** Parent's host PID. */
  ppid: number;
  /** Resident memory in KiB, charged to its container's memory cgroup. */
  rssKiB: number;
  /** A 32-bit program run through the kernel-call emulator; its memory is read from it. */
  emu?: Emu32Process;
}

interface Namespace { id: string; nextPid: number }

/** init's resident memory in the application VM, KiB. */
export const INIT_RSS_KIB = 1024;

export class ProcessTable {
  private namespaces = new Map<string, Namespace>();
  private procs = new Map<number, Process>();

  constructor() {
    this.namespaces.set(HOST_NS, { id: HOST_NS, nextPid: 1 });
    this.spawn({ command: 'init', ns: HOST_NS, ppid: 0, rssKiB: INIT_RSS_KIB });
  }

  /** A new, empty PID namespace (for a container): its first process will be PID 1. */
  createNamespace(id: string): void {
    if (this.namespaces.has(id)) throw new Error(`namespace ${id} exists already`);
    this.namespaces.set(id, { id, nextPid: 1 });
  }

  hasNamespace(id: string): boolean { return this.namespaces.has(id); }

  /** Removes an empty namespace (a container whose processes are all gone). */
  removeNamespace(id: string): void {
    if (id === HOST_NS) return;
    if (this.list(id).length === 0) this.namespaces.delete(id);
  }

  /** Starts a process in `ns`: it gets the next free PID there and in the VM's namespace. */
  spawn(p: { command: string; ns: string; ppid: number; rssKiB: number; owner?: string; launchedAs?: string; appId?: string }): Process {
    const pids: Record<string, number> = { [HOST_NS]: this.nextPid(HOST_NS) };
    if (p.ns !== HOST_NS) pids[p.ns] = this.nextPid(p.ns);
    const proc: Process = { hostPid: pids[HOST_NS], pids, ns: p.ns, command: p.command, ppid: p.ppid, rssKiB: p.rssKiB,
      ...(p.owner ? { owner: p.owner } : {}), ...(p.launchedAs ? { launchedAs: p.launchedAs } : {}), ...(p.appId ? { appId: p.appId } : {}) };
    this.procs.set(proc.hostPid, proc);
    return proc;
  }

  /**
   * Holds a 32-bit program run by the kernel-call emulator: `make` receives the PID
   * allocator to hand to Emu32Process (its `allocatePid` option), so the program's
   * getpid() is its PID in its own namespace; its memory charge is what it has mapped.
   */
  spawnEmu32(ns: string, ppid: number, make: (allocatePid: () => number) => Emu32Process): Process {
    let proc: Process | undefined;
    const emu = make(() => {
      // The first PID is the emulator's; a later one is a native process it starts (share32's reader).
      const p = this.spawn({ command: proc ? `native peer of ${proc.command}` : '', ns, ppid: proc?.hostPid ?? ppid, rssKiB: 0 });
      proc ??= p;
      return p.pids[ns];
    });
    if (!proc) throw new Error('the emulated program did not ask for a PID');
    proc.command = `run32 ${emu.name}`;
    proc.emu = emu;
    return proc;
  }

  get(hostPid: number): Process | undefined { return this.procs.get(hostPid); }

  /** The process with `pid` as seen from namespace `ns`. */
  find(ns: string, pid: number): Process | undefined {
    return this.list(ns).find((p) => p.pids[ns] === pid);
  }

  /** Processes visible from `ns`, in PID order there: all of them from the VM, a container's own from inside it. */
  list(ns: string = HOST_NS): Process[] {
    return [...this.procs.values()].filter((p) => ns in p.pids).sort((a, b) => a.pids[ns] - b.pids[ns]);
  }

  remove(hostPid: number): Process | undefined {
    const p = this.procs.get(hostPid);
    this.procs.delete(hostPid);
    return p;
  }

  /** Resident KiB of a process now (an emulated program's mapped memory). */
  rss(p: Process): number {
    return p.emu ? Math.ceil(p.emu.mappedBytes() / 1024) : p.rssKiB;
  }

  /** Resident KiB of everything in namespace `ns` (a container's memory cgroup charge). */
  charge(ns: string): number {
    return this.list(ns).reduce((n, p) => n + this.rss(p), 0);
  }

  private nextPid(ns: string): number {
    const n = this.namespaces.get(ns);
    if (!n) throw new Error(`no namespace ${ns}`);
    return n.nextPid++;
  }
}
