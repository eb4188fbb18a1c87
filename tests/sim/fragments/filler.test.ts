// The built-in images' filler bytes are hashed into signed manifests and shown by `sha256sum`,
// `hexdump` and `vmm verify`: the word-at-a-time fill must give the bytes of one xorshift32 step
// per byte, whatever the start, length and alignment.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xorshiftFill } from '../../../src/sim/fragments/builtin.ts';

/** The definition: one xorshift32 step per byte, its low 8 bits, seeded by FNV-1a of the text. */
function byteByByte(out: Uint8Array, from: number, seedText: string): void {
  let x = 2166136261;
  for (const c of seedText) x = Math.imul(x ^ c.charCodeAt(0), 16777619) >>> 0;
  x ||= 1;
  for (let i = from; i < out.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
}

describe('xorshiftFill', () => {
  it('gives the bytes of one step per byte, for any start, length and alignment of the view', () => {
    fc.assert(fc.property(fc.nat(7), fc.nat(300), fc.nat(300), fc.string(), (offset, length, from, seed) => {
      const start = Math.min(from, length);
      const want = new Uint8Array(length + 8).subarray(offset, offset + length);
      const got = new Uint8Array(length + 8).subarray(offset, offset + length);
      byteByByte(want, start, seed);
      xorshiftFill(got, start, seed);
      expect(got).toEqual(want);
      // and nothing outside the view is touched
      expect(new Uint8Array(got.buffer).filter((_, i) => i < offset || i >= offset + length).every((b) => b === 0)).toBe(true);
    }), { numRuns: 500 });
  });

  it('a 1 MiB kernel image, filled from 0x100 as the built-in ones are', () => {
    const want = new Uint8Array(1 << 20);
    const got = new Uint8Array(1 << 20);
    byteByByte(want, 0x100, '6.6.30-sys');
    xorshiftFill(got, 0x100, '6.6.30-sys');
    expect(Buffer.compare(got, want)).toBe(0);
    expect(got.subarray(0x100, 0x110).some((b) => b !== 0)).toBe(true);
  });
});
