// A two-pass assembler for the i386 subset, Intel syntax (NASM-like):
//   label:  mov eax, [ebx+4]   ; comment
//   section .text / section .data, db "text", 10, 0 / dd 1, label / resb 16, name equ 42
// Every form's size is fixed in the first pass (a displacement or immediate
// that names a label is always 32 bits), so the second pass only fills values.
// Encodings: Intel SDM Vol. 2, the instruction pages and Table 2-2 (ModRM).

import type { ProgramImage } from '../cpu.ts';
import { PROT_EXEC, PROT_READ, PROT_WRITE, pageUp } from '../memory.ts';
import { ALU, CC, CC_ALIASES, REG32, REG8, SHIFT, UNARY } from './isa.ts';

/** Where i386 Linux executables are traditionally linked (the ld default for elf_i386). */
export const TEXT_BASE = 0x0804_8000;

export class AsmError extends Error {}

type Expr = { terms: { sign: 1 | -1; sym?: string; num?: number }[] };
type Op =
  | { t: 'reg'; r: number }
  | { t: 'reg8'; r: number }
  | { t: 'imm'; e: Expr }
  | { t: 'mem'; base: number | null; disp: Expr; size: 1 | 4 | null };

interface Stmt { line: number; section: '.text' | '.data'; label?: string; mnem?: string; ops: Op[]; raw: string }

const isReg32 = (s: string) => (REG32 as readonly string[]).includes(s);
const isReg8 = (s: string) => (REG8 as readonly string[]).includes(s);

function splitOperands(s: string): string[] {
  const out: string[] = [];
  let cur = '', quote = '';
  for (const c of s) {
    if (quote) { cur += c; if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") { quote = c; cur += c; continue; }
    if (c === ',') { out.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function parseExpr(s: string, where: string): Expr {
  const terms: Expr['terms'] = [];
  const re = /\s*([+-]?)\s*([A-Za-z_.][\w.]*|0x[0-9a-fA-F]+|\d+|'(?:[^'\\]|\\.)')\s*/y;
  let m: RegExpExecArray | null;
  let first = true;
  re.lastIndex = 0;
  while (re.lastIndex < s.length && (m = re.exec(s))) {
    if (!first && !m[1]) throw new AsmError(`${where}: expected + or - in '${s}'`);
    const sign = m[1] === '-' ? -1 : 1;
    const tok = m[2];
    if (/^[A-Za-z_.]/.test(tok)) {
      if (isReg32(tok) || isReg8(tok)) throw new AsmError(`${where}: register ${tok} where a value was expected`);
      terms.push({ sign, sym: tok });
    } else if (tok[0] === "'") terms.push({ sign, num: JSON.parse(`"${tok.slice(1, -1)}"`).charCodeAt(0) });
    else terms.push({ sign, num: Number(tok) });
    first = false;
  }
  if (terms.length === 0 || re.lastIndex !== s.length) throw new AsmError(`${where}: cannot read the value '${s}'`);
  return { terms };
}

function parseOperand(s: string, where: string): Op {
  const lower = s.toLowerCase();
  if (isReg32(lower)) return { t: 'reg', r: REG32.indexOf(lower as (typeof REG32)[number]) };
  if (isReg8(lower)) return { t: 'reg8', r: REG8.indexOf(lower as (typeof REG8)[number]) };
  const m = /^(?:(byte|dword)\s+)?\[\s*(.*?)\s*\]$/i.exec(s);
  if (!m) return { t: 'imm', e: parseExpr(s, where) };
  const size = m[1] ? (m[1].toLowerCase() === 'byte' ? 1 : 4) : null;
  const inner = m[2];
  const b = /^([a-z]{3})\s*(?:([+-])\s*(.*))?$/i.exec(inner);
  if (b && isReg32(b[1].toLowerCase())) {
    const base = REG32.indexOf(b[1].toLowerCase() as (typeof REG32)[number]);
    if (base === 4) throw new AsmError(`${where}: [esp...] needs a SIB byte, which this subset does not encode`);
    const disp = b[2] ? parseExpr(`${b[2]}${b[3]}`, where) : { terms: [{ sign: 1 as const, num: 0 }] };
    return { t: 'mem', base, disp, size };
  }
  if (/[a-z]{3}\s*[+*]/i.test(inner) && /e[a-ds][xip]/i.test(inner)) throw new AsmError(`${where}: only [reg], [reg±value] and [value] addressing is supported`);
  return { t: 'mem', base: null, disp: parseExpr(inner, where), size };
}

function parse(source: string): { stmts: Stmt[]; consts: Map<string, number> } {
  const stmts: Stmt[] = [];
  const consts = new Map<string, number>();
  let section: Stmt['section'] = '.text';
  source.split('\n').forEach((text, idx) => {
    const line = idx + 1;
    const where = `line ${line}`;
    let s = text;
    // Strip a comment that is not inside a string.
    let quote = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; }
      else if (c === '"' || c === "'") quote = c;
      else if (c === ';') { s = s.slice(0, i); break; }
    }
    s = s.trim();
    if (!s) return;
    const sec = /^section\s+(\S+)$/i.exec(s);
    if (sec) {
      if (sec[1] !== '.text' && sec[1] !== '.data') throw new AsmError(`${where}: unknown section ${sec[1]} (use .text or .data)`);
      section = sec[1];
      return;
    }
    const eq = /^([A-Za-z_][\w]*)\s+equ\s+(.+)$/i.exec(s);
    if (eq) {
      consts.set(eq[1], evalExpr(parseExpr(eq[2], where), (n) => consts.get(n), where));
      return;
    }
    let label: string | undefined;
    const lm = /^([A-Za-z_.][\w.]*):\s*(.*)$/.exec(s);
    if (lm) { label = lm[1]; s = lm[2]; }
    if (!s) { stmts.push({ line, section, label, ops: [], raw: text }); return; }
    const sp = s.search(/\s/);
    const mnem = (sp < 0 ? s : s.slice(0, sp)).toLowerCase();
    const rest = sp < 0 ? '' : s.slice(sp + 1).trim();
    const ops = mnem === 'db' || mnem === 'dd' || mnem === 'resb'
      ? splitOperands(rest).map((o) => (/^"/.test(o) ? { t: 'imm' as const, e: { terms: [{ sign: 1 as const, sym: o }] } } : { t: 'imm' as const, e: parseExpr(o, where) }))
      : splitOperands(rest).map((o) => parseOperand(o, where));
    stmts.push({ line, section, label, mnem, ops, raw: text });
  });
  return { stmts, consts };
}

function evalExpr(e: Expr, lookup: (name: string) => number | undefined, where: string): number {
  let v = 0;
  for (const t of e.terms) {
    const x = t.sym !== undefined ? lookup(t.sym) : t.num!;
    if (x === undefined) throw new AsmError(`${where}: unknown label or constant '${t.sym}'`);
    v += t.sign * x;
  }
  return v;
}

/** Assembles `source` into a loadable image with .text at TEXT_BASE and .data on the following page. */
export function assemble(source: string): ProgramImage {
  const { stmts, consts } = parse(source);
  const symbolic = (e: Expr) => e.terms.some((t) => t.sym !== undefined && !consts.has(t.sym));

  const encode = (st: Stmt, pc: number, lookup: (name: string) => number | undefined): number[] => {
    const where = `line ${st.line} (${st.raw.trim()})`;
    const val = (e: Expr) => evalExpr(e, (n) => consts.get(n) ?? lookup(n), where);
    const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    const fail = (why: string): never => { throw new AsmError(`${where}: ${why}`); };
    const { mnem = '', ops } = st;
    const [a, b] = ops;
    const want = (n: number) => { if (ops.length !== n) fail(`${mnem} takes ${n} operand${n === 1 ? '' : 's'}`); };

    /** ModRM (+ displacement) for register field `reg` and operand `rm`. */
    const modrm = (reg: number, rm: Op): number[] => {
      if (rm.t === 'reg' || rm.t === 'reg8') return [0xc0 | (reg << 3) | rm.r];
      if (rm.t !== 'mem') return fail('expected a register or memory operand');
      if (rm.base === null) return [(reg << 3) | 5, ...le32(val(rm.disp))];
      const d = val(rm.disp);
      if (symbolic(rm.disp)) return [0x80 | (reg << 3) | rm.base, ...le32(d)];
      if (d === 0 && rm.base !== 5) return [(reg << 3) | rm.base]; // [ebp] has no mod 00 form
      if (d >= -128 && d <= 127) return [0x40 | (reg << 3) | rm.base, d & 0xff];
      return [0x80 | (reg << 3) | rm.base, ...le32(d)];
    };
    const rel32 = (op: number[], target: Op) => {
      if (target.t !== 'imm') return fail('a jump or call needs a label');
      const end = pc + op.length + 4;
      return [...op, ...le32(val(target.e) - end)];
    };
    const isRm32 = (o: Op | undefined) => o?.t === 'reg' || (o?.t === 'mem' && o.size !== 1);

    if (mnem === 'db') return ops.flatMap((o) => {
      const t = (o as Extract<Op, { t: 'imm' }>).e.terms[0];
      if (t.sym?.startsWith('"')) return [...(JSON.parse(t.sym) as string)].map((c) => c.charCodeAt(0) & 0xff);
      return [val((o as Extract<Op, { t: 'imm' }>).e) & 0xff];
    });
    if (mnem === 'dd') return ops.flatMap((o) => le32(val((o as Extract<Op, { t: 'imm' }>).e)));
    if (mnem === 'resb') {
      want(1);
      if (symbolic((a as Extract<Op, { t: 'imm' }>).e)) fail('resb needs a number');
      return new Array(val((a as Extract<Op, { t: 'imm' }>).e)).fill(0);
    }
    if (st.section === '.data') fail('instructions belong in section .text');

    if (mnem === 'mov') {
      want(2);
      if (a.t === 'reg' && b.t === 'imm') return [0xb8 + a.r, ...le32(val(b.e))];
      if (a.t === 'reg' && (b.t === 'reg' || b.t === 'mem')) return b.t === 'reg' ? [0x89, ...modrm(b.r, a)] : [0x8b, ...modrm(a.r, b)];
      if (a.t === 'mem' && b.t === 'reg') return [0x89, ...modrm(b.r, a)];
      if ((a.t === 'mem' || a.t === 'reg8') && b.t === 'reg8') return [0x88, ...modrm(b.r, a)];
      if (a.t === 'mem' && b.t === 'imm') {
        if (a.size !== 4) fail('say "dword [..]": this subset stores 32-bit immediates only');
        return [0xc7, ...modrm(0, a), ...le32(val(b.e))];
      }
      return fail('unsupported operand combination');
    }
    if (mnem === 'movzx') {
      want(2);
      if (a.t !== 'reg' || !(b.t === 'reg8' || (b.t === 'mem' && b.size === 1))) fail('movzx r32, byte [..] or r8');
      return [0x0f, 0xb6, ...modrm((a as { r: number }).r, b)];
    }
    if (mnem === 'lea') {
      want(2);
      if (a.t !== 'reg' || b.t !== 'mem') fail('lea r32, [..]');
      return [0x8d, ...modrm((a as { r: number }).r, b)];
    }
    if (mnem in ALU || mnem === 'test') {
      want(2);
      if (mnem === 'test') {
        if (!isRm32(a) || b.t !== 'reg') fail('test r/m32, r32');
        return [0x85, ...modrm((b as { r: number }).r, a)];
      }
      const digit = ALU[mnem as keyof typeof ALU];
      if (isRm32(a) && b.t === 'reg') return [(digit << 3) | 1, ...modrm(b.r, a)];
      if (a.t === 'reg' && b.t === 'mem') return [(digit << 3) | 3, ...modrm(a.r, b)];
      if (isRm32(a) && b.t === 'imm') {
        if (a.t === 'mem' && a.size !== 4) fail('say "dword [..]" for a memory operand with an immediate');
        const v = val(b.e);
        if (!symbolic(b.e) && v >= -128 && v <= 127) return [0x83, ...modrm(digit, a), v & 0xff];
        return [0x81, ...modrm(digit, a), ...le32(v)];
      }
      return fail('unsupported operand combination (32-bit operands only)');
    }
    if (mnem === 'inc' || mnem === 'dec' || mnem === 'push' || mnem === 'pop') {
      want(1);
      if (mnem === 'push' && a.t === 'imm') return [0x68, ...le32(val(a.e))];
      if (a.t !== 'reg') return fail(`${mnem} takes a 32-bit register`);
      return [{ inc: 0x40, dec: 0x48, push: 0x50, pop: 0x58 }[mnem] + a.r];
    }
    if (mnem === 'imul') {
      want(2);
      if (a.t !== 'reg' || !isRm32(b)) fail('imul r32, r/m32');
      return [0x0f, 0xaf, ...modrm((a as { r: number }).r, b)];
    }
    if (mnem in UNARY) {
      want(1);
      if (!isRm32(a) || (a.t === 'mem' && a.size !== 4)) fail(`${mnem} takes a 32-bit register or dword [..]`);
      return [0xf7, ...modrm(UNARY[mnem as keyof typeof UNARY], a)];
    }
    if (mnem in SHIFT) {
      want(2);
      if (!isRm32(a) || b.t !== 'imm' || symbolic(b.e)) fail(`${mnem} r/m32, count`);
      return [0xc1, ...modrm(SHIFT[mnem as keyof typeof SHIFT], a), val((b as Extract<Op, { t: 'imm' }>).e) & 0xff];
    }
    if (mnem === 'int') {
      want(1);
      if (a.t !== 'imm') fail('int takes a vector number');
      return [0xcd, val((a as Extract<Op, { t: 'imm' }>).e) & 0xff];
    }
    if (mnem === 'ret') { want(0); return [0xc3]; }
    if (mnem === 'nop') { want(0); return [0x90]; }
    if (mnem === 'call') { want(1); return rel32([0xe8], a); }
    if (mnem === 'jmp') { want(1); return rel32([0xe9], a); }
    if (mnem[0] === 'j') {
      const cc = CC_ALIASES[mnem.slice(1)] ?? mnem.slice(1);
      const i = (CC as readonly string[]).indexOf(cc);
      if (i >= 0) { want(1); return rel32([0x0f, 0x80 + i], a); }
    }
    return fail(`unknown instruction '${mnem}'`);
  };

  // Pass 1: sizes and label addresses (labels read as 0; no size depends on them).
  const size = { '.text': 0, '.data': 0 };
  const offsets: Map<Stmt, number> = new Map();
  const labelAt = new Map<string, { section: Stmt['section']; offset: number; line: number }>();
  for (const st of stmts) {
    const off = size[st.section];
    offsets.set(st, off);
    if (st.label) {
      if (labelAt.has(st.label) || consts.has(st.label)) throw new AsmError(`line ${st.line}: '${st.label}' is defined twice`);
      labelAt.set(st.label, { section: st.section, offset: off, line: st.line });
    }
    if (st.mnem) size[st.section] += encode(st, 0, () => 0).length;
  }
  const base = { '.text': TEXT_BASE, '.data': pageUp(TEXT_BASE + Math.max(size['.text'], 1)) };
  const symbols: Record<string, number> = {};
  for (const [name, l] of labelAt) symbols[name] = base[l.section] + l.offset;
  // Pass 2: bytes.
  const bytes = { '.text': new Uint8Array(size['.text']), '.data': new Uint8Array(size['.data']) };
  for (const st of stmts) {
    if (!st.mnem) continue;
    const off = offsets.get(st)!;
    const enc = encode(st, base[st.section] + off, (n) => symbols[n]);
    bytes[st.section].set(enc, off);
  }
  if (symbols._start === undefined) throw new AsmError('no _start label: where does the program begin?');
  return {
    isa: 'i386',
    entry: symbols._start,
    symbols,
    sections: [
      { name: '.text', addr: base['.text'], bytes: bytes['.text'], prot: PROT_READ | PROT_EXEC },
      ...(size['.data'] ? [{ name: '.data', addr: base['.data'], bytes: bytes['.data'], prot: PROT_READ | PROT_WRITE }] : []),
    ],
  };
}
