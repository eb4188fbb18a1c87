import { describe, expect, it } from 'vitest';
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
