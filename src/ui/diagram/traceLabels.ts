// Where the hop labels of the traced transaction go on the diagram. Pure geometry, as labels.ts.
import { labelSize, placeAlong, placeTaking } from './labels.ts';
import type { Point, Rect } from './route.ts';
import type { Hop } from './traceView.ts';

/** Path length per hop below which the hop labels go in a row rather than along the path. */
const ROW_BELOW = 110;

/** A hop's label: its text, its result once it decided, and its size in flow units (the sizes in trace.css: a decided hop's label is larger, with a ring, and its result after a rule). */
export function hopLabel(h: Hop, i: number, decided: boolean, row: boolean, escape: boolean, allowed: boolean, scale: number) {
  const mark = h.verdict === 'deny' ? '✕' : h.verdict === 'allow' || h.verdict === 'reached' ? '✓' : '';
  const result = decided ? (escape ? 'ESCAPE' : allowed ? 'done' : 'DENIED') : '';
  const text = `${row && i > 0 ? '→ ' : ''}${i === 0 ? 'master' : h.label} ${mark}`;
  const size = decided ? labelSize(`${text}  | ${result}`, 12, 11, 6, scale) : labelSize(text, 11, 6, 2, scale);
  return { text, result, size };
}

export interface TraceLabels {
  /** All in a row above the path (its two ends too close for a label at each hop), centred on centres[0]. */
  row: boolean;
  /** Each hop's label's centre, in hop order (one, the row's, when `row`). */
  centres: Point[];
  /** The boxes they take once every hop is drawn: what the flashes' labels keep clear of. */
  boxes: Rect[];
}

/**
 * Where a trace's hop labels go, as they are once every hop is drawn: near each hop's point on the
 * path, each clear of `avoid` and of those before it (so a label does not move when the next hop is
 * drawn); or, when the path is too short for that, in one row just above it, placed at its full
 * length (it grows from its centre as hops are drawn).
 */
export function placeTraceLabels(points: Point[], hops: Hop[], allowed: boolean, escape: boolean, scale: number, avoid: readonly Rect[]): TraceLabels {
  const last = hops.length - 1;
  const stop = allowed ? last : last - 1;
  const length = points.slice(1).reduce((sum, p, i) => sum + Math.hypot(p.x - points[i].x, p.y - points[i].y), 0);
  const row = length < last * ROW_BELOW;
  const sizes = hops.slice(0, stop + 1).map((h, i) => hopLabel(h, i, i === stop, row, escape, allowed, scale).size);
  const taken = [...avoid];
  if (row) {
    const size = { w: sizes.reduce((w, l) => w + l.w, 0) + 4 * scale * (sizes.length - 1), h: Math.max(...sizes.map((l) => l.h)) };
    const xs = points.map((p) => p.x);
    const centre = placeTaking({ x: (Math.min(...xs) + Math.max(...xs)) / 2, y: Math.min(...points.map((p) => p.y)) - 32 }, size, taken);
    return { row, centres: [centre], boxes: taken.slice(avoid.length) };
  }
  // Each hop's label may move along the path towards its neighbours' points, not onto them: they stay in the hops' order.
  const centres = sizes.map((size, i) => placeAlong(points, i / last, size, taken, 1 / last));
  return { row, centres, boxes: taken.slice(avoid.length) };
}
