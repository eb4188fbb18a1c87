// The paged address space under the CPU and the kernels.
import { describe, expect, it } from 'vitest';
import { AddressSpace, MemoryFault, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/sim/emu/memory.ts';

describe('AddressSpace', () => {
  it('a fresh anonymous page reads as zeros and keeps what is written, little-endian', () => {
    const m = new AddressSpace();
    m.map(0x1000, 0x2000, PROT_READ | PROT_WRITE);
    expect(m.read32(0x1ffe)).toBe(0); // straddles two pages
    m.write32(0x1ffe, 0x11223344);
    expect([m.read8(0x1ffe), m.read8(0x1fff), m.read8(0x2000), m.read8(0x2001)]).toEqual([0x44, 0x33, 0x22, 0x11]);
    expect(m.read32(0x1ffe)).toBe(0x11223344);
    m.write64(0x1100, -2n);
    expect(m.read64(0x1100)).toBe(0xffff_ffff_ffff_fffen);
  });

  it('two spaces mapping the same pages see each other\'s writes', () => {
    const pages = [new Uint8Array(4096)];
    const a = new AddressSpace(), b = new AddressSpace();
    a.map(0x8000, 4096, PROT_READ | PROT_WRITE, pages);
    b.map(0xffff_0000_0000, 4096, PROT_READ, pages);
    a.writeBytes(0x8000, Uint8Array.from([104, 105, 0]));
    expect(b.readCString(0xffff_0000_0000)).toBe('hi');
  });

  it('refuses accesses its protections do not allow, naming the access', () => {
    const m = new AddressSpace();
    m.map(0x1000, 4096, PROT_READ | PROT_EXEC);
    expect(() => m.write8(0x1000, 1)).toThrow(MemoryFault);
    expect(() => m.read8(0x5000)).toThrow(/read of 0x00005000 \(not mapped readable\)/);
    expect(m.fetch8(0x1000)).toBe(0);
    m.map(0x2000, 4096, PROT_READ | PROT_WRITE);
    expect(() => m.fetch8(0x2000)).toThrow(/fetch/);
    expect(m.accessible(0x1000, 0x2000, PROT_READ)).toBe(true);
    expect(m.accessible(0x1000, 0x2000, PROT_WRITE)).toBe(false);
  });

  it('lists its mappings merged by protection, and finds the highest used page of a range', () => {
    const m = new AddressSpace();
    m.map(0x1000, 0x2000, PROT_READ);
    m.map(0x3000, 0x1000, PROT_READ);
    m.map(0x5000, 0x1000, PROT_READ | PROT_WRITE);
    expect(m.regions()).toEqual([{ start: 0x1000, end: 0x4000, prot: PROT_READ }, { start: 0x5000, end: 0x6000, prot: PROT_READ | PROT_WRITE }]);
    expect(m.highestUsed(0, 0x10000)).toBe(0x5000);
    expect(m.highestUsed(0x4000, 0x1000)).toBeNull();
    m.unmap(0x1000, 0x1000);
    expect(m.free(0x1000, 0x1000)).toBe(true);
  });
});
