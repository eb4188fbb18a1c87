// The kernel-call layer ("thunk"): one i386 kernel call in, zero or more
// host kernel calls out. For each call it reads the arguments where the
// Linux i386 ABI puts them, converts each by its C type, checks pointers
// against the memory constrainer, makes the host's call with the host's
// registers, and converts the result back into EAX.

import {
  AT_FDCWD, ERRNO, HOST_ABI, HOST_CALLS, I386_ABI, I386_CALLS, MAP, MMAP2_UNIT, errnoName, regHex, type Host,
} from './abi.ts';
import type { Constrainer } from './constrainer.ts';
import type { CpuSimulator } from './cpu.ts';
import { pageUp } from './memory.ts';
import type { NativeKernel, NativeProcess } from './native.ts';

/**
 * How an argument is converted, by the C type of the kernel's parameter:
 * int — sign-extended (the host kernel reads its low 32 bits);
 * long — sign-extended (off_t: the kernel reads all 64 bits, so -1 must stay -1);
 * ulong — zero-extended (size_t, unsigned long: 0xffffffff is 4 GiB - 1, not -1);
 * in/out/cstr — a pointer the kernel dereferences: checked against the limit, then zero-extended;
 * addr — an address the kernel only compares (a hint, brk's target): zero-extended.
 */
type Kind = 'int' | 'long' | 'ulong' | 'in' | 'out' | 'cstr' | 'addr';
interface ArgSpec {
  name: string;
  /** The parameter's C type, as the trace shows it. */
  type: string;
  kind: Kind;
  /** Bytes behind a pointer: a number, or the index of the argument that says. */
  len?: number | { arg: number };
}

const POINTER_KINDS = new Set<Kind>(['in', 'out', 'cstr', 'addr']);

const fd: ArgSpec = { name: 'fd', type: 'int', kind: 'int' };
const status: ArgSpec = { name: 'status', type: 'int', kind: 'int' };
const SPEC: Record<string, ArgSpec[]> = {
  exit: [status],
  exit_group: [status],
  read: [fd, { name: 'buf', type: 'void *', kind: 'out', len: { arg: 2 } }, { name: 'count', type: 'size_t', kind: 'ulong' }],
  write: [fd, { name: 'buf', type: 'const void *', kind: 'in', len: { arg: 2 } }, { name: 'count', type: 'size_t', kind: 'ulong' }],
  open: [{ name: 'path', type: 'const char *', kind: 'cstr' }, { name: 'flags', type: 'int', kind: 'int' }, { name: 'mode', type: 'umode_t', kind: 'ulong' }],
  close: [fd],
  getpid: [],
  brk: [{ name: 'addr', type: 'unsigned long', kind: 'addr' }],
  munmap: [{ name: 'addr', type: 'void *', kind: 'addr' }, { name: 'length', type: 'size_t', kind: 'ulong' }],
  ftruncate: [fd, { name: 'length', type: 'off_t', kind: 'long' }],
  // The old i386 mmap (sys_old_mmap): one pointer to six 32-bit words in memory.
  mmap: [{ name: 'args', type: 'struct mmap_arg_struct *', kind: 'in', len: 24 }],
  mmap2: [
    { name: 'addr', type: 'void *', kind: 'addr' }, { name: 'length', type: 'size_t', kind: 'ulong' },
    { name: 'prot', type: 'unsigned long', kind: 'ulong' }, { name: 'flags', type: 'unsigned long', kind: 'ulong' },
    fd, { name: 'pgoff', type: 'unsigned long', kind: 'ulong' },
  ],
  // struct old_timespec32 { int32 tv_sec; int32 tv_nsec; }: 8 bytes
  clock_gettime: [{ name: 'clockid', type: 'clockid_t', kind: 'int' }, { name: 'tp', type: 'struct old_timespec32 *', kind: 'out', len: 8 }],
};

export interface ThunkStep {
  kind: 'arg' | 'pointer' | 'struct' | 'constrain' | 'emulate' | 'host' | 'result';
  text: string;
}

export interface HostCallRecord {
  name: string;
  nr: number;
  /** Host registers as set for the call: number register first, then the arguments. */
  regs: { reg: string; value: bigint; note?: string }[];
  result: bigint;
}

export interface KernelCallRecord {
  /** 1-based index among this program's calls. */
  seq: number;
  /** Instructions the program had executed when it made the call. */
  step: number;
  nr: number;
  name: string;
  /** The program's registers as the i386 ABI reads them (eax, then the arguments). */
  program: { reg: string; value: number; note?: string; pointer?: boolean; /** the string a `const char *` argument points to */ text?: string }[];
  steps: ThunkStep[];
  host: HostCallRecord[];
  /** EAX after the call (unsigned). */
  result: number;
  /** Set when the call failed: the errno name (EFAULT, ENOMEM...). */
  errno?: string;
  /** Set when the constrainer refused a pointer: EFAULT without asking the host. */
  refused?: { pointer: number; why: string };
}

const h32 = (v: number) => regHex(v, 32);

export class KernelCallLayer {
  private brkStart: number;
  private brkCur: number;

  constructor(
    readonly host: Host,
    private kernel: NativeKernel,
    /** The emulator's own process on the host, whose address space holds the program's memory. */
    readonly proc: NativeProcess,
    readonly constrainer: Constrainer,
    brkStart: number,
    /** Host memory for converting structures (only used where layouts differ: the 64-bit host). */
    private scratch: number,
  ) {
    this.brkStart = this.brkCur = brkStart;
  }

  get programBreak(): number { return this.brkCur; }

  /** Handles the kernel call the CPU just trapped on; sets EAX. */
  call(cpu: CpuSimulator, seq: number, step: number): KernelCallRecord {
    const nr = cpu.get(I386_ABI.number);
    const name = I386_CALLS[nr] ?? `#${nr}`;
    const spec = SPEC[name];
    const raw = I386_ABI.args.map((r) => cpu.get(r));
    const rec: KernelCallRecord = {
      seq, step, nr, name, steps: [], host: [], result: 0,
      program: [{ reg: I386_ABI.number, value: nr, note: name }, ...(spec ?? []).map((a, i) => ({ reg: I386_ABI.args[i], value: raw[i], note: a.name, pointer: POINTER_KINDS.has(a.kind) }))],
    };
    const done = (result: number | bigint): KernelCallRecord => {
      const r = BigInt(result);
      const eax = Number(BigInt.asUintN(32, r));
      if (r < 0n && r >= -4095n) rec.errno = errnoName(Number(-r));
      rec.result = eax;
      cpu.set(I386_ABI.result, eax);
      return rec;
    };
    if (!spec) {
      rec.steps.push({ kind: 'result', text: `i386 call ${nr} is not implemented by this emulator → eax=${h32(-ERRNO.ENOSYS)} (-ENOSYS)` });
      return done(-ERRNO.ENOSYS);
    }

    spec?.forEach((a, i) => {
      const text = a.kind === 'cstr' && raw[i] < this.constrainer.limit.end ? this.proc.mem.readCString(raw[i], 256) : null;
      if (text !== null) rec.program[i + 1].text = text;
    });
    if (name === 'brk') return done(this.brk(rec, raw[0])); // never reaches the host's brk: nothing to convert

    // 1. Each argument from its i386 register, converted by its C type.
    const wide = this.host.bits === 64;
    const hostArgs: bigint[] = [];
    for (const [i, a] of spec.entries()) {
      const v = raw[i];
      const from = `${a.name}: ${I386_ABI.args[i]} ${h32(v)}`;
      const ptr = POINTER_KINDS.has(a.kind);
      if (ptr && a.kind !== 'addr') {
        const len = a.kind === 'cstr' ? this.cstrLength(v) : typeof a.len === 'number' ? a.len : raw[a.len!.arg];
        const check = this.constrainer.checkPointer(v, Math.max(len, 1));
        if (!check.ok) {
          rec.refused = { pointer: v, why: check.why };
          rec.steps.push({ kind: 'constrain', text: `${from} pointer refused: ${check.why} — the host kernel is not asked (${wide ? 'on the 64-bit host that address is ordinary user memory, possibly the emulator\'s own' : 'it is kernel space on this 32-bit host too'})` });
          rec.steps.push({ kind: 'result', text: `eax=${h32(-ERRNO.EFAULT)} (-EFAULT), as a 32-bit kernel's access_ok() would answer; the program continues` });
          return done(-ERRNO.EFAULT);
        }
      }
      const signed = a.kind === 'int' || a.kind === 'long';
      const value = signed ? BigInt.asIntN(32, BigInt(v)) : BigInt(v >>> 0);
      const how = !wide ? 'unchanged (32 bits on both sides)' : signed ? 'sign-extended' : 'zero-extended';
      const where = ptr && a.kind !== 'addr' ? ', inside the limit' : '';
      hostArgs.push(value);
      rec.steps.push({ kind: ptr ? 'pointer' : 'arg', text: `${from} (${a.type}${where}) → ${how} → ${regHex(value, wide ? 64 : 32)}` });
    }

    // 2. The call itself, on the host.
    switch (name) {
      case 'mmap2': return done(this.mmap2(rec, raw));
      case 'mmap': return done(this.oldMmap(rec, raw[0]));
      case 'clock_gettime': return done(this.clockGettime(rec, raw, hostArgs));
      case 'exit': case 'exit_group': {
        this.hostCall(rec, name, hostArgs, ['status']);
        rec.steps.push({ kind: 'result', text: `${name} does not return: the emulator's process ends with status ${raw[0] & 0xff}` });
        return done(0);
      }
      case 'open':
        if (this.host.isa === 'aarch64') {
          rec.steps.push({ kind: 'arg', text: `AArch64 Linux has no open: openat(AT_FDCWD, …) instead; AT_FDCWD ${AT_FDCWD} sign-extended → ${regHex(AT_FDCWD, 64)}` });
          return done(this.result(rec, this.hostCall(rec, 'openat', [BigInt(AT_FDCWD), ...hostArgs], ['dirfd', 'path', 'flags', 'mode'])));
        }
        return done(this.result(rec, this.hostCall(rec, 'open', hostArgs, spec.map((a) => a.name))));
      default:
        return done(this.result(rec, this.hostCall(rec, name, hostArgs, spec.map((a) => a.name))));
    }
  }

  /** Length of the NUL-terminated string at `p` that lies below the limit (+1 for the NUL), or 1 when unreadable. */
  private cstrLength(p: number): number {
    if (p >= this.constrainer.limit.end) return 1;
    const s = this.proc.mem.readCString(p, Math.min(4096, this.constrainer.limit.end - p));
    return s === null ? 1 : s.length + 1;
  }

  private hostCall(rec: KernelCallRecord, name: string, args: bigint[], notes: string[]): bigint {
    const abi = HOST_ABI[this.host.isa];
    const nr = HOST_CALLS[this.host.isa][name];
    const result = this.kernel.call(this.proc, name, args);
    const call: HostCallRecord = {
      name, nr, result,
      regs: [{ reg: abi.number, value: BigInt(nr), note: name }, ...args.map((v, i) => ({ reg: abi.args[i], value: v, note: notes[i] }))],
    };
    rec.host.push(call);
    rec.steps.push({ kind: 'host', text: formatHostCall(call, this.host) });
    return result;
  }

  /** The host's result back into EAX: an error stays -errno; a value must fit the program's 32 bits. */
  private result(rec: KernelCallRecord, r: bigint): bigint {
    const abi = HOST_ABI[this.host.isa];
    const shown = `${abi.result} ${regHex(r, abi.width)}`;
    if (r < 0n && r >= -4095n) {
      rec.steps.push({ kind: 'result', text: `${shown} = -${errnoName(Number(-r))} → eax=${h32(Number(r))} (-errno, the same on both sides)` });
      return r;
    }
    if (r > 0xffff_ffffn) throw new Error(`host result ${regHex(r, 64)} for ${rec.name} does not fit 32 bits`);
    rec.steps.push({ kind: 'result', text: `${shown} (${r}) → eax=${h32(Number(r))}${abi.width === 64 ? ' (upper 32 bits zero: nothing lost)' : ''}` });
    return r;
  }

  /**
   * brk is emulated: the host's brk moves the emulator's own heap, which is
   * not the program's. The program's break grows by mapping pages at fixed
   * addresses just above its data, below the limit; like Linux, a failed brk
   * returns the old break rather than an error.
   */
  private brk(rec: KernelCallRecord, want: number): number {
    const cur = this.brkCur;
    rec.steps.push({ kind: 'emulate', text: `brk is emulated: the program's heap starts at ${h32(this.brkStart)}; the host's own brk belongs to the emulator` });
    if (want === 0 || want === cur) {
      rec.steps.push({ kind: 'result', text: `current break → eax=${h32(cur)}` });
      return cur;
    }
    const oldTop = pageUp(cur), newTop = pageUp(want);
    if (want < this.brkStart || newTop > this.constrainer.mmapBase) {
      rec.steps.push({ kind: 'constrain', text: `break ${h32(want)} is ${want < this.brkStart ? 'below the heap start' : `past the mmap area at ${h32(this.constrainer.mmapBase)}`}: refused, old break returned` });
      rec.steps.push({ kind: 'result', text: `eax=${h32(cur)} (unchanged: brk reports failure by not moving)` });
      return cur;
    }
    if (newTop > oldTop) {
      const flags = MAP.PRIVATE | MAP.ANONYMOUS | MAP.FIXED_NOREPLACE;
      rec.steps.push({ kind: 'constrain', text: `grow the heap by ${newTop - oldTop} bytes at ${h32(oldTop)} (below the limit ${h32(this.constrainer.limit.end)}): host mmap at that fixed address` });
      const r = this.hostMmap(rec, oldTop, newTop - oldTop, 3, flags);
      if (r < 0n) { rec.steps.push({ kind: 'result', text: `eax=${h32(cur)} (unchanged)` }); return cur; }
    } else if (newTop < oldTop) {
      this.hostCall(rec, 'munmap', [BigInt(newTop), BigInt(oldTop - newTop)], ['addr', 'length']);
    }
    this.brkCur = want;
    rec.steps.push({ kind: 'result', text: `new break → eax=${h32(want)}` });
    return want;
  }

  private hostMmap(rec: KernelCallRecord, addr: number, len: number, prot: number, flags: number, fd = -1, pgoff = 0): bigint {
    const off = this.host.isa === 'aarch64' ? BigInt(pgoff * MMAP2_UNIT) : BigInt(pgoff);
    return this.hostCall(rec, this.host.isa === 'aarch64' ? 'mmap' : 'mmap2',
      [BigInt(addr), BigInt(len), BigInt(prot), BigInt(flags), BigInt.asIntN(32, BigInt(fd)), off],
      ['addr', 'length', 'prot', 'flags', 'fd', this.host.isa === 'aarch64' ? 'offset (bytes)' : 'pgoff']);
  }

  /** mmap2: the constrainer chooses (or checks) the address; the host maps exactly there. */
  private mmap2(rec: KernelCallRecord, raw: number[]): bigint {
    const [addr, len, prot, flags, fd, pgoff] = raw;
    if (len === 0) { rec.steps.push({ kind: 'result', text: `length 0 → eax=${h32(-ERRNO.EINVAL)} (-EINVAL)` }); return BigInt(-ERRNO.EINVAL); }
    let at: number;
    let hostFlags: number;
    if (flags & MAP.FIXED) {
      const c = this.constrainer.checkFixed(addr, len);
      if (!c.ok) {
        rec.steps.push({ kind: 'constrain', text: `MAP_FIXED at ${h32(addr)} refused: ${c.why}` });
        rec.steps.push({ kind: 'result', text: `eax=${h32(-ERRNO.ENOMEM)} (-ENOMEM, as a 32-bit kernel answers a request past TASK_SIZE)` });
        return BigInt(-ERRNO.ENOMEM);
      }
      at = addr;
      hostFlags = flags;
      rec.steps.push({ kind: 'constrain', text: `MAP_FIXED at ${h32(addr)}: wholly below the limit ${h32(this.constrainer.limit.end)}` });
    } else {
      const placed = this.constrainer.place(len);
      if (placed === null) {
        rec.steps.push({ kind: 'result', text: `no free ${len} bytes below the limit → eax=${h32(-ERRNO.ENOMEM)} (-ENOMEM)` });
        return BigInt(-ERRNO.ENOMEM);
      }
      at = placed;
      hostFlags = flags | MAP.FIXED_NOREPLACE;
      rec.steps.push({ kind: 'constrain', text: `address ${addr ? `hint ${h32(addr)} replaced` : 'left to the kernel'}: the constrainer picks ${h32(at)} (below ${h32(this.constrainer.limit.end)}) and asks the host for exactly that (MAP_FIXED_NOREPLACE)` });
    }
    if (this.host.isa === 'aarch64') rec.steps.push({ kind: 'arg', text: `AArch64 has mmap, not mmap2: offset ${pgoff} × ${MMAP2_UNIT} → ${pgoff * MMAP2_UNIT} bytes` });
    const r = this.hostMmap(rec, at, len, prot, hostFlags, fd, pgoff);
    return this.result(rec, r);
  }

  /**
   * The old i386 mmap passes its six arguments in memory: struct
   * mmap_arg_struct { addr, len, prot, flags, fd, offset }, 32-bit words, the
   * offset in bytes (mm/mmap.c, sys_old_mmap: copy_from_user, then EINVAL for
   * an offset that is not page-aligned). The emulator reads them
   * into registers itself, then proceeds as for mmap2.
   */
  private oldMmap(rec: KernelCallRecord, ptr: number): bigint {
    if (!this.proc.mem.accessible(ptr, 24, 1)) {
      rec.steps.push({ kind: 'result', text: `the argument block at ${h32(ptr)} is not readable → eax=${h32(-ERRNO.EFAULT)} (-EFAULT)` });
      return BigInt(-ERRNO.EFAULT);
    }
    const w = [0, 4, 8, 12, 16, 20].map((o) => this.proc.mem.read32(ptr + o));
    const names = ['addr', 'len', 'prot', 'flags', 'fd', 'offset'];
    rec.steps.push({ kind: 'struct', text: `struct mmap_arg_struct at ${h32(ptr)}: six 32-bit words in memory, not registers — ${names.map((n, i) => `${n}=${n === 'fd' ? w[i] | 0 : h32(w[i])}`).join(' ')}` });
    if (w[5] % MMAP2_UNIT !== 0) {
      rec.steps.push({ kind: 'result', text: `offset ${w[5]} is not page-aligned → eax=${h32(-ERRNO.EINVAL)} (-EINVAL)` });
      return BigInt(-ERRNO.EINVAL);
    }
    rec.steps.push({ kind: 'arg', text: `offset ${w[5]} bytes → ${w[5] / MMAP2_UNIT} pages, then as mmap2` });
    return this.mmap2(rec, [w[0], w[1], w[2], w[3], w[4], w[5] / MMAP2_UNIT]);
  }

  /** clock_gettime: on a 64-bit host struct timespec is two 64-bit longs and must be narrowed to the program's two 32-bit ones. */
  private clockGettime(rec: KernelCallRecord, raw: number[], args: bigint[]): bigint {
    const tp = raw[1];
    if (this.host.bits === 32) {
      rec.steps.push({ kind: 'struct', text: `struct timespec is {int32 tv_sec; int32 tv_nsec} on both sides (8 bytes): passed through` });
      return this.result(rec, this.hostCall(rec, 'clock_gettime', args, ['clockid', 'tp']));
    }
    rec.steps.push({ kind: 'struct', text: `the host writes a 16-byte LP64 struct timespec {int64 tv_sec @0; int64 tv_nsec @8} into the emulator's buffer at ${regHex(this.scratch, 64)}` });
    const r = this.hostCall(rec, 'clock_gettime', [args[0], BigInt(this.scratch)], ['clockid', 'tp (emulator buffer)']);
    if (r < 0n) return this.result(rec, r);
    const sec = this.proc.mem.read64(this.scratch), nsec = this.proc.mem.read64(this.scratch + 8);
    const sec32 = Number(BigInt.asIntN(32, sec));
    const fits = BigInt(sec32) === sec;
    if (!this.proc.mem.accessible(tp, 8, 2)) {
      rec.steps.push({ kind: 'result', text: `copying back to ${h32(tp)} fails: not writable → eax=${h32(-ERRNO.EFAULT)} (-EFAULT)` });
      return BigInt(-ERRNO.EFAULT);
    }
    this.proc.mem.write32(tp, sec32 >>> 0);
    this.proc.mem.write32(tp + 4, Number(nsec));
    rec.steps.push({ kind: 'struct', text: `→ struct old_timespec32 {int32 tv_sec @0; int32 tv_nsec @4} (8 bytes) at ${h32(tp)}: tv_sec ${sec} ${fits ? 'fits in 32 bits' : `truncated to ${sec32} (a 32-bit time_t ends in January 2038)`}, tv_nsec ${nsec}` });
    return this.result(rec, r);
  }
}

/** One host kernel call as a trace line: the host's trap, its registers, its result register. */
export function formatHostCall(c: HostCallRecord, host: Host): string {
  const abi = HOST_ABI[host.isa];
  const regs = c.regs.map((r, i) => `${r.reg}=${i === 0 ? `${r.value} (${r.note})` : regHex(r.value, abi.width)}`).join(' ');
  return `${abi.name} ${abi.trap}: ${regs} → ${abi.result}=${regHex(c.result, abi.width)}`;
}
