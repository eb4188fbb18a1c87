// Random arithmetic programs compute on the interpreter what the same
// arithmetic computes in JavaScript; random comparisons take the same branches.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSnippet } from './helpers.ts';

const REGS = ['eax', 'ecx', 'edx', 'ebx', 'esi', 'edi'] as const;
type Reg = (typeof REGS)[number];

type Op =
  | { op: 'add' | 'sub' | 'and' | 'or' | 'xor' | 'imul'; dst: number; src: number | { imm: number } }
  | { op: 'shl' | 'shr' | 'sar'; dst: number; count: number }
  | { op: 'neg' | 'not' | 'inc' | 'dec'; dst: number };

const reg = fc.integer({ min: 0, max: REGS.length - 1 });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const imm = fc.oneof(fc.integer({ min: -128, max: 127 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('add', 'sub', 'and', 'or', 'xor', 'imul'), dst: reg, src: fc.oneof(reg, imm.map((v) => ({ imm: v }))) })
    .filter((o) => o.op !== 'imul' || typeof o.src === 'number') as fc.Arbitrary<Op>,
  fc.record({ op: fc.constantFrom('shl', 'shr', 'sar'), dst: reg, count: fc.integer({ min: 0, max: 31 }) }) as fc.Arbitrary<Op>,
  fc.record({ op: fc.constantFrom('neg', 'not', 'inc', 'dec'), dst: reg }) as fc.Arbitrary<Op>,
);

function source(init: number[], ops: Op[]): string {
  const lines = init.map((v, i) => `mov ${REGS[i]}, ${v}`);
  for (const o of ops) {
    const d: Reg = REGS[o.dst];
    if ('src' in o) lines.push(`${o.op} ${d}, ${typeof o.src === 'number' ? REGS[o.src] : o.src.imm}`);
    else if ('count' in o) lines.push(`${o.op} ${d}, ${o.count}`);
    else lines.push(`${o.op} ${d}`);
  }
  return `${lines.join('\n')}\nint 0x80`;
}

/** The same program in plain JavaScript, on unsigned 32-bit numbers. */
function model(init: number[], ops: Op[]): number[] {
  const r = [...init];
  for (const o of ops) {
    const a = r[o.dst];
    if ('src' in o) {
      const b = typeof o.src === 'number' ? r[o.src] : o.src.imm >>> 0;
      r[o.dst] = (o.op === 'add' ? a + b : o.op === 'sub' ? a - b : o.op === 'and' ? a & b : o.op === 'or' ? a | b : o.op === 'xor' ? a ^ b : Math.imul(a, b)) >>> 0;
    } else if ('count' in o) {
      r[o.dst] = (o.op === 'shl' ? a << o.count : o.op === 'shr' ? a >>> o.count : a >> o.count) >>> 0;
    } else {
      r[o.dst] = (o.op === 'neg' ? -a : o.op === 'not' ? ~a : o.op === 'inc' ? a + 1 : a - 1) >>> 0;
    }
  }
  return r;
}

describe('i386 interpreter against JavaScript', () => {
  it('random arithmetic programs leave the registers JavaScript computes', () => {
    fc.assert(fc.property(fc.array(u32, { minLength: 6, maxLength: 6 }), fc.array(opArb, { minLength: 1, maxLength: 40 }), (init, ops) => {
      const { cpu, end } = runSnippet(source(init, ops));
      expect(end).toEqual({ kind: 'syscall' });
      expect(REGS.map((r) => cpu.get(r))).toEqual(model(init, ops));
    }), { numRuns: 300 });
  });

  it('after cmp a, b each conditional jump agrees with the signed or unsigned comparison', () => {
    const conds: [string, (a: number, b: number) => boolean][] = [
      ['e', (a, b) => a === b], ['ne', (a, b) => a !== b],
      ['b', (a, b) => a >>> 0 < b >>> 0], ['ae', (a, b) => a >>> 0 >= b >>> 0], ['be', (a, b) => a >>> 0 <= b >>> 0], ['a', (a, b) => a >>> 0 > b >>> 0],
      ['l', (a, b) => (a | 0) < (b | 0)], ['ge', (a, b) => (a | 0) >= (b | 0)], ['le', (a, b) => (a | 0) <= (b | 0)], ['g', (a, b) => (a | 0) > (b | 0)],
      ['s', (a, b) => ((a - b) | 0) < 0], ['o', (a, b) => (a | 0) - (b | 0) !== ((a - b) | 0)],
    ];
    const body = conds.map(([cc], i) => `cmp eax, ebx\nj${cc} t${i}\njmp n${i}\nt${i}: or ecx, ${1 << i}\nn${i}: nop`).join('\n');
    const values = fc.oneof(u32, fc.constantFrom(0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff));
    fc.assert(fc.property(values, values, (a, b) => {
      const { cpu } = runSnippet(`mov eax, ${a}\nmov ebx, ${b}\nmov ecx, 0\n${body}\nint 0x80`);
      const want = conds.reduce((m, [, f], i) => (f(a, b) ? m | (1 << i) : m), 0);
      expect(cpu.get('ecx')).toBe(want);
    }), { numRuns: 300 });
  });

  it("imul's carry and overflow flags say whether the signed product fits 32 bits, as BigInt does", () => {
    fc.assert(fc.property(u32, u32, (a, b) => {
      const cpu = runSnippet(`mov eax, ${a}\nmov ebx, ${b}\nimul eax, ebx\nint 0x80`).cpu;
      const p = BigInt(a | 0) * BigInt(b | 0);
      const f = cpu.get('eflags');
      expect([f & 1, (f >> 11) & 1]).toEqual(p === BigInt.asIntN(32, p) ? [0, 0] : [1, 1]);
    }), { numRuns: 300 });
  });

  it('unsigned division and multiplication match BigInt arithmetic', () => {
    fc.assert(fc.property(u32, u32, fc.integer({ min: 1, max: 0xffff_ffff }), (a, b, d) => {
      const { cpu } = runSnippet(`mov eax, ${a}\nmov ebx, ${b}\nmul ebx\nmov esi, eax\nmov edi, edx\nmov eax, ${a}\nmov edx, 0\nmov ecx, ${d}\ndiv ecx\nint 0x80`);
      const p = BigInt(a) * BigInt(b);
      expect([cpu.get('esi'), cpu.get('edi')]).toEqual([Number(p & 0xffff_ffffn), Number(p >> 32n)]);
      expect([cpu.get('eax'), cpu.get('edx')]).toEqual([Math.floor(a / d), a % d]);
    }), { numRuns: 200 });
  });
});
