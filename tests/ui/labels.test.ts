// The trace's and the flashes' labels on the diagram: near their point, clear of the blocks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boxAt, labelSize, placeAlong, placeLabel, placeTaking } from '../../src/ui/diagram/labels.ts';
import type { Rect } from '../../src/ui/diagram/route.ts';

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('placing a label', () => {
  const size = labelSize('system-ram ✓ | ESCAPE', 12, 11, 6);

  it('stays on its point when nothing is there', () => {
    expect(placeLabel({ x: 100, y: 100 }, size, [{ x: 400, y: 400, w: 10, h: 10 }])).toEqual({ x: 100, y: 100 });
  });

  it('moves off the block its point is in, to the nearest side, above first', () => {
    const block: Rect = { x: 40, y: 80, w: 128, h: 46 };
    const at = placeLabel({ x: 104, y: 103 }, size, [block]);
    expect(overlaps(boxAt(at, size), block)).toBe(false);
    expect(at.x).toBe(104);
    expect(at.y).toBeLessThan(block.y);
  });

  it('negative control: at its point, the label would cover the block', () => {
    expect(overlaps(boxAt({ x: 104, y: 103 }, size), { x: 40, y: 80, w: 128, h: 46 })).toBe(true);
  });

  it('covers nothing whenever some place near its point is free (any blocks)', () => {
    const rect = fc.record({ x: fc.integer({ min: -200, max: 200 }), y: fc.integer({ min: -200, max: 200 }), w: fc.integer({ min: 5, max: 150 }), h: fc.integer({ min: 5, max: 60 }) });
    fc.assert(
      fc.property(fc.array(rect, { maxLength: 8 }), fc.integer({ min: 1, max: 3 }), (blocks, scale) => {
        const s = labelSize('firewall ✕', 11, 6, 2, scale);
        const at = placeLabel({ x: 0, y: 0 }, s, blocks);
        const clear = !blocks.some((b) => overlaps(boxAt(at, s), b));
        // Some free place exists within the search (a coarse scan of the same area says so)...
        let free = false;
        for (let y = -4; y <= 4 && !free; y++)
          for (let x = -2; x <= 2 && !free; x++) {
            const c = { x: x * (s.w / 2 + 4), y: y * (s.h / 2 + 4) };
            free = !blocks.some((b) => overlaps(boxAt(c, { w: s.w + 8, h: s.h + 8 }), b));
          }
        // ...then the label is clear of every block.
        if (free) expect(clear).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('with no free place near, stays by its point rather than far from its path', () => {
    const wall: Rect = { x: -1000, y: -1000, w: 2000, h: 2000 };
    expect(placeLabel({ x: 5, y: 7 }, size, [wall])).toEqual({ x: 5, y: 7 });
    // Covering least, within a height and half a width of its point.
    const at = placeLabel({ x: 0, y: 0 }, size, [wall, { x: -20, y: -20, w: 40, h: 40 }]);
    expect(Math.abs(at.x)).toBeLessThanOrEqual(size.w / 2 + 4);
    expect(Math.abs(at.y)).toBeLessThanOrEqual(size.h + 8);
  });

  it('a wide label moves by less than its width to clear an edge', () => {
    const row = labelSize('master → stage-2 ✓ → firewall ✓ → system-ram ✓ | done', 11, 6, 2);
    const outside: Rect = { x: -1e5, y: -1e5, w: 1e5, h: 2e5 }; // everything left of x = 0
    const at = placeLabel({ x: 100, y: 0 }, row, [outside]);
    expect(at.x - row.w / 2).toBeGreaterThanOrEqual(0);
    expect(at.x - row.w / 2).toBeLessThan(row.w / 4 + 8); // the nearest quarter step, not a half width
  });

  it('a longer text, or a smaller zoom, is a larger label', () => {
    expect(labelSize('firewall ✓', 11, 6, 2).w).toBeLessThan(labelSize('firewall ✓ | DENIED', 11, 6, 2).w);
    expect(labelSize('x', 11, 6, 2, 2).h).toBe(2 * labelSize('x', 11, 6, 2, 1).h);
  });
});

describe('placing a label along its path', () => {
  // A line through a 20 px lane between a row of chips above and a row of blocks below (as under a VM's
  // header), from x 0 to 600; past x 450 the blocks stop, and there is room below the line.
  const path = [{ x: 0, y: 42 }, { x: 600, y: 42 }];
  const chips: Rect = { x: -100, y: -200, w: 800, h: 232 };
  const blocks: Rect = { x: -100, y: 52, w: 550, h: 300 };
  const size = labelSize('firewall ✓', 11, 6, 2);

  it('moves along its line to where there is room, rather than over a block', () => {
    const taken = [chips, blocks];
    const at = placeAlong(path, 0.5, size, taken, 0.5);
    for (const r of [chips, blocks]) expect(overlaps(boxAt(at, size), r)).toBe(false);
    expect(at.x).toBeGreaterThan(450);
    expect(taken).toHaveLength(3); // its box, for the labels placed after it
  });

  it('negative control: by its own point alone, it covers one', () => {
    const at = placeTaking({ x: 300, y: 42 }, size, [chips, blocks]);
    expect([chips, blocks].some((r) => overlaps(boxAt(at, size), r))).toBe(true);
  });

  it('not further than it may: with no room within its reach, it stays by its point', () => {
    const at = placeAlong(path, 0.5, size, [chips, blocks], 0.1);
    expect(Math.abs(at.x - 300)).toBeLessThanOrEqual(size.w / 2 + 4);
  });
});
