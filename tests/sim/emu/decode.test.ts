// The i386 subset: each form's encoding (checked by hand against the Intel
// SDM's opcode tables), its decoding back to text, and what it computes.
import { describe, expect, it } from 'vitest';
import { assemble, AsmError, TEXT_BASE } from '../../../src/sim/emu/i386/asm.ts';
import { decode } from '../../../src/sim/emu/i386/decode.ts';
import { formatInstr } from '../../../src/sim/emu/i386/isa.ts';
import { hex, runSnippet } from './helpers.ts';

// [source, bytes, disassembly] — every opcode of the subset at least once.
const FORMS: [string, string, string][] = [
  ['mov eax, 4', 'b8 04 00 00 00', 'mov eax, 4'],
  ['mov edi, -1', 'bf ff ff ff ff', 'mov edi, -1'],
  ['mov ebx, ecx', '89 cb', 'mov ebx, ecx'],
  ['mov eax, [ebx+4]', '8b 43 04', 'mov eax, [ebx+0x4]'],
  ['mov [ebx+4], ecx', '89 4b 04', 'mov [ebx+0x4], ecx'],
  ['mov eax, [ebp-8]', '8b 45 f8', 'mov eax, [ebp-0x8]'],
  ['mov eax, [ebp]', '8b 45 00', 'mov eax, [ebp]'],
  ['mov ecx, [esi+0x1000]', '8b 8e 00 10 00 00', 'mov ecx, [esi+0x1000]'],
  ['mov eax, [0x8049000]', '8b 05 00 90 04 08', 'mov eax, [0x8049000]'],
  ['mov [edi], dl', '88 17', 'mov [edi], dl'],
  ['mov [eax], ah', '88 20', 'mov [eax], ah'],
  ['mov dword [0x8049000], 5', 'c7 05 00 90 04 08 05 00 00 00', 'mov dword [0x8049000], 5'],
  ['movzx eax, byte [esi]', '0f b6 06', 'movzx eax, byte [esi]'],
  ['movzx edx, cl', '0f b6 d1', 'movzx edx, cl'],
  ['lea eax, [ebx+8]', '8d 43 08', 'lea eax, [ebx+0x8]'],
  ['add eax, ebx', '01 d8', 'add eax, ebx'],
  ['add eax, [ecx]', '03 01', 'add eax, [ecx]'],
  ['or eax, [ebp-8]', '0b 45 f8', 'or eax, [ebp-0x8]'],
  ['and edx, 15', '83 e2 0f', 'and edx, 0xf'],
  ['sub ecx, 1', '83 e9 01', 'sub ecx, 1'],
  ['xor eax, eax', '31 c0', 'xor eax, eax'],
  ['cmp ecx, 50000', '81 f9 50 c3 00 00', 'cmp ecx, 0xc350'],
  ['cmp eax, -14', '83 f8 f2', 'cmp eax, -0xe'],
  ['add dword [ebx], 1000', '81 03 e8 03 00 00', 'add dword [ebx], 0x3e8'],
  ['test eax, eax', '85 c0', 'test eax, eax'],
  ['inc ecx', '41', 'inc ecx'],
  ['dec edi', '4f', 'dec edi'],
  ['push ebp', '55', 'push ebp'],
  ['pop ebx', '5b', 'pop ebx'],
  ['push 0x12345678', '68 78 56 34 12', 'push 0x12345678'],
  ['imul eax, ecx', '0f af c1', 'imul eax, ecx'],
  ['not ecx', 'f7 d1', 'not ecx'],
  ['neg eax', 'f7 d8', 'neg eax'],
  ['mul ebx', 'f7 e3', 'mul ebx'],
  ['div ecx', 'f7 f1', 'div ecx'],
  ['shl eax, 4', 'c1 e0 04', 'shl eax, 4'],
  ['shr edx, 1', 'c1 ea 01', 'shr edx, 1'],
  ['sar ebx, 31', 'c1 fb 1f', 'sar ebx, 0x1f'],
  ['int 0x80', 'cd 80', 'int 0x80'],
  ['ret', 'c3', 'ret'],
  ['nop', '90', 'nop'],
  ['jmp _start', 'e9 fb ff ff ff', 'jmp 0x08048000'],
  ['call _start', 'e8 fb ff ff ff', 'call 0x08048000'],
  ['jne _start', '0f 85 fa ff ff ff', 'jne 0x08048000'],
  ['jz _start', '0f 84 fa ff ff ff', 'je 0x08048000'],
  ['jae _start', '0f 83 fa ff ff ff', 'jae 0x08048000'],
  ['jg _start', '0f 8f fa ff ff ff', 'jg 0x08048000'],
];

const fetchFrom = (bytes: number[], base: number) => (a: number) => {
  const b = bytes[a - base];
  if (b === undefined) throw new Error('ran off the bytes');
  return b;
};

describe('i386 subset: encoding and decoding', () => {
  it.each(FORMS)('%s ⇄ %s', (src, bytes, text) => {
    const image = assemble(`_start: ${src}`);
    const code = image.sections[0].bytes;
    expect(hex(code)).toBe(bytes);
    const ins = decode(fetchFrom([...code], TEXT_BASE), TEXT_BASE);
    expect(ins.len).toBe(code.length);
    expect(formatInstr(ins)).toBe(text);
    // What the decoder prints, the assembler takes back to the same bytes.
    if (ins.target === undefined) expect(hex(assemble(`_start: ${text}`).sections[0].bytes)).toBe(bytes);
  });

  it('decodes the short jump forms the assembler does not emit', () => {
    const base = 0x1000;
    expect(formatInstr(decode(fetchFrom([0xeb, 0xfe], base), base))).toBe('jmp 0x00001000');
    expect(formatInstr(decode(fetchFrom([0x74, 0x02], base), base))).toBe('je 0x00001004');
    expect(formatInstr(decode(fetchFrom([0x7c, 0x80], base), base))).toBe('jl 0x00000f82');
  });

  it('refuses what is outside the subset', () => {
    expect(() => decode(fetchFrom([0x0f, 0x0b], 0), 0)).toThrow(/0x0f 0x0b.*outside/); // ud2
    expect(() => decode(fetchFrom([0x8b, 0x04, 0x24], 0), 0)).toThrow(/SIB/); // mov eax, [esp]
    expect(() => decode(fetchFrom([0xf7, 0xc0, 0, 0, 0, 0], 0), 0)).toThrow(/0xf7 \/0/); // test eax, imm32
  });

  it('assembler errors name the line and what is wrong', () => {
    expect(() => assemble('_start:\n  mov eax, [esp+4]')).toThrow(/line 2.*SIB/);
    expect(() => assemble('_start:\n  frob eax')).toThrow(AsmError);
    expect(() => assemble('_start:\n  jmp nowhere')).toThrow(/unknown label or constant 'nowhere'/);
    expect(() => assemble('  nop')).toThrow(/_start/);
    expect(() => assemble('_start:\n_start: nop')).toThrow(/defined twice/);
  });

  it('lays out .data on the page after .text and resolves labels across sections', () => {
    const image = assemble('_start: mov eax, [value]\nsection .data\nvalue: dd 7, value');
    const data = image.sections.find((s) => s.name === '.data')!;
    expect(data.addr).toBe(TEXT_BASE + 0x1000);
    expect(image.symbols.value).toBe(data.addr);
    expect(hex(data.bytes)).toBe('07 00 00 00 00 90 04 08');
  });
});

describe('i386 subset: execution', () => {
  const regs = (body: string) => runSnippet(`${body}\nint 0x80`).cpu;
  const flags = (body: string) => {
    const f = regs(body).get('eflags');
    return { cf: f & 1, zf: (f >> 6) & 1, sf: (f >> 7) & 1, of: (f >> 11) & 1 };
  };

  it('add and sub set carry and overflow as the SDM says', () => {
    expect(flags('mov eax, 0x7fffffff\nadd eax, 1')).toEqual({ cf: 0, zf: 0, sf: 1, of: 1 });
    expect(flags('mov eax, 0xffffffff\nadd eax, 1')).toEqual({ cf: 1, zf: 1, sf: 0, of: 0 });
    expect(flags('mov eax, 0\nsub eax, 1')).toEqual({ cf: 1, zf: 0, sf: 1, of: 0 });
    expect(flags('mov eax, 0x80000000\nsub eax, 1')).toEqual({ cf: 0, zf: 0, sf: 0, of: 1 });
  });

  it('inc leaves the carry flag alone; logic clears it', () => {
    expect(flags('mov eax, 0xffffffff\nadd eax, 1\ninc eax').cf).toBe(1);
    expect(flags('mov eax, 0xffffffff\nadd eax, 1\nxor eax, eax')).toEqual({ cf: 0, zf: 1, sf: 0, of: 0 });
  });

  it('signed and unsigned conditions differ on the same comparison', () => {
    const cpu = regs(`
      mov eax, -1
      mov ebx, 1
      mov ecx, 0
      cmp eax, ebx
      jl less
      jmp next
    less: or ecx, 1
    next: cmp eax, ebx
      jb below
      jmp done
    below: or ecx, 2
    done: nop`);
    expect(cpu.get('ecx')).toBe(1); // -1 < 1 signed; 0xffffffff > 1 unsigned
  });

  it('mul, div, imul, shifts, movzx, byte stores and lea compute', () => {
    const cpu = regs(`
      mov eax, 100
      mov edx, 0
      mov ecx, 7
      div ecx            ; eax = 14, edx = 2
      mov esi, eax
      mov edi, edx
      mov eax, 0x10000
      mov ebx, 0x10000
      mul ebx            ; edx:eax = 2^32
      mov ebp, edx
      mov ebx, -3
      imul ebx, ecx      ; -21
      mov ecx, 0x80000000
      sar ecx, 4         ; 0xf8000000`);
    expect([cpu.get('esi'), cpu.get('edi'), cpu.get('ebp'), cpu.get('eax'), cpu.get('ebx') | 0, cpu.get('ecx')]).toEqual([14, 2, 1, 0, -21, 0xf800_0000]);
    const b = runSnippet(`
      mov esi, buf
      mov eax, 0x1234
      mov [esi], ah
      movzx ebx, byte [esi]
      lea ecx, [esi+3]
      sub ecx, esi
      int 0x80
      section .data
      buf: dd 0`).cpu;
    expect([b.get('ebx'), b.get('ecx')]).toEqual([0x12, 3]);
  });

  it('call and ret use the stack', () => {
    const cpu = regs(`
      mov eax, 1
      call double
      call double
      jmp out
    double: add eax, eax
      ret
    out: nop`);
    expect(cpu.get('eax')).toBe(4);
    expect(cpu.get('esp')).toBe(0x7000_0000);
  });

  it('faults become the signals the kernel would deliver, and the instruction does not complete', () => {
    const segv = runSnippet('mov eax, [0x10]');
    expect(segv.end).toMatchObject({ kind: 'fault', signal: 'SIGSEGV', address: 0x10 });
    expect(segv.cpu.pc).toBe(TEXT_BASE);
    expect(runSnippet('mov dword [_start], 1').end).toMatchObject({ kind: 'fault', signal: 'SIGSEGV' }); // .text is read-only
    expect(runSnippet('mov ecx, 0\ndiv ecx').end).toMatchObject({ kind: 'fault', signal: 'SIGFPE' });
    expect(runSnippet('db 0x0f, 0x0b').end).toMatchObject({ kind: 'fault', signal: 'SIGILL' });
    expect(runSnippet('int 3').end).toMatchObject({ kind: 'fault', signal: 'SIGTRAP' }); // a DPL-3 gate: breakpoint, not #GP
    expect(runSnippet('int 4').end).toMatchObject({ kind: 'fault', signal: 'SIGSEGV' }); // overflow trap
    expect(runSnippet('int 0x21').end).toMatchObject({ kind: 'fault', signal: 'SIGSEGV', message: expect.stringContaining('general protection') });
    expect(runSnippet('mov eax, 0xffffffff\nmov edx, 1\nmov ecx, 1\ndiv ecx').end).toMatchObject({ kind: 'fault', signal: 'SIGFPE' }); // quotient ≥ 2^32
  });

  it('reports int 0x80 as a kernel call with eip past it', () => {
    const r = runSnippet('mov eax, 20\nint 0x80');
    expect(r.end).toEqual({ kind: 'syscall' });
    expect(r.cpu.pc).toBe(TEXT_BASE + 7);
  });
});
