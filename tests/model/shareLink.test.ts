import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeShareFragment, encodeShareFragment } from '../../src/model/shareLink.ts';
import { EXAMPLES } from '../../src/model/examples.ts';
import { exampleBoard } from './helpers.ts';

describe('share links', () => {
  it.each(EXAMPLES.map((e) => [e.id, e] as const))('given %s, then its link carries the whole board in under 2000 characters', (_id, e) => {
    const fragment = encodeShareFragment(e.board);
    expect(fragment.startsWith('#board=')).toBe(true);
    expect(fragment.length).toBeLessThan(2000);
    expect(decodeShareFragment(fragment)).toEqual({ ok: true, board: e.board, warnings: [] });
  });

  it('reads a whole URL or a fragment without "#"', () => {
    const b = exampleBoard('edge-gateway');
    const fragment = encodeShareFragment(b);
    expect(decodeShareFragment(`https://lab.example/?lesson=2${fragment}`)).toMatchObject({ ok: true, board: b });
    expect(decodeShareFragment(fragment.slice(1))).toMatchObject({ ok: true, board: b });
  });

  it('refuses a link without a board, a damaged link, and a link to something that is not a board', () => {
    expect(decodeShareFragment('#lesson=3')).toMatchObject({ ok: false, path: '$' });
    expect(decodeShareFragment('#board=')).toMatchObject({ ok: false, error: expect.stringContaining('damaged') });
    expect(decodeShareFragment(encodeShareFragment(exampleBoard('smart-oven')).slice(0, 40)).ok).toBe(false);
    expect(decodeShareFragment('#board=' + 'A'.repeat(200_000)).ok).toBe(false);
  });

  it('treats a link as data: a link whose board has a bad kind is refused with its path', () => {
    const b = exampleBoard('smart-oven');
    const evil = { ...b, components: [{ id: 'x0', kind: 'alert(1)', domain: null }] };
    const fragment = encodeShareFragment(evil as unknown as typeof b);
    expect(decodeShareFragment(fragment)).toMatchObject({ ok: false, path: '$.components[0].kind' });
  });
});

describe('share links are bounded before they expand', () => {
  it('given any text, then the bounded decompressor reads what lz-string wrote, exactly', async () => {
    const { default: LZString } = await import('lz-string');
    const { decompressBounded } = await import('../../src/model/lzBounded.ts');
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
      const packed = LZString.compressToEncodedURIComponent(s);
      expect(decompressBounded(packed, 10_000)).toBe(LZString.decompressFromEncodedURIComponent(packed));
    }));
    // Damaged data is refused the same way too.
    for (const bad of ['A', 'AAAA', '$$$$', 'N4Ig', 'a b c']) {
      expect(decompressBounded(bad, 10_000)).toBe(LZString.decompressFromEncodedURIComponent(bad));
    }
  });

  it('given a short link that would expand to hundreds of millions of characters, then it is refused at the board-file limit', async () => {
    const { default: LZString } = await import('lz-string');
    const { MAX_BOARD_FILE_CHARS } = await import('../../src/model/boardFile.ts');
    const { MAX_FRAGMENT_CHARS } = await import('../../src/model/shareLink.ts');
    // The check of the hand-made stream against lz-string itself, on a small case: 1 + 2 + … + 101 characters.
    expect(LZString.decompressFromEncodedURIComponent(lzwBomb(100))).toBe('a'.repeat(5151));
    const bomb = lzwBomb(31_000); // would expand to 480 million characters
    expect(bomb.length).toBeLessThan(MAX_FRAGMENT_CHARS);
    const result = decodeShareFragment(`#board=${bomb}`);
    expect(result).toMatchObject({ ok: false, path: '$' });
    expect(!result.ok && result.error).toContain(`more than ${MAX_BOARD_FILE_CHARS.toLocaleString('en')} characters`);
  });
});

/**
 * lz-string data for "a", then `codes` LZW codes each naming the phrase being
 * defined (w + w[0]), so the output grows by one character per code: the
 * cheapest way to make a short link expand to a huge text.
 */
function lzwBomb(codes: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
  const bits: number[] = [];
  const write = (value: number, width: number) => {
    for (let i = 0; i < width; i++) bits.push((value >> i) & 1);
  };
  write(0, 2); // an 8-bit character follows
  write('a'.charCodeAt(0), 8);
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  for (let i = 0; i < codes; i++) {
    write(dictSize, numBits);
    dictSize++;
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
  write(2, numBits); // end of stream
  while (bits.length % 6) bits.push(0);
  let out = '';
  for (let i = 0; i < bits.length; i += 6) {
    let v = 0;
    for (let j = 0; j < 6; j++) v = (v << 1) | bits[i + j]!;
    out += alphabet[v];
  }
  return out;
}
