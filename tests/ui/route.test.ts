import { describe, expect, it } from 'vitest';
import { betweenEdges, crosses, pointAlong, routeAround, type Rect } from '../../src/ui/diagram/route.ts';

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
