// The memory constrainer: the 32-bit program only ever sees addresses below
// its limit. Every allocation the emulator makes for it is placed there (the
// host kernel is asked for that exact address), and every pointer the program
// hands to a kernel call is checked against it first.

import { AddressSpace, PAGE_SIZE, pageUp } from './memory.ts';

export interface Limit {
  /** First address the program may not use. */
  end: number;
  reason: string;
}

/**
 * The i386 Linux program's limit: 3 GiB. Its 32-bit pointers could name
 * 4 GiB, but it was built for a 32-bit Linux kernel with the default 3G/1G
 * split (CONFIG_VMSPLIT_3G, PAGE_OFFSET = TASK_SIZE = 0xC0000000): the top
 * 1 GiB is the kernel's, access_ok() refuses pointers there with EFAULT, and
 * the program has never been given an address at or above it.
 */
export const I386_LINUX_LIMIT: Limit = {
  end: 0xc000_0000,
  reason: 'a 32-bit pointer can name 4 GiB, but an i386 Linux program was built for the 3G/1G split of a 32-bit kernel (TASK_SIZE 0xC0000000): the top 1 GiB is kernel space, where a kernel call gets EFAULT',
};

/**
 * On a 32-bit Arm host the program's limit is the host's own: the emulator is one host process, the
 * program's memory the low part of its address space, and 32-bit Arm Linux ends user space 16 MiB
 * under its 3G/1G split (TASK_SIZE = PAGE_OFFSET - 16M = 0xBF000000, arch/arm/include/asm/memory.h:
 * the kernel's modules are mapped above it). The host could map nothing for the program from there
 * up, so the stack ends just under 0xBF000000 instead of 0xC0000000; no i386 program depends on where.
 */
export const ARM32_HOST_LIMIT: Limit = {
  end: 0xbf00_0000,
  reason: 'an i386 Linux program may use addresses up to 0xC0000000, but on this 32-bit Arm host user space ends at 0xBF000000 (TASK_SIZE: the kernel\'s modules are mapped above it), and the program\'s memory is part of the emulator\'s own address space',
};

/** The program's limit on `host`: the lower of its own and the host's user space. */
export function limitFor(host: { bits: 32 | 64 }): Limit {
  return host.bits === 32 ? ARM32_HOST_LIMIT : I386_LINUX_LIMIT;
}

/** Stack top and size: the stack ends just under the limit, as under a 32-bit kernel. */
export const STACK_SIZE = 128 * 1024;
/**
 * The top of the area for mappings whose address the program leaves to the
 * kernel: Linux leaves at least 128 MiB between the stack and the mmap area
 * (MIN_GAP in its mmap_base()), i.e. 0xB8000000 for a 3 GiB limit, 0xB7000000 for 0xBF000000.
 */
const MMAP_GAP = 128 * 1024 * 1024;

const MMAP_FLOOR = 0x1000_0000;

export type Check = { ok: true } | { ok: false; why: string };

export class Constrainer {
  private mmapTop: number;

  constructor(readonly limit: Limit, private mem: AddressSpace) {
    this.mmapTop = limit.end - MMAP_GAP;
  }

  get stackTop(): number { return this.limit.end; }
  get mmapBase(): number { return this.limit.end - MMAP_GAP; }

  /** Is [ptr, ptr+len) inside the program's address space? (Mapped-ness is for the host kernel to find.) */
  checkPointer(ptr: number, len: number): Check {
    if (ptr >= this.limit.end) return { ok: false, why: `0x${ptr.toString(16).padStart(8, '0')} is at or above the program's limit 0x${this.limit.end.toString(16)}` };
    if (ptr + len > this.limit.end) return { ok: false, why: `the ${len} bytes at 0x${ptr.toString(16).padStart(8, '0')} run past the program's limit 0x${this.limit.end.toString(16)}` };
    return { ok: true };
  }

  /**
   * A free, page-aligned address below the limit for `len` bytes, top-down
   * from the mmap area (null: none left). The search stops at 256 MiB,
   * leaving the space above the program's text to its brk heap.
   */
  place(len: number): number | null {
    const size = pageUp(len);
    let a = this.mmapTop - size;
    while (a >= MMAP_FLOOR) {
      const used = this.mem.highestUsed(a, size);
      if (used === null) { this.mmapTop = Math.min(this.mmapTop, a); return a; }
      a = used - size; // the next candidate ends where the obstacle begins
    }
    return null;
  }

  /** A fixed request must lie wholly below the limit. */
  checkFixed(addr: number, len: number): Check {
    if (addr % PAGE_SIZE !== 0) return { ok: false, why: 'the address is not page-aligned' };
    return addr + pageUp(len) <= this.limit.end ? { ok: true } : { ok: false, why: `0x${addr.toString(16)}+${len} reaches past the limit 0x${this.limit.end.toString(16)}` };
  }
}
