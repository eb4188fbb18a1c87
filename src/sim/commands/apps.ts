// The application VM's app commands (CONTRACT §6): thin adapters over the
// supervisor of src/sim/apps, which the engine creates at each boot of that
// VM. What the supervisor does later (a PID captured, a timeout, an
// out-of-memory kill) arrives as its events, which the engine prints.

import type { CommandDef, Shell } from './context.ts';
import { HOST_NS, formatApps, formatFree, formatPs, type Process, type Supervisor } from '../apps/index.ts';

/** How often `launch` looks whether its launches have settled (a PID captured, a timeout, a refusal). */
const LAUNCH_POLL_MS = 100;

/** Whether each 32-bit program held in the table still runs (it ends, is interrupted, or its VM restarts). */
const emuAlive = new WeakMap<Process, () => boolean>();

/** Holds a process run by `run32` in the table for as long as `alive` says. */
export function watchEmu32(p: Process, alive: () => boolean): void {
  emuAlive.set(p, alive);
}

/** Drops 32-bit programs that no longer run, with the native processes they started. */
export function pruneEmu32(sup: Supervisor): void {
  for (const p of sup.table.list(HOST_NS)) {
    const alive = emuAlive.get(p);
    if (!alive || alive()) continue;
    for (const q of sup.table.list(HOST_NS)) if (q.ppid === p.hostPid) sup.table.remove(q.hostPid);
    sup.table.remove(p.hostPid);
  }
}

/** The application VM's supervisor in this life of the VM, with ended 32-bit programs dropped. */
export function supervisorOf(sh: Shell): Supervisor {
  const sup = sh.sim.apps;
  if (!sup) throw new Error('the application VM runs without its supervisor');
  pruneEmu32(sup);
  return sup;
}

function launch(sh: Shell, args: string[]): void {
  const sup = supervisorOf(sh);
  if (args.length > 0 && args.every((a) => sup.packageNames().includes(a)))
    sh.print(`[supervisor] launching ${args.join(', ')} ${sup.serialize ? 'one at a time (each waits for the previous app\'s first PID)' : 'in parallel (serialisation is off)'}`);
  const r = sup.launch(args);
  if (!r.ok) return sh.error(r.error);
  // The prompt returns once every launch has settled.
  const wait = () => {
    if (sup.waiting().length > 0 || sup.apps.some((a) => a.state === 'starting')) sh.guest.after(LAUNCH_POLL_MS, wait);
  };
  wait();
}

function stop(sh: Shell, args: string[]): void {
  if (args.length !== 1) return sh.error('usage: stop <app | app-id> — see supervisor for the running apps');
  const r = supervisorOf(sh).stop(args[0]);
  if (!r.ok) sh.error(r.error);
}

function kill(sh: Shell, args: string[]): void {
  const pid = Number(args[0]);
  if (args.length !== 1 || !/^\d+$/.test(args[0])) return sh.error('usage: kill <pid> — a PID in the VM\'s namespace, as ps shows it');
  const target = supervisorOf(sh).table.find(HOST_NS, pid);
  // kill sends SIGTERM, which an interactive shell ignores when it sets no trap (bash(1), dash(1)).
  if (target?.command === 'sh') return sh.print(`kill: PID ${pid} is this console's interactive shell, which ignores SIGTERM: it goes on`);
  const r = supervisorOf(sh).kill(pid);
  if (!r.ok) return sh.error(r.error);
  sh.print(`killed host PID ${r.killed.join(', ')}`);
}

function supervisor(sh: Shell, args: string[]): void {
  const sup = supervisorOf(sh);
  if (args.length === 0) return sh.print(formatApps(sup).join('\n'));
  if (args[0] === 'serialize' && (args[1] === 'on' || args[1] === 'off') && args.length === 2) {
    sup.setSerialize(args[1] === 'on');
    return sh.print(`[supervisor] launches are now ${sup.serialize ? 'serialised: each waits for the previous app\'s first PID' : 'parallel: container PIDs can be charged to the wrong app'}`);
  }
  sh.error('usage: supervisor | supervisor serialize on|off');
}

/** `ps` in the application VM: both PID views; `ps --ns <container>` as that container sees it. */
export function appPs(sh: Shell, args: string[]): void {
  const sup = supervisorOf(sh);
  if (args.length === 0) return sh.print(formatPs(sup).join('\n'));
  if (args[0] === '--ns' && args.length === 2) {
    const lines = formatPs(sup, args[1]);
    return sup.table.hasNamespace(args[1]) ? sh.print(lines.join('\n')) : sh.error(`${lines[0]} — the containers are the CONTAINER column of ps`);
  }
  sh.error('usage: ps | ps --ns <container>');
}

/** `free` in the application VM: its memory, and each container's charge against its limit. */
export function appFree(sh: Shell, unit: 'KiB' | 'MiB' = 'KiB'): void {
  sh.print(formatFree(supervisorOf(sh), unit).join('\n'));
}

export const APP_COMMANDS: CommandDef[] = [
  { name: 'launch', where: ['app'], usage: 'launch <app> [<app> …]', help: 'start apps through the supervisor (browser, media-player, recipe-book, stuck-app, memory-hog, media-player-tampered)', run: launch },
  { name: 'stop', where: ['app'], usage: 'stop <app | app-id>', help: 'stop an app: its processes end, its resources go back', run: stop },
  { name: 'kill', where: ['app'], usage: 'kill <pid>', help: 'end one process (a container\'s PID 1 takes the container with it)', run: kill },
  { name: 'supervisor', where: ['app'], usage: 'supervisor [serialize on|off]', help: 'the apps, their trust, containers and resources; serialised or parallel launches', run: supervisor },
];
