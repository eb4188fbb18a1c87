// The kernel-call emulator (DOMAIN.md §3): a 32-bit program on a pluggable
// CPU, its kernel calls translated to the host's, its memory constrained.
// run32() runs one to the end; Emu32Process steps one inside the simulation.

export { HOSTS, I386_ABI, HOST_ABI, layersFor, type Host, type Layers } from './abi.ts';
export { ARM32_HOST_LIMIT, I386_LINUX_LIMIT, limitFor, type Limit } from './constrainer.ts';
export type { CpuSimulator, ProgramImage, StepResult, Signal } from './cpu.ts';
export { assemble, AsmError } from './i386/asm.ts';
export { I386 } from './i386/cpu.ts';
export { NativeKernel, type ConsoleWrite } from './native.ts';
export { PROGRAMS, type Program32 } from './programs.ts';
export { Emu32Process, run32, formatCall, formatPeer, programNames, DEFAULT_MAX_STEPS, type EmuFault, type PeerResult, type Run32Options, type Run32Result } from './run32.ts';
export type { KernelCallRecord, HostCallRecord, ThunkStep } from './thunk.ts';
