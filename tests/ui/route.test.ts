import { describe, expect, it } from 'vitest';
import { betweenEdges, crosses, pointAlong, routeAround, routeBetween, type Rect } from '../../src/ui/diagram/route.ts';

describe('routing a transaction around the blocks', () => {
  const from: Rect = { x: 0, y: 100, w: 100, h: 40 };
  const to: Rect = { x: 400, y: 100, w: 100, h: 40 };
  const wall: Rect = { x: 180, y: 40, w: 120, h: 160 };

  it('goes around a block that stands in the straight line', () => {
    const path = routeAround(from, to, [wall]);
    expect(path[0]).toEqual({ x: 50, y: 120 });
    expect(path.at(-1)).toEqual({ x: 450, y: 120 });
    expect(path.length).toBeGreaterThan(2);
    for (let i = 1; i < path.length; i++) {
      const [p, q] = [path[i - 1], path[i]];
      expect(p.x === q.x || p.y === q.y).toBe(true); // orthogonal
      expect(crosses(p, q, wall)).toBe(false);
    }
  });

  it('takes a lane between two blocks as narrow as 2 × 6 px of margin and one 8 px grid step', () => {
    // Two blocks one above the other with a 20 px lane between them (y 10 to 30): of the 8 px grid,
    // aligned on the start (y 10), one line of points (y 18) is 6 px or more from both.
    const left: Rect = { x: 0, y: 0, w: 20, h: 20 };
    const right: Rect = { x: 300, y: 0, w: 20, h: 20 };
    const above: Rect = { x: 100, y: -300, w: 100, h: 310 };
    const below: Rect = { x: 100, y: 30, w: 100, h: 300 };
    const path = routeAround(left, right, [above, below]);
    const lane = path.findIndex((p, i) => i > 0 && p.y === path[i - 1]!.y && Math.min(p.x, path[i - 1]!.x) <= 100 && Math.max(p.x, path[i - 1]!.x) >= 200);
    expect(lane).toBeGreaterThan(0);
    expect(path[lane]!.y).toBe(18);
    for (let i = 1; i < path.length; i++) for (const r of [above, below]) expect(crosses(path[i - 1]!, path[i]!, r)).toBe(false);
  });

  it('stays within the areas it is given where it can, though a way outside them is shorter', () => {
    // A wall between the ends, reaching further down than up: the short way round is over it, outside
    // the area; the way under it stays inside.
    const area: Rect = { x: -20, y: 60, w: 540, h: 400 };
    const low: Rect = { x: 180, y: 40, w: 120, h: 240 };
    const over = routeAround(from, to, [low]);
    expect(Math.min(...over.map((p) => p.y))).toBeLessThan(area.y);
    const inside = routeAround(from, to, [low], [area]);
    for (const p of inside) expect(p.y).toBeGreaterThanOrEqual(area.y);
    expect(Math.max(...inside.map((p) => p.y))).toBeGreaterThan(low.y + low.h);
  });

  it('goes around a zone drawn inside another (the real-time container) unless it holds an end of the line', () => {
    // The application VM's zone: its CPUs top right, a row of blocks under its header, and the
    // real-time container just under them (no lane between); the shared buffers to its left, level
    // with the container. Straight down and across would cut through the container.
    const app: Rect = { x: 0, y: 0, w: 400, h: 320 };
    const rt: Rect = { x: 20, y: 96, w: 360, h: 200 };
    const blocks = new Map<string, Rect>([
      ['cpu-app', { x: 300, y: 8, w: 72, h: 24 }], ['buffers', { x: -200, y: 200, w: 100, h: 24 }], ['pwm0', { x: 40, y: 140, w: 128, h: 46 }],
      ['disp0', { x: 10, y: 40, w: 128, h: 46 }], ['gpio0', { x: 148, y: 40, w: 128, h: 46 }],
    ]);
    const crossing = (path: { x: number; y: number }[]) => path.slice(1).some((q, i) => crosses(path[i]!, q, rt));
    expect(crossing(routeBetween(blocks, 'cpu-app', 'buffers', [], [app, rt]))).toBe(false);
    // Its own blocks' lines go in.
    const own = routeBetween(blocks, 'cpu-app', 'pwm0', [], [app, rt]);
    expect(own.some((p) => p.x > rt.x && p.x < rt.x + rt.w && p.y > rt.y && p.y < rt.y + rt.h)).toBe(true);
    // Negative control: were the container not drawn inside the VM's zone, the line would cut across it.
    expect(crossing(routeBetween(blocks, 'cpu-app', 'buffers', [], [app]))).toBe(true);
  });

  it('negative control: the straight line does cross it', () => {
    expect(crosses({ x: 50, y: 120 }, { x: 450, y: 120 }, wall)).toBe(true);
  });

  it('is straight when nothing is in the way, and points along it are measured by length', () => {
    const path = routeAround(from, to, []);
    expect(path).toEqual([{ x: 50, y: 120 }, { x: 450, y: 120 }]);
    expect(pointAlong(path, 0.5)).toEqual({ x: 250, y: 120 });
  });
});

describe('a path between two blocks is drawn from edge to edge', () => {
  const from: Rect = { x: 0, y: 100, w: 100, h: 40 };
  const to: Rect = { x: 400, y: 100, w: 100, h: 40 };
  const wall: Rect = { x: 180, y: 40, w: 120, h: 160 };

  it('starts where it leaves the first block and ends where it enters the second', () => {
    const full = routeAround(from, to, [wall]);
    const path = betweenEdges(full, from, to);
    const onEdge = (p: { x: number; y: number }, r: Rect) =>
      (p.x === r.x || p.x === r.x + r.w || p.y === r.y || p.y === r.y + r.h) && p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
    expect(onEdge(path[0], from)).toBe(true);
    expect(onEdge(path.at(-1)!, to)).toBe(true);
    // Nothing of it inside either block, and the rest of the route unchanged.
    for (let i = 1; i < path.length; i++) {
      expect(crosses(path[i - 1], path[i], from)).toBe(false);
      expect(crosses(path[i - 1], path[i], to)).toBe(false);
    }
    expect(path.slice(1, -1)).toEqual(full.slice(1, -1));
  });

  it('negative control: the route itself starts and ends inside them', () => {
    const full = routeAround(from, to, [wall]);
    expect(crosses(full[0], full[1], from)).toBe(true);
  });

  it('a straight line between two blocks keeps the gap between them', () => {
    expect(betweenEdges([{ x: 50, y: 120 }, { x: 450, y: 120 }], from, to)).toEqual([{ x: 100, y: 120 }, { x: 400, y: 120 }]);
  });
});
