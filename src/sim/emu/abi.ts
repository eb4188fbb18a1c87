// The two sides of a kernel call: the 32-bit program's ABI and the host's.
//
// Program side — Linux i386 `int 0x80`: EAX holds the call number, EBX, ECX,
// EDX, ESI, EDI, EBP the first six arguments; the result comes back in EAX,
// an error as -errno (-4095..-1). (syscall(2), "Architecture calling
// conventions"; numbers from arch/x86/entry/syscalls/syscall_32.tbl.)
// Host side — Linux AArch64: `svc #0`, X8 = number, X0–X5 arguments, result
// in X0 (numbers from include/uapi/asm-generic/unistd.h); Linux Arm EABI:
// `svc #0`, R7 = number, R0–R5 arguments, result in R0 (arch/arm/tools/syscall.tbl).

import type { SocId } from '../../model/types.ts';
import type { Isa } from './cpu.ts';

export interface Host {
  isa: 'aarch64' | 'armv7-a';
  bits: 32 | 64;
}

/** The lab's SoC profiles as hosts (Cortex-A5 and Cortex-A7 are ARMv7-A; Cortex-A53 runs Linux in AArch64). */
export const HOSTS: Record<SocId, Host> = {
  'mcu-16': { isa: 'armv7-a', bits: 32 },
  'iot-a7m4': { isa: 'armv7-a', bits: 32 },
  'gateway-a53': { isa: 'aarch64', bits: 64 },
};

export interface Layers {
  /** The CPU simulator executes the program's instructions. */
  cpu: boolean;
  /** The kernel-call layer translates each kernel call to the host's ABI. */
  thunk: boolean;
  why: string;
}

/**
 * Which layers a 32-bit program needs on `host`. An i386 program's
 * instructions run on no Arm core, so it always needs the CPU simulator, and
 * its kernel ABI is not the host's. A 32-bit Arm (A32) program runs on a
 * Cortex-A53 as it is — ARMv8-A keeps AArch32 at EL0 — but a 64-bit kernel
 * takes 64-bit arguments; on an ARMv7-A host it is simply a native program.
 */
export function layersFor(program: Isa, host: Host): Layers {
  if (program === 'i386')
    return { cpu: true, thunk: true, why: `i386 instructions do not run on an ${host.isa} core, and its kernel calls use the i386 ABI, not the ${host.isa} one` };
  // arm64 Linux with CONFIG_COMPAT runs AArch32 EL0 tasks itself and takes their calls through its compat
  // syscall table (arch/arm64/kernel/sys32.c); without it, a user-mode emulator would need both layers, since
  // only the kernel can drop a task into AArch32 state.
  if (program === 'a32' && host.isa === 'aarch64')
    return { cpu: false, thunk: false, why: 'the Cortex-A53 implements AArch32 at EL0, and the gateway\'s arm64 kernel, built with CONFIG_COMPAT, takes the program\'s 32-bit calls through its compat syscall table' };
  if (program === 'a32' && host.isa === 'armv7-a')
    return { cpu: false, thunk: false, why: 'a 32-bit Arm program on a 32-bit Arm kernel is a native program: the kernel takes its calls directly' };
  return { cpu: true, thunk: true, why: `${program} code is not native to ${host.isa}` };
}

/** Linux i386 kernel-call numbers this emulator implements (syscall_32.tbl). */
export const I386_CALLS: Record<number, string> = {
  1: 'exit', 3: 'read', 4: 'write', 5: 'open', 6: 'close', 20: 'getpid', 45: 'brk',
  90: 'mmap', 91: 'munmap', 93: 'ftruncate', 192: 'mmap2', 252: 'exit_group', 265: 'clock_gettime',
};

/** The host's numbers for the calls the emulator makes. AArch64 has no open/mmap2: openat and mmap take their place. */
export const HOST_CALLS: Record<Host['isa'], Record<string, number>> = {
  aarch64: { read: 63, write: 64, openat: 56, close: 57, ftruncate: 46, mmap: 222, munmap: 215, getpid: 172, clock_gettime: 113, exit: 93, exit_group: 94 },
  'armv7-a': { read: 3, write: 4, open: 5, close: 6, ftruncate: 93, mmap2: 192, munmap: 91, getpid: 20, clock_gettime: 263, exit: 1, exit_group: 248 },
};

export interface RegisterConvention { trap: string; number: string; args: string[]; result: string; width: 32 | 64 }

export const I386_ABI: RegisterConvention & { name: string } = {
  name: 'Linux i386 int 0x80', trap: 'int 0x80', number: 'eax', args: ['ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp'], result: 'eax', width: 32,
};

export const HOST_ABI: Record<Host['isa'], RegisterConvention & { name: string }> = {
  aarch64: { name: 'Linux AArch64', trap: 'svc #0', number: 'x8', args: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'], result: 'x0', width: 64 },
  'armv7-a': { name: 'Linux Arm EABI', trap: 'svc #0', number: 'r7', args: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'], result: 'r0', width: 32 },
};

/** errno values (include/uapi/asm-generic/errno-base.h; the same on i386 and Arm). */
export const ERRNO = { ENOENT: 2, EBADF: 9, ENOMEM: 12, EFAULT: 14, EEXIST: 17, EINVAL: 22, ENOSYS: 38 } as const;
export type ErrnoName = keyof typeof ERRNO;
export const errnoName = (n: number): string => (Object.keys(ERRNO) as ErrnoName[]).find((k) => ERRNO[k] === n) ?? `errno ${n}`;

/** mmap/open constants, identical on i386, Arm and AArch64 (asm-generic/mman-common.h, fcntl.h). */
export const PROT = { READ: 1, WRITE: 2, EXEC: 4 } as const;
export const MAP = { SHARED: 0x01, PRIVATE: 0x02, FIXED: 0x10, ANONYMOUS: 0x20, FIXED_NOREPLACE: 0x10_0000 } as const;
export const O = { RDONLY: 0, WRONLY: 1, RDWR: 2, CREAT: 0o100 } as const;
export const AT_FDCWD = -100;
/** mmap2's offset is in 4096-byte units on i386 and Arm, whatever the page size. */
export const MMAP2_UNIT = 4096;

/** Hex of a register value at the register's width (two's complement for negatives). */
export function regHex(v: bigint | number, width: 32 | 64): string {
  const u = BigInt.asUintN(width, BigInt(v));
  return `0x${u.toString(16).padStart(width / 4, '0')}`;
}
