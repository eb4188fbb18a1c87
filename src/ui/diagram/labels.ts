// Where a label of the trace or of a flash goes on the diagram: near its point on the path, but not
// over a block, a zone's title or badges, or another label, when a free place is close by. Pure geometry.
import { pointAlong, type Point, type Rect } from './route.ts';

export interface Size {
  w: number;
  h: number;
}

/**
 * A label's size in flow units, from its text: at most this wide in the fonts the page asks for
 * (an average bold glyph is under 0.66 em in DejaVu Sans, the widest of them), times `scale` (the
 * labels are drawn at 1/zoom when the diagram is smaller than 1:1).
 */
export function labelSize(text: string, fontPx: number, padX: number, padY: number, scale = 1): Size {
  return { w: ([...text].length * fontPx * 0.66 + 2 * padX + 3) * scale, h: (fontPx * 1.2 + 2 * padY + 3) * scale };
}

const overlap = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/** The box of a label of `size` centred on `c`. */
export const boxAt = (c: Point, size: Size): Rect => ({ x: c.x - size.w / 2, y: c.y - size.h / 2, w: size.w, h: size.h });

/** The gap kept between a label and what it avoids. */
const GAP = 4;

/**
 * The centre for a label of `size` that belongs at `anchor`: the anchor itself if the label there
 * covers nothing of `avoid`, else the nearest place on a grid around it (steps of half the label's
 * height up or down, of a quarter of its width to either side, up to two heights and one width away)
 * that covers nothing; if every one does, of the places within a height and half a width, the one
 * that covers least: over something, but by its own path rather than far from it.
 */
export function placeLabel(anchor: Point, size: Size, avoid: readonly Rect[]): Point {
  const { free, least } = search(anchor, size, avoid);
  return free ?? least;
}

/** The places around `anchor` placeLabel tries, nearest first, above before below; `near`: within a height and half a width. */
function placesAround(anchor: Point, size: Size): (Point & { near: boolean })[] {
  const dx = size.w / 4 + GAP / 2;
  const dy = size.h / 2 + GAP;
  const around = OFFSETS.map((o) => ({ x: o.x * dx, y: o.y * dy, near: Math.abs(o.x) <= 2 && Math.abs(o.y) <= 2 }));
  around.sort((a, b) => Math.hypot(a.x, a.y) - Math.hypot(b.x, b.y) || a.y - b.y);
  return around.map((o) => ({ x: anchor.x + o.x, y: anchor.y + o.y, near: o.near }));
}

/** How much of `avoid` a label of `size` centred on `c` covers, with its gap around it. */
function covered(c: Point, size: Size, avoid: readonly Rect[]): number {
  const box = boxAt(c, { w: size.w + 2 * GAP, h: size.h + 2 * GAP });
  let sum = 0;
  for (const r of avoid) sum += overlap(box, r);
  return sum;
}

/**
 * One pass over the places around `anchor`: `free`, the nearest where a label of `size` covers nothing
 * of `avoid` (null if none); `least`, of the places within a height and half a width, the one where it
 * covers least (the free one, when there is one).
 */
function search(anchor: Point, size: Size, avoid: readonly Rect[]): { free: Point | null; least: Point } {
  let least = anchor;
  let min = Infinity;
  for (const c of placesAround(anchor, size)) {
    const sum = covered(c, size, avoid);
    const place = { x: c.x, y: c.y };
    if (sum === 0) return { free: place, least: place };
    if (c.near && sum < min - 1e-6) {
      least = place;
      min = sum;
    }
  }
  return { free: null, least };
}

/** Places a label (placeLabel) and adds its box to `taken`, so the labels placed after it keep clear of it. */
export function placeTaking(anchor: Point, size: Size, taken: Rect[]): Point {
  const c = placeLabel(anchor, size, taken);
  taken.push(boxAt(c, size));
  return c;
}

/** The steps, as a share of its path's length, in which a label moves along its path to find room. */
const SLIDE_STEP = 0.05;

/**
 * Places a label that belongs at `fraction` of the way along `path` (and adds its box to `taken`): around
 * that point if there is room; else around the nearest point along the path, less than `reach` of
 * its length away either way, that has room; else over what covers least next to its own point. A line running
 * between blocks (a VM's chips and its first row of blocks are 20 px apart) has no room for a label
 * beside it there: the label is better further along its line than over a block.
 */
export function placeAlong(path: readonly Point[], fraction: number, size: Size, taken: Rect[], reach: number): Point {
  const own = search(pointAlong(path, fraction), size, taken);
  let c = own.free;
  for (let d = SLIDE_STEP; !c && d < Math.min(reach, 1) - 1e-9; d += SLIDE_STEP) {
    for (const f of [fraction - d, fraction + d]) if (!c && f >= 0 && f <= 1) c = search(pointAlong(path, f), size, taken).free;
  }
  // No room anywhere it may go, its own point included: placeLabel's fallback there.
  c ??= own.least;
  taken.push(boxAt(c, size));
  return c;
}

/** The grid of places around an anchor, in steps of the label's size (tried nearest first, above before below). */
const OFFSETS: Point[] = [];
for (let y = -4; y <= 4; y++) for (let x = -4; x <= 4; x++) OFFSETS.push({ x, y });
