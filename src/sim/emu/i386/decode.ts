// Decoding the i386 subset (Intel SDM Vol. 2, opcode map in Appendix A).
// Anything outside the subset raises #UD, which the kernel delivers to the
// program as SIGILL — the same signal a real CPU's unknown opcode would give.

import { ALU_BY_DIGIT, CC, SHIFT_BY_DIGIT, UNARY_BY_DIGIT, type Instr, type Operand } from './isa.ts';

export class UndefinedOpcode extends Error {
  constructor(readonly address: number, what: string) {
    super(`${what} at 0x${address.toString(16).padStart(8, '0')} is outside the interpreter's i386 subset`);
  }
}

/** Reads instruction bytes; throws the memory's fault when the bytes are not executable. */
export type Fetch = (addr: number) => number;

const s8 = (b: number) => (b << 24) >> 24;

export function decode(fetch: Fetch, addr: number): Instr {
  let p = addr;
  const u8 = () => fetch(p++);
  const u32 = () => (u8() | (u8() << 8) | (u8() << 16) | (u8() << 24)) >>> 0;

  /** ModRM: the register field and the r/m operand (no SIB forms in this subset). */
  const modrm = (size: 1 | 4): { reg: number; rm: Operand } => {
    const m = u8();
    const mod = m >> 6, reg = (m >> 3) & 7, rm = m & 7;
    if (mod === 3) return { reg, rm: size === 1 ? { t: 'reg8', r: rm } : { t: 'reg', r: rm } };
    if (rm === 4) throw new UndefinedOpcode(addr, 'a SIB addressing form');
    if (mod === 0 && rm === 5) return { reg, rm: { t: 'mem', base: null, disp: u32(), size } };
    const disp = mod === 0 ? 0 : mod === 1 ? s8(u8()) : u32() | 0;
    return { reg, rm: { t: 'mem', base: rm, disp, size } };
  };
  const done = (i: Omit<Instr, 'addr' | 'len'>): Instr => ({ addr, len: p - addr, ...i });
  const reg = (r: number): Operand => ({ t: 'reg', r });
  const imm = (v: number): Operand => ({ t: 'imm', v: v >>> 0 });

  const op = u8();
  // ALU r/m32, r32 (0x01, 0x09, ... 0x39) and r32, r/m32 (0x03, 0x0B, ... 0x3B).
  if (op < 0x40 && (op & 7) <= 3 && (op & 7) % 2 === 1 && ALU_BY_DIGIT[op >> 3]) {
    const { reg: r, rm } = modrm(4);
    return (op & 2) ? done({ op: ALU_BY_DIGIT[op >> 3], a: reg(r), b: rm }) : done({ op: ALU_BY_DIGIT[op >> 3], a: rm, b: reg(r) });
  }
  if (op >= 0x40 && op <= 0x47) return done({ op: 'inc', a: reg(op - 0x40) });
  if (op >= 0x48 && op <= 0x4f) return done({ op: 'dec', a: reg(op - 0x48) });
  if (op >= 0x50 && op <= 0x57) return done({ op: 'push', a: reg(op - 0x50) });
  if (op >= 0x58 && op <= 0x5f) return done({ op: 'pop', a: reg(op - 0x58) });
  if (op >= 0x70 && op <= 0x7f) { const d = s8(u8()); return done({ op: `j${CC[op - 0x70]}`, target: (p + d) >>> 0 }); }
  if (op >= 0xb8 && op <= 0xbf) return done({ op: 'mov', a: reg(op - 0xb8), b: imm(u32()) });
  switch (op) {
    case 0x68: return done({ op: 'push', a: imm(u32()) });
    case 0x81: case 0x83: {
      const { reg: digit, rm } = modrm(4);
      const name = ALU_BY_DIGIT[digit];
      if (!name) throw new UndefinedOpcode(addr, `opcode 0x${op.toString(16)} /${digit}`);
      return done({ op: name, a: rm, b: imm(op === 0x81 ? u32() : s8(u8())) });
    }
    case 0x85: { const { reg: r, rm } = modrm(4); return done({ op: 'test', a: rm, b: reg(r) }); }
    case 0x88: { const { reg: r, rm } = modrm(1); return done({ op: 'mov', a: rm, b: { t: 'reg8', r } }); }
    case 0x89: { const { reg: r, rm } = modrm(4); return done({ op: 'mov', a: rm, b: reg(r) }); }
    case 0x8b: { const { reg: r, rm } = modrm(4); return done({ op: 'mov', a: reg(r), b: rm }); }
    case 0x8d: {
      const { reg: r, rm } = modrm(4);
      if (rm.t !== 'mem') throw new UndefinedOpcode(addr, 'lea with a register operand');
      return done({ op: 'lea', a: reg(r), b: rm });
    }
    case 0x90: return done({ op: 'nop' });
    case 0xc1: {
      const { reg: digit, rm } = modrm(4);
      const name = SHIFT_BY_DIGIT[digit];
      if (!name) throw new UndefinedOpcode(addr, `opcode 0xc1 /${digit}`);
      return done({ op: name, a: rm, b: imm(u8()) });
    }
    case 0xc3: return done({ op: 'ret' });
    case 0xc7: {
      const { reg: digit, rm } = modrm(4);
      if (digit !== 0) throw new UndefinedOpcode(addr, `opcode 0xc7 /${digit}`);
      return done({ op: 'mov', a: rm, b: imm(u32()) });
    }
    case 0xcd: return done({ op: 'int', a: imm(u8()) });
    case 0xe8: { const d = u32() | 0; return done({ op: 'call', target: (p + d) >>> 0 }); }
    case 0xe9: { const d = u32() | 0; return done({ op: 'jmp', target: (p + d) >>> 0 }); }
    case 0xeb: { const d = s8(u8()); return done({ op: 'jmp', target: (p + d) >>> 0 }); }
    case 0xf7: {
      const { reg: digit, rm } = modrm(4);
      const name = UNARY_BY_DIGIT[digit];
      if (!name) throw new UndefinedOpcode(addr, `opcode 0xf7 /${digit}`);
      return done({ op: name, a: rm });
    }
    case 0x0f: {
      const op2 = u8();
      if (op2 >= 0x80 && op2 <= 0x8f) { const d = u32() | 0; return done({ op: `j${CC[op2 - 0x80]}`, target: (p + d) >>> 0 }); }
      if (op2 === 0xaf) { const { reg: r, rm } = modrm(4); return done({ op: 'imul', a: reg(r), b: rm }); }
      if (op2 === 0xb6) { const { reg: r, rm } = modrm(1); return done({ op: 'movzx', a: reg(r), b: rm }); }
      throw new UndefinedOpcode(addr, `opcode 0x0f 0x${op2.toString(16).padStart(2, '0')}`);
    }
  }
  throw new UndefinedOpcode(addr, `opcode 0x${op.toString(16).padStart(2, '0')}`);
}
