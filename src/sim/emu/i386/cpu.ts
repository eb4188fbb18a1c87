// An interpreter for the i386 subset in decode.ts: 32-bit registers, the
// arithmetic flags the conditional jumps test (CF, ZF, SF, OF, PF), a
// downward stack, and `int 0x80` reported to the emulator as a kernel call.
// Flag rules follow the Intel SDM Vol. 2 entry of each instruction.

import type { CpuSimulator, Signal, StepResult } from '../cpu.ts';
import { MemoryFault, type AddressSpace } from '../memory.ts';
import { UndefinedOpcode, decode } from './decode.ts';
import { CC, REG32, hex32, type Instr, type Operand } from './isa.ts';

const ESP = 4;
const SIGN = 0x8000_0000;

function parity(v: number): boolean {
  let b = v & 0xff;
  b ^= b >> 4; b ^= b >> 2; b ^= b >> 1;
  return (b & 1) === 0;
}

const OK: StepResult = Object.freeze({ kind: 'ok' }) as StepResult;

/** Operations by number, so the hot switch in exec() is a jump table rather than string compares. */
const OPS = ['mov', 'movzx', 'lea', 'add', 'sub', 'cmp', 'and', 'or', 'xor', 'test', 'inc', 'dec', 'neg', 'not', 'imul', 'mul', 'div',
  'shl', 'shr', 'sar', 'push', 'pop', 'call', 'ret', 'jmp', 'nop', 'int'] as const;
const OP_CODE: Record<string, number> = Object.fromEntries(OPS.map((o, i) => [o, i]));
const JCC = 100;

/** A decoded instruction with its dispatch code (JCC + condition for the conditional jumps). */
interface Compiled { ins: Instr; code: number }

/** The 64-bit product of two unsigned 32-bit numbers as [low, high], from 16-bit halves (each partial product is exact in a double). */
function mulU32(a: number, b: number): [number, number] {
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const ll = aL * bL, lh = aL * bH, hl = aH * bL;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return [(((mid & 0xffff) << 16) | (ll & 0xffff)) >>> 0, (aH * bH + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0];
}

class Fault {
  constructor(readonly signal: Signal, readonly address: number, readonly message: string) {}
}

export class I386 implements CpuSimulator {
  readonly isa = 'i386' as const;
  readonly registerNames = [...REG32, 'eip', 'eflags'] as const;
  private r = new Uint32Array(8);
  private eip = 0;
  private cf = false; private zf = false; private sf = false; private of = false; private pf = false;
  /** Decoded instructions by address; dropped when code memory is written. */
  private cache = new Map<number, Compiled>();

  constructor(readonly memory: AddressSpace) {
    memory.onCodeWrite = () => this.cache.clear();
  }

  get pc(): number { return this.eip; }

  reset(entry: number, stackPointer: number): void {
    this.r.fill(0);
    this.r[ESP] = stackPointer;
    this.eip = entry >>> 0;
    this.cf = this.zf = this.sf = this.of = this.pf = false;
    this.cache.clear();
  }

  /** EFLAGS with the bits this subset models (CF 0, PF 2, ZF 6, SF 7, OF 11; bit 1 is always 1). */
  private eflags(): number {
    return (2 | +this.cf | (+this.pf << 2) | (+this.zf << 6) | (+this.sf << 7) | (+this.of << 11)) >>> 0;
  }

  get(reg: string): number {
    if (reg === 'eip') return this.eip;
    if (reg === 'eflags') return this.eflags();
    const i = REG32.indexOf(reg as (typeof REG32)[number]);
    if (i < 0) throw new Error(`i386 has no register '${reg}'`);
    return this.r[i];
  }

  set(reg: string, value: number): void {
    if (reg === 'eip') { this.eip = value >>> 0; return; }
    const i = REG32.indexOf(reg as (typeof REG32)[number]);
    if (i < 0) throw new Error(`i386 has no writable register '${reg}'`);
    this.r[i] = value;
  }

  registers(): Record<string, number> {
    return Object.fromEntries(this.registerNames.map((n) => [n, this.get(n)]));
  }

  /** Decodes the instruction at `addr` (for disassembly and tests). */
  decodeAt(addr: number): Instr {
    return decode((a) => this.memory.fetch8(a), addr);
  }

  step(): StepResult {
    const at = this.eip;
    try {
      let c = this.cache.get(this.eip);
      if (!c) {
        const ins = this.decodeAt(this.eip);
        const code = OP_CODE[ins.op] ?? JCC + CC.indexOf(ins.op.slice(1) as (typeof CC)[number]);
        c = { ins, code };
        this.cache.set(this.eip, c);
      }
      return this.exec(c.ins, c.code);
    } catch (e) {
      this.eip = at; // an instruction that faults does not complete
      if (e instanceof MemoryFault) return { kind: 'fault', signal: 'SIGSEGV', address: e.address, message: `segmentation fault: ${e.message} at eip ${hex32(at)}` };
      if (e instanceof UndefinedOpcode) return { kind: 'fault', signal: 'SIGILL', address: this.eip, message: `illegal instruction: ${e.message}` };
      if (e instanceof Fault) return { kind: 'fault', signal: e.signal, address: e.address, message: e.message };
      throw e;
    }
  }

  private ea(o: Extract<Operand, { t: 'mem' }>): number {
    return ((o.base === null ? 0 : this.r[o.base]) + o.disp) >>> 0;
  }

  private read(o: Operand): number {
    switch (o.t) {
      case 'reg': return this.r[o.r];
      case 'reg8': return o.r < 4 ? this.r[o.r] & 0xff : (this.r[o.r - 4] >>> 8) & 0xff;
      case 'imm': return o.v;
      case 'mem': return o.size === 1 ? this.memory.read8(this.ea(o)) : this.memory.read32(this.ea(o));
    }
  }

  private write(o: Operand, v: number): void {
    switch (o.t) {
      case 'reg': this.r[o.r] = v; return;
      case 'reg8':
        if (o.r < 4) this.r[o.r] = (this.r[o.r] & ~0xff) | (v & 0xff);
        else this.r[o.r - 4] = (this.r[o.r - 4] & ~0xff00) | ((v & 0xff) << 8);
        return;
      case 'mem':
        if (o.size === 1) this.memory.write8(this.ea(o), v & 0xff);
        else this.memory.write32(this.ea(o), v >>> 0);
        return;
      case 'imm': throw new Error('cannot write an immediate');
    }
  }

  private szp(res: number): void {
    this.zf = res === 0;
    this.sf = (res & SIGN) !== 0;
    this.pf = parity(res);
  }

  private push(v: number): void {
    const sp = (this.r[ESP] - 4) >>> 0;
    this.memory.write32(sp, v);
    this.r[ESP] = sp;
  }

  private pop(): number {
    const v = this.memory.read32(this.r[ESP]);
    this.r[ESP] = (this.r[ESP] + 4) >>> 0;
    return v;
  }

  /** Condition `cc` (the low nibble of the Jcc opcode: o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g). */
  private cond(cc: number): boolean {
    switch (cc) {
      case 0: return this.of;
      case 1: return !this.of;
      case 2: return this.cf;
      case 3: return !this.cf;
      case 4: return this.zf;
      case 5: return !this.zf;
      case 6: return this.cf || this.zf;
      case 7: return !this.cf && !this.zf;
      case 8: return this.sf;
      case 9: return !this.sf;
      case 10: return this.pf;
      case 11: return !this.pf;
      case 12: return this.sf !== this.of;
      case 13: return this.sf === this.of;
      case 14: return this.zf || this.sf !== this.of;
      case 15: return !this.zf && this.sf === this.of;
    }
    throw new Error(`unknown condition ${cc}`);
  }

  private exec(i: Instr, code: number): StepResult {
    const next = (this.eip + i.len) >>> 0;
    this.eip = next;
    if (code >= JCC) {
      if (this.cond(code - JCC)) this.eip = i.target!;
      return OK;
    }
    const a = i.a!, b = i.b!;
    switch (OPS[code]) {
      case 'mov': this.write(a, this.read(b)); break;
      case 'movzx': this.write(a, this.read(b)); break;
      case 'lea': this.write(a, this.ea(b as Extract<Operand, { t: 'mem' }>)); break;
      case 'add': case 'sub': case 'cmp': {
        const x = this.read(a), y = this.read(b);
        const res = (i.op === 'add' ? x + y : x - y) >>> 0;
        if (i.op === 'add') {
          this.cf = x + y > 0xffff_ffff;
          this.of = ((x ^ res) & (y ^ res) & SIGN) !== 0;
        } else {
          this.cf = x < y;
          this.of = ((x ^ y) & (x ^ res) & SIGN) !== 0;
        }
        this.szp(res);
        if (i.op !== 'cmp') this.write(a, res);
        break;
      }
      case 'and': case 'or': case 'xor': case 'test': {
        const x = this.read(a), y = this.read(b);
        const res = (i.op === 'or' ? x | y : i.op === 'xor' ? x ^ y : x & y) >>> 0;
        this.cf = this.of = false;
        this.szp(res);
        if (i.op !== 'test') this.write(a, res);
        break;
      }
      case 'inc': case 'dec': { // CF is left as it was
        const x = this.read(a);
        const res = (i.op === 'inc' ? x + 1 : x - 1) >>> 0;
        this.of = i.op === 'inc' ? res === SIGN : x === SIGN;
        this.szp(res);
        this.write(a, res);
        break;
      }
      case 'neg': {
        const x = this.read(a);
        const res = (0 - x) >>> 0;
        this.cf = x !== 0;
        this.of = x === SIGN;
        this.szp(res);
        this.write(a, res);
        break;
      }
      case 'not': this.write(a, ~this.read(a) >>> 0); break;
      case 'imul': {
        const x = this.read(a) | 0, y = this.read(b) | 0;
        const res = Math.imul(x, y);
        // The double product is exact inside the int32 range and cannot round back into it from outside.
        const p = x * y;
        this.cf = this.of = p < -0x8000_0000 || p > 0x7fff_ffff;
        this.szp(res >>> 0);
        this.write(a, res >>> 0);
        break;
      }
      case 'mul': { // edx:eax = eax × r/m32
        const [lo, hi] = mulU32(this.r[0], this.read(a));
        this.r[0] = lo;
        this.r[2] = hi;
        this.cf = this.of = this.r[2] !== 0;
        break;
      }
      case 'div': { // eax = edx:eax ÷ r/m32, edx = remainder; #DE on zero or an overflowing quotient
        const d = this.read(a);
        if (d === 0) throw new Fault('SIGFPE', i.addr, `divide error: division by zero at eip ${hex32(i.addr)}`);
        const n = this.r[2] === 0 ? null : (BigInt(this.r[2]) << 32n) | BigInt(this.r[0]);
        if (n === null) {
          const x = this.r[0];
          this.r[0] = Math.floor(x / d);
          this.r[2] = x % d;
        } else {
          const q = n / BigInt(d);
          if (q > 0xffff_ffffn) throw new Fault('SIGFPE', i.addr, `divide error: quotient too large at eip ${hex32(i.addr)}`);
          this.r[0] = Number(q);
          this.r[2] = Number(n % BigInt(d));
        }
        break;
      }
      case 'shl': case 'shr': case 'sar': {
        const n = this.read(b) & 31; // the count is masked to 5 bits; a zero count leaves the flags alone
        if (n === 0) break;
        const x = this.read(a);
        let res: number;
        if (i.op === 'shl') { res = (x << n) >>> 0; this.cf = ((x >>> (32 - n)) & 1) === 1; this.of = ((res & SIGN) !== 0) !== this.cf; }
        else if (i.op === 'shr') { res = x >>> n; this.cf = ((x >>> (n - 1)) & 1) === 1; this.of = (x & SIGN) !== 0; }
        else { res = (x >> n) >>> 0; this.cf = ((x >> (n - 1)) & 1) === 1; this.of = false; }
        this.szp(res);
        this.write(a, res);
        break;
      }
      case 'push': this.push(this.read(a)); break;
      case 'pop': this.write(a, this.pop()); break;
      case 'call': this.push(next); this.eip = i.target!; break;
      case 'ret': this.eip = this.pop(); break;
      case 'jmp': this.eip = i.target!; break;
      case 'nop': break;
      case 'int': {
        const vector = this.read(a);
        if (vector === 0x80) return { kind: 'syscall' };
        // Linux opens vectors 3 and 4 to user mode as well (system gates, DPL 3: arch/x86/kernel/idt.c):
        // int 3 is a breakpoint (do_int3 → SIGTRAP), int 4 an overflow trap (SIGSEGV, arch/x86/kernel/traps.c).
        if (vector === 3) throw new Fault('SIGTRAP', i.addr, `breakpoint: int 3 at eip ${hex32(i.addr)} (trace/breakpoint trap, no debugger attached)`);
        if (vector === 4) throw new Fault('SIGSEGV', i.addr, `overflow trap: int 4 at eip ${hex32(i.addr)}`);
        // Every other software-interrupt gate has DPL 0: #GP in user mode, delivered as SIGSEGV.
        throw new Fault('SIGSEGV', i.addr, `general protection: int 0x${vector.toString(16)} is not open to user mode (eip ${hex32(i.addr)})`);
      }
      default:
        throw new Error(`decoder produced an unknown operation ${i.op}`);
    }
    return OK;
  }
}
