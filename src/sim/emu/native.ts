// The host's kernel, as far as the emulator's native calls reach it: files in
// a tmpfs (/dev/shm), per-process file descriptors and address spaces, a
// clock, a console. Arguments and results are register values of the host's
// width, so a 32-bit value that was extended the wrong way arrives wrong here
// too (an fd of 0x00000000ffffffff is not -1).

import { AT_FDCWD, ERRNO, MAP, MMAP2_UNIT, O, type Host } from './abi.ts';
import { AddressSpace, PAGE_SIZE, PROT_READ, PROT_WRITE, pageUp } from './memory.ts';

export interface ShmFile { path: string; size: number; pages: Uint8Array[] }

interface Fd { file: ShmFile | 'stdin' | 'stdout' | 'stderr'; offset: number }

export class NativeProcess {
  readonly fds = new Map<number, Fd>([[0, { file: 'stdin', offset: 0 }], [1, { file: 'stdout', offset: 0 }], [2, { file: 'stderr', offset: 0 }]]);
  exitStatus: number | null = null;
  /** Where the kernel places mappings whose address it chooses (top-down). */
  mmapBase: number;

  constructor(readonly pid: number, readonly mem: AddressSpace, host: Host) {
    // Typical top of the mmap area: below 2^48 on AArch64 (48-bit VA), below the 3 GiB split on 32-bit Arm.
    this.mmapBase = host.bits === 64 ? 0xffff_b7ff_0000 : 0xb6ff_0000;
  }
}

export interface ConsoleWrite { pid: number; fd: 1 | 2; text: string }

export class NativeKernel {
  readonly files = new Map<string, ShmFile>();
  readonly console: ConsoleWrite[] = [];
  private allocatePid: () => number;

  /**
   * `now` is the simulated wall clock (seconds and nanoseconds since 1970);
   * `allocatePid` lets the guest's process table hand out the PIDs (by default 400, 401, ...).
   */
  constructor(readonly host: Host, readonly now: { sec: number; nsec: number }, allocatePid?: () => number) {
    let next = 400;
    this.allocatePid = allocatePid ?? (() => next++);
  }

  spawn(mem = new AddressSpace()): NativeProcess {
    return new NativeProcess(this.allocatePid(), mem, this.host);
  }

  /** Performs kernel call `name` for `p`; arguments and result are host register values (result signed). */
  call(p: NativeProcess, name: string, args: bigint[]): bigint {
    const bits = this.host.bits;
    // What the kernel's syscall wrapper makes of a register, by the parameter's C type:
    const s = (i: number) => Number(BigInt.asIntN(32, args[i] ?? 0n)); // int: the low 32 bits
    const l = (i: number) => Number(BigInt.asIntN(bits, args[i] ?? 0n)); // long / off_t: the whole register, signed
    const u = (i: number) => Number(BigInt.asUintN(bits, args[i] ?? 0n)); // unsigned long, size_t, pointers
    const err = (e: keyof typeof ERRNO) => BigInt(-ERRNO[e]);
    switch (name) {
      case 'write': {
        const f = p.fds.get(s(0)), buf = u(1), n = u(2);
        if (!f) return err('EBADF');
        if (!p.mem.accessible(buf, n, PROT_READ)) return err('EFAULT');
        const bytes = p.mem.readBytes(buf, n);
        if (f.file === 'stdout' || f.file === 'stderr') {
          this.console.push({ pid: p.pid, fd: f.file === 'stdout' ? 1 : 2, text: String.fromCharCode(...bytes) });
        } else if (f.file === 'stdin') return err('EBADF');
        else { writeFile(f.file, f.offset, bytes); f.offset += n; }
        return BigInt(n);
      }
      case 'read': {
        const f = p.fds.get(s(0)), buf = u(1), n = u(2);
        if (!f) return err('EBADF');
        if (!p.mem.accessible(buf, n, PROT_WRITE)) return err('EFAULT');
        if (f.file === 'stdin') return 0n; // no terminal input is attached: end of file
        if (typeof f.file === 'string') return err('EBADF');
        const got = readFile(f.file, f.offset, n);
        p.mem.writeBytes(buf, got);
        f.offset += got.length;
        return BigInt(got.length);
      }
      case 'open': case 'openat': {
        const off = name === 'openat' ? 1 : 0;
        if (name === 'openat' && s(0) !== AT_FDCWD && !(s(0) >= 0 && p.fds.has(s(0)))) return err('EBADF');
        const path = p.mem.readCString(u(off));
        if (path === null) return err('EFAULT');
        const flags = u(off + 1);
        let file = this.files.get(path);
        if (!file) {
          if (!(flags & O.CREAT)) return err('ENOENT');
          if (!path.startsWith('/dev/shm/') || path.length <= 9) return err('ENOENT'); // only the shared-memory tmpfs exists here
          file = { path, size: 0, pages: [] };
          this.files.set(path, file);
        }
        let fd = 3;
        while (p.fds.has(fd)) fd++;
        p.fds.set(fd, { file, offset: 0 });
        return BigInt(fd);
      }
      case 'close':
        return p.fds.delete(s(0)) ? 0n : err('EBADF');
      case 'ftruncate': {
        const f = p.fds.get(s(0));
        if (!f || typeof f.file === 'string') return err('EBADF');
        if (l(1) < 0) return err('EINVAL');
        f.file.size = l(1); // tmpfs files are sparse: pages appear when written or mapped
        return 0n;
      }
      case 'mmap': case 'mmap2': {
        const len = u(1), prot = u(2), flags = u(3), fd = s(4);
        const offset = name === 'mmap2' ? u(5) * MMAP2_UNIT : u(5);
        if (len === 0 || offset % PAGE_SIZE !== 0) return err('EINVAL');
        const size = pageUp(len);
        let addr = u(0);
        if (flags & (MAP.FIXED | MAP.FIXED_NOREPLACE)) {
          if (addr % PAGE_SIZE !== 0) return err('EINVAL');
          if (flags & MAP.FIXED_NOREPLACE && !(flags & MAP.FIXED) && !p.mem.free(addr, size)) return err('EEXIST');
        } else {
          addr = p.mmapBase - size;
          while (!p.mem.free(addr, size)) addr -= PAGE_SIZE;
          p.mmapBase = addr;
        }
        let shared: Uint8Array[] | undefined;
        if (!(flags & MAP.ANONYMOUS)) {
          const f = p.fds.get(fd);
          if (!f || typeof f.file === 'string') return err('EBADF');
          if (flags & MAP.SHARED) {
            const first = offset / PAGE_SIZE;
            while (f.file.pages.length < first + size / PAGE_SIZE) f.file.pages.push(new Uint8Array(PAGE_SIZE));
            shared = f.file.pages.slice(first, first + size / PAGE_SIZE);
          }
        }
        p.mem.map(addr, size, prot, shared);
        return BigInt(addr);
      }
      case 'munmap': {
        const addr = u(0);
        if (addr % PAGE_SIZE !== 0) return err('EINVAL');
        p.mem.unmap(addr, u(1));
        return 0n;
      }
      case 'getpid':
        return BigInt(p.pid);
      case 'clock_gettime': {
        const clk = s(0), tp = u(1);
        if (clk !== 0 && clk !== 1) return err('EINVAL'); // CLOCK_REALTIME, CLOCK_MONOTONIC
        const bytes = bits === 64 ? 16 : 8; // struct timespec: two longs
        if (!p.mem.accessible(tp, bytes, PROT_WRITE)) return err('EFAULT');
        if (bits === 64) { p.mem.write64(tp, BigInt(this.now.sec)); p.mem.write64(tp + 8, BigInt(this.now.nsec)); }
        else { p.mem.write32(tp, this.now.sec >>> 0); p.mem.write32(tp + 4, this.now.nsec); }
        return 0n;
      }
      case 'exit': case 'exit_group':
        p.exitStatus = s(0) & 0xff;
        return 0n;
    }
    return err('ENOSYS');
  }
}

function writeFile(f: ShmFile, at: number, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) {
    const pos = at + i;
    while (f.pages.length <= Math.floor(pos / PAGE_SIZE)) f.pages.push(new Uint8Array(PAGE_SIZE));
    f.pages[Math.floor(pos / PAGE_SIZE)][pos % PAGE_SIZE] = bytes[i];
  }
  f.size = Math.max(f.size, at + bytes.length);
}

function readFile(f: ShmFile, at: number, n: number): Uint8Array {
  const end = Math.min(f.size, at + n);
  const out = new Uint8Array(Math.max(0, end - at));
  for (let i = 0; i < out.length; i++) out[i] = f.pages[Math.floor((at + i) / PAGE_SIZE)]?.[(at + i) % PAGE_SIZE] ?? 0;
  return out;
}
