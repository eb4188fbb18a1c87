// Running 32-bit programs through a kernel-call emulator (DOMAIN.md §3):
// instead of emulating a machine, each kernel call of the 32-bit program is
// intercepted, its 32-bit words and pointers widened to 64 bits, stack
// arguments moved to registers, and its memory constrained to the low 2 GiB.

import type { Shell } from './commands/context.ts';
import { hex } from './memoryMap.ts';
import { profile } from '../model/profiles.ts';

const LIMIT = 0x8000_0000;

interface Call {
  name: string;
  /** Arguments as the 32-bit program pushed them on the stack. */
  args: number[];
  /** Which arguments are pointers. */
  pointers: number[];
  result?: string;
}

const PROGRAMS: Record<string, { description: string; calls: Call[]; output: string }> = {
  hello32: {
    description: 'a well-behaved 32-bit program',
    calls: [
      { name: 'brk', args: [0x0805_0000], pointers: [0] },
      { name: 'write', args: [1, 0x0804_a000, 27], pointers: [1], result: '27' },
      { name: 'exit_group', args: [0], pointers: [] },
    ],
    output: 'Hello from a 32-bit program',
  },
  badptr32: {
    description: 'a 32-bit program that passes a pointer outside its address space',
    calls: [
      { name: 'write', args: [1, 0x0804_a000, 6], pointers: [1], result: '6' },
      { name: 'read', args: [0, 0x9000_0000, 64], pointers: [1] },
    ],
    output: 'start\n',
  },
};

export function run32Command(sh: Shell, args: string[]): void {
  const name = args[0];
  const prog = name && Object.hasOwn(PROGRAMS, name) ? PROGRAMS[name] : undefined;
  if (!prog) return sh.error(`run32: ${name ? `no program '${name}'` : 'which program?'} — one of ${Object.keys(PROGRAMS).join(', ')}`);
  sh.print(`kernel-call emulator: loading ${name} (${prog.description}); its memory is constrained to 0x00000000–${hex(LIMIT - 1)}`);
  let step = 0;
  let killed = false;
  for (const call of prog.calls) {
    sh.guest.after(++step * 5, () => {
      if (killed) return;
      const bad = call.pointers.find((i) => call.args[i] >= LIMIT);
      // On a 64-bit host (AArch64) the words are widened into x registers; on a 32-bit core they stay in r registers.
      const wide = profile(sh.sim.board.soc).arch.application === 'aarch64';
      const regs = call.args.map((a, i) => (wide ? `x${i}=${hex(a, 16)}` : `r${i}=${hex(a)}`)).join(' ');
      sh.print(`  [emu] ${call.name}(${call.args.map((a) => hex(a, 1)).join(', ')}) from the stack → native ${call.name}: ${regs}`);
      if (bad !== undefined) {
        sh.sim.emit('emu.fault', 'app', `The kernel-call emulator refused ${name}'s ${call.name}: pointer ${hex(call.args[bad])} is outside the 2 GiB a 32-bit program may address.`,
          ['app'], { program: name, call: call.name, pointer: call.args[bad] });
        sh.error(`  [emu] EFAULT: pointer ${hex(call.args[bad])} is outside the 32-bit address space (limit ${hex(LIMIT)})\n${name}: Segmentation fault (killed by the kernel-call emulator)`);
        killed = true;
        return;
      }
      if (call.name === 'write') sh.print(prog.output.replace(/\n$/, ''));
      if (call.name === 'exit_group') sh.print(`${name}: exited with status 0`);
    });
  }
}
