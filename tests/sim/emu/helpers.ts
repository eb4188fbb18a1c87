// Runs an i386 snippet on the bare interpreter until its first kernel call or fault.
import { assemble } from '../../../src/sim/emu/i386/asm.ts';
import { I386 } from '../../../src/sim/emu/i386/cpu.ts';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../../src/sim/emu/memory.ts';
import type { StepResult } from '../../../src/sim/emu/cpu.ts';

export const STACK_TOP = 0x7000_0000;

export function runSnippet(body: string, maxSteps = 10_000): { cpu: I386; mem: AddressSpace; end: StepResult; symbols: Record<string, number> } {
  const image = assemble(`_start:\n${body}`);
  const mem = new AddressSpace();
  for (const s of image.sections) {
    mem.map(s.addr, s.bytes.length, PROT_READ | PROT_WRITE);
    mem.writeBytes(s.addr, s.bytes);
    mem.map(s.addr, s.bytes.length, s.prot, pagesOf(mem, s.addr, s.bytes.length)); // then give it the section's protection
  }
  mem.map(STACK_TOP - 0x10000, 0x10000, PROT_READ | PROT_WRITE);
  const cpu = new I386(mem);
  cpu.reset(image.entry, STACK_TOP);
  let end: StepResult = { kind: 'ok' };
  for (let i = 0; i < maxSteps && end.kind === 'ok'; i++) end = cpu.step();
  return { cpu, mem, end, symbols: image.symbols };
}

/** The pages now backing [addr, addr+len), so they can be remapped with another protection. */
function pagesOf(mem: AddressSpace, addr: number, len: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let a = addr; a < addr + len; a += 4096) {
    const page = new Uint8Array(4096);
    page.set(mem.readBytes(a, 4096));
    out.push(page);
  }
  return out;
}

export const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
