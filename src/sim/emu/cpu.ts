// The pluggable CPU: what the kernel-call emulator needs from any instruction
// set interpreter. The emulator loads a program image, steps it, and when a
// step reports a kernel call it reads the arguments from the registers and
// memory this interface exposes (DOMAIN.md §3: "a pluggable CPU simulator").

import type { AddressSpace } from './memory.ts';

export type Isa = 'i386' | 'a32' | 'aarch64';

export interface Section { name: string; addr: number; bytes: Uint8Array; prot: number }

/** A program ready to load: its sections at fixed addresses and where it starts. */
export interface ProgramImage {
  isa: Isa;
  entry: number;
  sections: Section[];
  /** Labels of the source, for tests and the disassembly. */
  symbols: Record<string, number>;
}

export type Signal = 'SIGSEGV' | 'SIGILL' | 'SIGFPE' | 'SIGTRAP';

export type StepResult =
  | { kind: 'ok' }
  /** The instruction was a kernel call (e.g. i386 `int 0x80`); the program counter is already past it. */
  | { kind: 'syscall' }
  /** The CPU raised an exception the kernel turns into a signal; the instruction did not complete. */
  | { kind: 'fault'; signal: Signal; address: number; message: string };

export interface CpuSimulator {
  readonly isa: Isa;
  readonly memory: AddressSpace;
  /** Register names in the order the ISA's manuals list them. */
  readonly registerNames: readonly string[];
  /** Sets the program counter and stack pointer; the sections are already mapped by the loader. */
  reset(entry: number, stackPointer: number): void;
  /** Executes one instruction. */
  step(): StepResult;
  get(reg: string): number;
  set(reg: string, value: number): void;
  registers(): Record<string, number>;
  readonly pc: number;
}
