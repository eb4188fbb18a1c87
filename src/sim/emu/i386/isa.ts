// The i386 subset this interpreter and its assembler share: register
// numbering and condition codes as encoded in the opcode bytes
// (Intel SDM Vol. 2, Tables 2-2 and B-1).

export const REG32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
/** 8-bit registers: 0–3 are the low bytes of eax–ebx, 4–7 the second bytes (ah–bh). */
export const REG8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'] as const;
/** Condition codes, by the low nibble of Jcc (0x70+cc / 0x0F 0x80+cc). */
export const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;
export const CC_ALIASES: Record<string, string> = {
  z: 'e', nz: 'ne', c: 'b', nc: 'ae', nae: 'b', nb: 'ae', na: 'be', nbe: 'a', pe: 'p', po: 'np', nge: 'l', nl: 'ge', ng: 'le', nle: 'g',
};

/** ALU operations of opcodes 0x01–0x3B and group 1 (0x81/0x83), by their /digit. */
export const ALU = { add: 0, or: 1, and: 4, sub: 5, xor: 6, cmp: 7 } as const;
export type AluOp = keyof typeof ALU;
export const ALU_BY_DIGIT: Record<number, AluOp> = { 0: 'add', 1: 'or', 4: 'and', 5: 'sub', 6: 'xor', 7: 'cmp' };
/** Shift group 2 (0xC1) by /digit. */
export const SHIFT = { shl: 4, shr: 5, sar: 7 } as const;
export const SHIFT_BY_DIGIT: Record<number, keyof typeof SHIFT> = { 4: 'shl', 5: 'shr', 7: 'sar' };
/** Unary group 3 (0xF7) by /digit. */
export const UNARY = { not: 2, neg: 3, mul: 4, div: 6 } as const;
export const UNARY_BY_DIGIT: Record<number, keyof typeof UNARY> = { 2: 'not', 3: 'neg', 4: 'mul', 6: 'div' };

export type Operand =
  | { t: 'reg'; r: number }
  | { t: 'reg8'; r: number }
  | { t: 'imm'; v: number }
  /** [base + disp], or [disp] when base is null; `size` is the access width in bytes. */
  | { t: 'mem'; base: number | null; disp: number; size: 1 | 4 };

export interface Instr {
  addr: number;
  len: number;
  op: string;
  a?: Operand;
  b?: Operand;
  /** Branch target of call/jmp/jcc. */
  target?: number;
}

export const hex32 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

function fmtImm(v: number): string {
  const s = v | 0;
  return s >= -9 && s <= 9 ? String(s) : s < 0 && s > -0x10000 ? `-0x${(-s).toString(16)}` : `0x${(v >>> 0).toString(16)}`;
}

function fmtOperand(o: Operand, sized: boolean): string {
  switch (o.t) {
    case 'reg': return REG32[o.r];
    case 'reg8': return REG8[o.r];
    case 'imm': return fmtImm(o.v);
    case 'mem': {
      const d = o.disp | 0;
      const inner = o.base === null ? `0x${(o.disp >>> 0).toString(16)}`
        : d === 0 ? REG32[o.base] : d < 0 ? `${REG32[o.base]}-0x${(-d).toString(16)}` : `${REG32[o.base]}+0x${d.toString(16)}`;
      return `${sized ? (o.size === 1 ? 'byte ' : 'dword ') : ''}[${inner}]`;
    }
  }
}

/** Intel-syntax text of a decoded instruction (what the assembler accepts back). */
export function formatInstr(i: Instr): string {
  if (i.target !== undefined) return `${i.op} ${hex32(i.target)}`;
  // The size keyword is needed where no register operand gives the width away.
  const sized = i.op === 'movzx' || ((i.a?.t === 'mem' || i.b?.t === 'mem') && (!i.b || i.b.t === 'imm') && i.op !== 'lea');
  const ops = [i.a, i.b].filter((o): o is Operand => o !== undefined).map((o) => fmtOperand(o, sized));
  return ops.length ? `${i.op} ${ops.join(', ')}` : i.op;
}
