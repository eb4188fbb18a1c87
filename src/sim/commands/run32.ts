// `run32 [--trace] <program>`: a 32-bit program run through the kernel-call
// emulator (src/sim/emu) inside the application VM. The program is stepped in
// slices on the simulation's clock, so it shows in `ps` while it runs; each
// kernel call is an `emu.call` event and each fault an `emu.fault`.

import type { CommandDef, Shell } from './context.ts';
import { HOST_NS } from '../apps/index.ts';
import { pruneEmu32, supervisorOf, watchEmu32 } from './apps.ts';
import { Emu32Process, HOSTS, formatCall, formatPeer, programNames, PROGRAMS } from '../emu/index.ts';
import { profile } from '../../model/profiles.ts';

/** Instructions per slice, and one slice per simulated millisecond (a 20 MIPS emulator). */
const SLICE_STEPS = 20_000;
const SLICE_MS = 1;
/** The simulated device's clock at power-on (2026-01-01T00:00:00Z), for the program's clock_gettime. */
const EPOCH_SEC = 1_767_225_600;

const USAGE = 'run32 [--trace] <program> [&]';

function run(sh: Shell, args: string[]): void {
  // `&` at the end runs it in the background: the prompt comes back and `ps` lists it while it runs.
  const background = sh.background === true;
  const trace = args[0] === '--trace';
  const name = trace ? args[1] : args[0];
  const list = programNames().map((p) => `  ${p.padEnd(9)} ${PROGRAMS[p].description}`).join('\n');
  if (!name || args.length > (trace ? 2 : 1)) return sh.error(`usage: ${USAGE}\nprograms:\n${list}`);
  if (!programNames().includes(name)) return sh.error(`run32: no program '${name}'\nprograms:\n${list}`);

  const soc = profile(sh.sim.board.soc);
  const host = HOSTS[sh.sim.board.soc];
  const now = sh.sim.now;
  // The program is a process of the VM's process table, a child of the shell; its getpid() is its PID there.
  const sup = supervisorOf(sh);
  const shell = sup.table.list(HOST_NS).find((p) => p.command === 'sh')?.hostPid ?? 1;
  const held = sup.table.spawnEmu32(HOST_NS, shell, (allocatePid) => new Emu32Process(name, host, {
    now: { sec: EPOCH_SEC + Math.floor(now / 1000), nsec: (now % 1000) * 1_000_000 },
    allocatePid,
  }));
  const proc = held.emu!;
  const layers = proc.layers;
  const needs = [layers.cpu && 'the CPU simulator', layers.thunk && 'the kernel-call layer'].filter(Boolean).join(' and ') || 'neither layer';
  sh.print([
    `run32: ${name} is a 32-bit i386 Linux program; this ${soc.cores.applicationName} host (${host.isa}, ${host.bits}-bit) needs ${needs}: ${layers.why}.`,
    `run32: its memory is kept below ${hex(proc.thunk.constrainer.limit.end)}: ${proc.thunk.constrainer.limit.reason}.`,
  ].join('\n'));

  const token = sh.guest.commandId;
  const epoch = sh.guest.epoch;
  // Listed while it runs; an interrupted (Ctrl-C) or rebooted run leaves no process behind.
  watchEmu32(held, () => proc.state === 'running' && sh.guest.epoch === epoch && (background || sh.guest.commandId === token));
  const next = (step: () => void) => (background ? sh.guest.inThisLife(SLICE_MS, step) : sh.guest.after(SLICE_MS, step));
  if (background) sh.print(`[1] ${proc.pid}`);

  // The console shows whole lines: a program that writes a line in pieces (text, a number, more text) reads as one.
  const pendingText: Record<1 | 2, string> = { 1: '', 2: '' };
  const show = (text: string, fd: 1 | 2, flush = false) => {
    const lines = (pendingText[fd] + text).split('\n');
    pendingText[fd] = flush ? '' : lines.pop()!;
    for (const line of lines) if (!flush || line) (fd === 2 ? sh.error : sh.print)(line);
  };

  const slice = () => {
    // `kill <pid>` took it out of the process table: it runs no more.
    if (sup.table.get(held.hostPid) !== held) return sh.error(`${name}: killed (pid ${proc.pid})`);
    const out = proc.run(SLICE_STEPS);
    // Console writes and calls in the order the program made them: each write to stdout or stderr is one call.
    const writes = [...out.writes];
    for (const call of out.calls) {
      if (trace) sh.print(formatCall(call).join('\n'));
      sh.sim.emit('emu.call', 'app', `${name} (pid ${proc.pid}) made kernel call #${call.seq}, ${call.name}${call.errno ? `, which returned -${call.errno}` : ''}; the emulator translated it for the ${host.isa} kernel.`,
        ['app'], { program: name, pid: proc.pid, seq: call.seq, call: call.name, result: call.errno ? `-${call.errno}` : call.result, thunk: formatCall(call) });
      const fd = call.program[1]?.value;
      if (call.name === 'write' && !call.errno && (fd === 1 || fd === 2) && writes.length) {
        const w = writes.shift()!;
        show(w.text, w.fd);
      }
    }
    for (const w of writes) show(w.text, w.fd);
    for (const f of out.faults) {
      sh.sim.emit('emu.fault', 'app', f.kind === 'efault'
        ? `The kernel-call emulator returned EFAULT to ${name}'s ${f.call}: the pointer ${hex(f.address ?? 0)} is not memory the program may use; the program goes on.`
        : `${name} was stopped: ${f.message}.`,
      ['app'], { program: name, pid: proc.pid, kind: f.kind, ...(f.call ? { call: f.call } : {}), ...(f.address !== undefined ? { pointer: f.address } : {}) });
      if (trace || f.kind !== 'efault') sh.error(`[emu] ${f.message}`);
    }
    if (proc.state === 'running') return next(slice);
    pruneEmu32(sup);
    show('', 1, true);
    show('', 2, true);
    const result = proc.result();
    if (result.peer && trace) sh.print(formatPeer(result.peer, host).join('\n'));
    else if (result.peer) sh.print(`native pid ${result.peer.pid} read the shared page: "${result.peer.text}"`);
    sh.print(`${name}: ${result.exitCode !== null ? `exited with status ${result.exitCode}` : `killed (${result.signal ?? 'step budget'})`} after ${result.steps.toLocaleString('en')} instructions and ${result.calls.length} kernel calls`);
  };
  next(slice);
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

export const RUN32: CommandDef = {
  name: 'run32', where: ['app'], usage: USAGE, background: true,
  help: 'run a 32-bit i386 program through the kernel-call emulator (--trace: each call\'s thunk)',
  run,
};
