// The traced transaction's hop labels: placed before the flashes' labels, which keep clear of them.
import { describe, expect, it } from 'vitest';
import { boxAt, labelSize, placeTaking } from '../../src/ui/diagram/labels.ts';
import type { Rect } from '../../src/ui/diagram/route.ts';
import { placeTraceLabels } from '../../src/ui/diagram/traceLabels.ts';
import type { Hop } from '../../src/ui/diagram/traceView.ts';

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

const escape: Hop[] = [
  { label: 'dma0', verdict: 'issue', rule: '' },
  { label: 'firewall', verdict: 'allow', rule: '' },
  { label: 'system-ram', verdict: 'reached', rule: '' },
];
// Two blocks side by side at the top of the drawing, and the room above the zones (44 units) under
// the top edge of what may be covered: a short path, whose labels go in one row above it.
const blocks: Rect[] = [
  { x: 0, y: 0, w: 128, h: 46 },
  { x: 150, y: 0, w: 128, h: 46 },
];
const outside: Rect = { x: -1000, y: -1044, w: 3000, h: 1000 };
const short = [
  { x: 128, y: 23 },
  { x: 150, y: 23 },
];

describe('trace labels', () => {
  it('go in one row above a short path, taking the room the whole row needs', () => {
    const placed = placeTraceLabels(short, escape, true, true, 1, [...blocks, outside]);
    expect(placed.row).toBe(true);
    expect(placed.centres).toHaveLength(1);
    expect(placed.boxes).toHaveLength(1);
    const [row] = placed.boxes;
    for (const b of [...blocks, outside]) expect(overlaps(row!, b)).toBe(false);
    // Wide enough for the three labels, the last one decided ("| ESCAPE").
    expect(row!.w).toBeGreaterThan(labelSize('master ✓', 11, 6, 2).w + labelSize('→ system-ram ✓  | ESCAPE', 12, 11, 6).w);
  });

  it("a flash's label placed after them keeps clear of the row, where it would have sat on it", () => {
    const avoid = [...blocks, outside];
    const placed = placeTraceLabels(short, escape, true, true, 1, avoid);
    const flash = labelSize('write', 11, 6, 2);
    const at = placeTaking(placed.centres[0]!, flash, [...avoid, ...placed.boxes]);
    expect(overlaps(boxAt(at, flash), placed.boxes[0]!)).toBe(false);
    // Negative control: placed without the row, the flash takes the row's own place.
    const alone = placeTaking(placed.centres[0]!, flash, [...avoid]);
    expect(overlaps(boxAt(alone, flash), placed.boxes[0]!)).toBe(true);
  });

  it('along a long path, one label per hop up to the one that decided, none over another', () => {
    const long = [
      { x: 0, y: 300 },
      { x: 600, y: 300 },
    ];
    const denied: Hop[] = [escape[0]!, { label: 'firewall', verdict: 'deny', rule: '' }, { label: 'system-ram', verdict: 'untouched', rule: '' }];
    const placed = placeTraceLabels(long, denied, false, false, 1, []);
    expect(placed.row).toBe(false);
    expect(placed.centres).toHaveLength(2);
    expect(overlaps(placed.boxes[0]!, placed.boxes[1]!)).toBe(false);
  });
});
