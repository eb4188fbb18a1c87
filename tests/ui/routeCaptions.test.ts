// A transaction's line on the diagram keeps off the zones' captions, their titles ("System VM",
// "Real-time container"…) and their hints along their bottoms: on every shipped example, in both
// arrangements, between any two blocks; it crosses the real-time container only to or from a block
// of its own; and it stays inside the zones wherever it can.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBoardFile } from '../../src/model/boardFile.ts';
import type { Board } from '../../src/model/types.ts';
import { VM_IDS } from '../../src/sim/types.ts';
import { buffersChip, captionsOf, drawingOf, headerChips, NODE_H, NODE_W, zoneHintWords, zoneTitle, type Arrangement, type Zone } from '../../src/ui/diagram/geometry.ts';
import { crosses, routeBetween, type Point, type Rect } from '../../src/ui/diagram/route.ts';

const DIR = 'public/examples';
const boards: [string, Board][] = readdirSync(DIR)
  .filter((f) => f.endsWith('.board.json'))
  .map((f) => {
    const parsed = parseBoardFile(readFileSync(join(DIR, f), 'utf8'));
    if (!parsed.ok) throw new Error(`${f}: ${parsed.error}`);
    return [f, parsed.board];
  });

/**
 * Each title's words as the e2e browser draws them (Chromium, DejaVu Sans Bold 16 px, the widest font
 * the page asks for), measured on the page: 12 px in from the zone's left, 10 px down, 19 px high.
 */
const DRAWN_WIDTH: Record<string, number> = {
  'System VM': 100.5, Paravirtualized: 137, 'Application VM': 136, 'Real-time container': 178.3, Unassigned: 105,
};
const drawnTitle = (z: Zone): Rect => ({ x: z.x + 12, y: z.y + 10, w: DRAWN_WIDTH[z.label]!, h: 19 });
/** Each hint's words, measured the same way: 14 px in, on one 18 px line ending 6.8 px above the zone's bottom… */
const HINT_WIDTH: Record<string, number> = {
  'System VM': 313.6, Paravirtualized: 112.9, 'Application VM': 311.3, 'Real-time container': 338.3, Unassigned: 288.3,
};
/** …or on two lines, where the zone is too narrow for one: then the longer line's width. */
const HINT_WRAPPED: Record<string, number> = { 'row System VM': 271.3, 'column Real-time container': 264.5 };
function drawnHint(z: Zone, arrangement: Arrangement): Rect {
  const wrapped = HINT_WRAPPED[`${arrangement} ${z.label}`];
  return wrapped
    ? { x: z.x + 14, y: z.y + z.h - 42.6, w: wrapped, h: 35.8 }
    : { x: z.x + 14, y: z.y + z.h - 24.8, w: HINT_WIDTH[z.label]!, h: 18 };
}
/** Half the widest line's stroke (an escape's, 5 px), rounded up: a line nearer than this touches the words. */
const CLEAR = 3;
const grown = (r: Rect, d: number): Rect => ({ x: r.x - d, y: r.y - d, w: r.w + 2 * d, h: r.h + 2 * d });

/** Every block the diagram draws, by node id: the components, each VM's CPUs and memory, the shared buffers. */
function blocksOf(board: Board, arrangement: Arrangement): Map<string, Rect> {
  const { zones, positions } = drawingOf(board, arrangement);
  const out = new Map<string, Rect>();
  for (const vm of VM_IDS) {
    const chips = headerChips(zones.find((z) => z.domain === vm)!, vm === 'rt' ? 'TCM' : `${board.vms[vm].memoryMiB} MiB`);
    out.set(`cpu-${vm}`, chips.cpu);
    out.set(`ram-${vm}`, chips.ram);
  }
  out.set('ram-shared', buffersChip(zones.find((z) => z.domain === 'shared')!));
  for (const [id, p] of positions) out.set(id, { ...p, w: NODE_W, h: NODE_H });
  return out;
}

// And lesson 1's board once done, whose real-time container is empty: nothing in it turns a line away.
const oven = boards.find(([f]) => f === 'smart-oven.board.json')![1];
boards.push(['lesson 1, done', { ...oven, name: 'My first partition', components: [
  { id: 'sec0', kind: 'security-processor', domain: 'system' }, { id: 'uart0', kind: 'uart', domain: 'app' }, { id: 'wifi0', kind: 'wifi', domain: 'shared' },
] }]);
const cases = boards.flatMap(([file, board]) => (['row', 'column'] as const).map((a) => [file, a, board] as const));

/** Every line the diagram can draw on `board`: between any two of its blocks, as the router finds it. */
function* linesOf(board: Board, arrangement: Arrangement) {
  const { zones } = drawingOf(board, arrangement);
  const blocks = blocksOf(board, arrangement);
  const captions = captionsOf(zones);
  for (const from of blocks.keys()) {
    for (const to of blocks.keys()) if (from !== to) yield { from, to, path: routeBetween(blocks, from, to, captions, zones), zones, blocks };
  }
}

describe('a line between two blocks keeps off the zones’ titles and hints, and inside the zones', () => {
  it.each(cases)('%s, %s arrangement', (_file, arrangement, board) => {
    const wrong: string[] = [];
    for (const { from, to, path, zones, blocks } of linesOf(board, arrangement)) {
      for (let i = 1; i < path.length; i++) {
        const [p, q] = [path[i - 1]!, path[i]!];
        if (p.x !== q.x && p.y !== q.y) wrong.push(`${from}>${to}: a slanted segment (no way around was found)`);
        for (const z of zones) {
          if (crosses(p, q, grown(drawnTitle(z), CLEAR))) wrong.push(`${from}>${to} over the title ${z.label}`);
          if (crosses(p, q, grown(drawnHint(z, arrangement), CLEAR))) wrong.push(`${from}>${to} over the hint of ${z.label}`);
        }
        for (const [id, r] of blocks) if (id !== from && id !== to && crosses(p, q, r)) wrong.push(`${from}>${to} through ${id}`);
        // The real-time container, drawn inside the application VM, is crossed only by its own lines.
        const rt = zones.find((z) => z.domain === 'rt')!;
        const within = (id: string) => { const r = blocks.get(id)!; return r.x >= rt.x && r.x + r.w <= rt.x + rt.w && r.y >= rt.y && r.y + r.h <= rt.y + rt.h; };
        if (!within(from) && !within(to) && crosses(p, q, rt)) wrong.push(`${from}>${to} through the real-time container`);
      }
    }
    expect([...new Set(wrong)]).toEqual([]);
  });

  it('stays inside the zones: at most 8 % of the lines\' length between any two blocks of every example runs outside them', () => {
    let [outside, all] = [0, 0];
    for (const [, arrangement, board] of cases) {
      for (const { path, zones } of linesOf(board, arrangement)) {
        const inZone = (p: Point) => zones.some((z) => p.x >= z.x && p.x <= z.x + z.w && p.y >= z.y && p.y <= z.y + z.h);
        for (let i = 1; i < path.length; i++) {
          // Measured in 1 px steps, each counted where its middle is.
          const [p, q] = [path[i - 1]!, path[i]!];
          const length = Math.hypot(q.x - p.x, q.y - p.y);
          const n = Math.max(1, Math.round(length));
          for (let k = 0; k < n; k++) {
            const t = (k + 0.5) / n;
            if (!inZone({ x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t })) outside += length / n;
          }
          all += length;
        }
      }
    }
    // 43 % when the router knew nothing of the zones, and no line could pass between a VM's chips and its blocks.
    expect(outside / all).toBeLessThan(0.08);
  });

  it.each(cases)('%s, %s arrangement: the boxes the router keeps clear cover the words as drawn', (_file, arrangement, board) => {
    const covers = (box: Rect, drawn: Rect) => box.x <= drawn.x && box.y <= drawn.y && box.x + box.w >= drawn.x + drawn.w && box.y + box.h >= drawn.y + drawn.h;
    for (const z of drawingOf(board, arrangement).zones) {
      expect(covers(zoneTitle(z), drawnTitle(z)), `title of ${z.label}`).toBe(true);
      expect(covers(zoneHintWords(z), drawnHint(z, arrangement)), `hint of ${z.label}`).toBe(true);
    }
  });
});
