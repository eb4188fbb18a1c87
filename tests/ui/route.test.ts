import { describe, expect, it } from 'vitest';
import { crosses, pointAlong, routeAround, type Rect } from '../../src/ui/diagram/route.ts';

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
