// Routing a bus transaction's path on the diagram around the other blocks:
// an orthogonal shortest path on a coarse grid (A*, with a cost per turn so
// the line stays calm, and per step outside the zones so it stays on the
// chip), then reduced to its corners. Pure geometry.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Point {
  x: number;
  y: number;
}

const CELL = 8;
/** How near a line may come to an obstacle. */
const MARGIN = 6;
const TURN = 6;
/**
 * A step outside every area the line should stay within costs this many steps inside one: the line
 * still leaves them where there is no other way, but not to save a few steps. Of the lines between
 * any two blocks of the examples, 43 % of the length ran outside every zone, many of them round the
 * drawing's edges; 15 % with this cost alone.
 */
const OUTSIDE = 4;

const center = (r: Rect): Point => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });

/**
 * A path from the middle of `from` to the middle of `to` that crosses no
 * rectangle of `obstacles` (the two ends' own boxes may be crossed: the path
 * starts and ends inside them), nor comes nearer to one than MARGIN, and stays
 * within the rectangles of `within` (if given) wherever it can. Falls back to a
 * straight line if no way exists.
 */
export function routeAround(from: Rect, to: Rect, obstacles: readonly Rect[], within: readonly Rect[] = []): Point[] {
  const a = center(from);
  const b = center(to);
  const all = [from, to, ...obstacles];
  // The grid is aligned on the start, so the path leaves it exactly.
  const x0 = a.x - Math.ceil((a.x - Math.min(...all.map((r) => r.x))) / CELL + 4) * CELL;
  const y0 = a.y - Math.ceil((a.y - Math.min(...all.map((r) => r.y))) / CELL + 4) * CELL;
  const x1 = Math.max(...all.map((r) => r.x + r.w)) + 4 * CELL;
  const y1 = Math.max(...all.map((r) => r.y + r.h)) + 4 * CELL;
  const cols = Math.ceil((x1 - x0) / CELL) + 1;
  const rows = Math.ceil((y1 - y0) / CELL) + 1;
  // The grid points strictly nearer to an obstacle than MARGIN are blocked: a lane between two
  // obstacles 2 × MARGIN + CELL wide always has a line of points a path can take. (Blocking every
  // point of a cell an obstacle's margin touched closed lanes up to 2 × (MARGIN + CELL) wide: with
  // this, 7 % of the examples' lines ran outside the zones instead of 15 %.)
  /** Sets `value` at the grid points of `r` grown by `pad` on each side: strictly inside it when `open`, else inside or on its edge. */
  const mark = (grid: Uint8Array, r: Rect, pad: number, open: boolean, value: number) => {
    const span = (lo: number, hi: number, n: number): [number, number] =>
      open ? [Math.max(0, Math.floor(lo) + 1), Math.min(n - 1, Math.ceil(hi) - 1)] : [Math.max(0, Math.ceil(lo)), Math.min(n - 1, Math.floor(hi))];
    const [c0, c1] = span((r.x - pad - x0) / CELL, (r.x + r.w + pad - x0) / CELL, cols);
    const [r0, r1] = span((r.y - pad - y0) / CELL, (r.y + r.h + pad - y0) / CELL, rows);
    for (let y = r0; y <= r1; y++) for (let x = c0; x <= c1; x++) grid[y * cols + x] = value;
  };
  const blocked = new Uint8Array(cols * rows);
  for (const r of obstacles) mark(blocked, r, MARGIN, true, 1);
  // What a step onto each grid point costs: OUTSIDE where it is outside every area of `within`.
  const step = new Uint8Array(cols * rows).fill(within.length ? OUTSIDE : 1);
  for (const r of within) mark(step, r, 0, false, 1);
  const cell = (p: Point) => ({ c: Math.round((p.x - x0) / CELL), r: Math.round((p.y - y0) / CELL) });
  const s = cell(a);
  const g = cell(b);
  const start = s.r * cols + s.c;
  const goal = g.r * cols + g.c;
  blocked[start] = 0;
  blocked[goal] = 0;

  // State = cell × direction of arrival (0..3, 4 = none), so turns can cost extra.
  const N = cols * rows * 5;
  const cost = new Float64Array(N).fill(Infinity);
  const prev = new Int32Array(N).fill(-1);
  const heap: [number, number][] = [];
  const push = (f: number, st: number) => {
    heap.push([f, st]);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p][0] <= heap[i][0]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
        if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  const h = (i: number) => Math.abs((i % cols) - g.c) + Math.abs(Math.floor(i / cols) - g.r);
  const DX = [1, -1, 0, 0];
  const DY = [0, 0, 1, -1];
  const first = start * 5 + 4;
  cost[first] = 0;
  push(h(start), first);
  let end = -1;
  while (heap.length) {
    const [, st] = pop();
    const i = Math.floor(st / 5);
    const dir = st % 5;
    if (i === goal) {
      end = st;
      break;
    }
    const c = i % cols;
    const r = Math.floor(i / cols);
    for (let d = 0; d < 4; d++) {
      const nc = c + DX[d];
      const nr = r + DY[d];
      if (nc < 0 || nr < 0 || nc >= cols || nr >= rows) continue;
      const j = nr * cols + nc;
      if (blocked[j]) continue;
      const next = j * 5 + d;
      const k = cost[st] + step[j] + (dir !== 4 && dir !== d ? TURN : 0);
      if (k < cost[next]) {
        cost[next] = k;
        prev[next] = st;
        push(k + h(j), next);
      }
    }
  }
  if (end < 0) return [a, b];
  const cells: number[] = [];
  for (let st = end; st >= 0; st = prev[st]) cells.push(Math.floor(st / 5));
  cells.reverse();
  const out = corners(cells.map((i) => ({ x: x0 + (i % cols) * CELL, y: y0 + Math.floor(i / cols) * CELL })));
  return landOn(out, b);
}

/** Moves the path's grid end onto the exact end point, keeping every segment horizontal or vertical. */
function landOn(pts: Point[], b: Point): Point[] {
  const last = pts[pts.length - 1];
  if (last.x === b.x && last.y === b.y) return pts;
  if (pts.length === 1) return [pts[0], b];
  const prev = pts[pts.length - 2];
  const horizontal = prev.y === last.y;
  const out = pts.slice(0, -1);
  if (pts.length === 2) {
    // A straight run from the start: finish with a short jog onto the end point.
    out.push(horizontal ? { x: b.x, y: prev.y } : { x: prev.x, y: b.y });
  } else {
    out[out.length - 1] = horizontal ? { x: prev.x, y: b.y } : { x: b.x, y: prev.y };
  }
  out.push(b);
  return corners(out);
}

/** Only the points where the path turns (and its two ends). */
function corners(pts: Point[]): Point[] {
  if (pts.length <= 2) return pts;
  const out = [pts[0]];
  for (let i = 1; i < pts.length - 1; i++) {
    const p = out[out.length - 1];
    const q = pts[i];
    const n = pts[i + 1];
    const straight = (p.x === q.x && q.x === n.x) || (p.y === q.y && q.y === n.y);
    if (!straight) out.push(q);
  }
  out.push(pts[pts.length - 1]);
  return out;
}

const inside = (p: Point, r: Rect) => p.x > r.x && p.x < r.x + r.w && p.y > r.y && p.y < r.y + r.h;

/** Where the segment from p (inside r) to q leaves r. */
function exit(p: Point, q: Point, r: Rect): Point {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const tx = dx > 0 ? (r.x + r.w - p.x) / dx : dx < 0 ? (r.x - p.x) / dx : Infinity;
  const ty = dy > 0 ? (r.y + r.h - p.y) / dy : dy < 0 ? (r.y - p.y) / dy : Infinity;
  const t = Math.min(tx, ty, 1);
  return { x: p.x + dx * t, y: p.y + dy * t };
}

/** The path from where it leaves `from` to where it enters `to`: drawn over the blocks, it would hide their names. */
export function betweenEdges(pts: readonly Point[], from: Rect, to: Rect): Point[] {
  const trimStart = (path: Point[], r: Rect): Point[] => {
    let i = 0;
    while (i < path.length - 1 && inside(path[i + 1], r)) i++;
    if (i === path.length - 1 || !inside(path[i], r)) return path;
    return [exit(path[i], path[i + 1], r), ...path.slice(i + 1)];
  };
  const out = trimStart(trimStart([...pts], from).reverse(), to).reverse();
  return out.length >= 2 ? out : [...pts];
}

/**
 * The path a transaction's line takes from block `from` to block `to` of `blocks`, edge to edge: around
 * every other block and every rectangle of `keepClear` (the words of the zones' titles and hints, so no
 * line runs over them), inside the `zones` wherever it can.
 */
export function routeBetween(blocks: ReadonlyMap<string, Rect>, from: string, to: string, keepClear: readonly Rect[], zones: readonly Rect[]): Point[] {
  const [a, b] = [blocks.get(from)!, blocks.get(to)!];
  const others = [...blocks].filter(([k]) => k !== from && k !== to).map(([, r]) => r);
  return betweenEdges(routeAround(a, b, [...others, ...keepClear, ...nestedApart(zones, a, b)], zones), a, b);
}

const contains = (outer: Rect, inner: Rect) => outer !== inner && inner.x >= outer.x && inner.y >= outer.y
  && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;

/**
 * The zones drawn inside another (the real-time container in the application VM) that hold neither
 * end of a line: it goes around them. Through one, the application VM's write to the shared buffers
 * looked like traffic of the real-time container.
 */
function nestedApart(zones: readonly Rect[], a: Rect, b: Rect): Rect[] {
  return zones.filter((z) => zones.some((o) => contains(o, z)) && !inside(center(a), z) && !inside(center(b), z));
}

/** The point at `fraction` (0..1) of the way along a polyline. */
export function pointAlong(pts: readonly Point[], fraction: number): Point {
  const seg = pts.slice(1).map((p, i) => Math.hypot(p.x - pts[i].x, p.y - pts[i].y));
  let left = seg.reduce((s, l) => s + l, 0) * Math.min(1, Math.max(0, fraction));
  for (let i = 0; i < seg.length; i++) {
    if (left <= seg[i] || i === seg.length - 1) {
      const t = seg[i] === 0 ? 0 : Math.min(1, left / seg[i]);
      return { x: pts[i].x + (pts[i + 1].x - pts[i].x) * t, y: pts[i].y + (pts[i + 1].y - pts[i].y) * t };
    }
    left -= seg[i];
  }
  return pts[pts.length - 1];
}

/** The polyline up to `fraction` of its length. */
export function prefix(pts: readonly Point[], fraction: number): Point[] {
  const seg = pts.slice(1).map((p, i) => Math.hypot(p.x - pts[i].x, p.y - pts[i].y));
  let left = seg.reduce((s, l) => s + l, 0) * Math.min(1, Math.max(0, fraction));
  const out = [pts[0]];
  for (let i = 0; i < seg.length; i++) {
    if (left <= seg[i]) {
      out.push(pointAlong([pts[i], pts[i + 1]], seg[i] === 0 ? 0 : left / seg[i]));
      return out;
    }
    out.push(pts[i + 1]);
    left -= seg[i];
  }
  return out;
}

export function svgPath(pts: readonly Point[]): string {
  return pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/** Does the segment from p to q cross the rectangle? (For tests: a route must avoid the blocks.) */
export function crosses(p: Point, q: Point, r: Rect): boolean {
  if (p.x === q.x) return p.x > r.x && p.x < r.x + r.w && Math.max(p.y, q.y) > r.y && Math.min(p.y, q.y) < r.y + r.h;
  if (p.y === q.y) return p.y > r.y && p.y < r.y + r.h && Math.max(p.x, q.x) > r.x && Math.min(p.x, q.x) < r.x + r.w;
  return false;
}
