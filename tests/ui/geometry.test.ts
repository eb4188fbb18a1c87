// The diagram is derived from the board: where each component is drawn follows from its domain.
import { describe, expect, it } from 'vitest';
import { addComponent, emptyBoard, setPosition } from '../../src/model/board.ts';
import type { Board, Domain } from '../../src/model/types.ts';
import { layoutBoard, NODE_H, NODE_W, zoneAt, zoneOf } from '../../src/ui/diagram/geometry.ts';

function centreZone(board: Board, id: string): Domain | null | undefined {
  const p = layoutBoard(board).get(id)!;
  return zoneAt(p.x + NODE_W / 2, p.y + NODE_H / 2)?.domain;
}

describe('diagram geometry', () => {
  it('a point in the real-time container belongs to it, not to the application VM around it', () => {
    const rt = zoneOf('rt');
    expect(zoneAt(rt.x + 10, rt.y + 10)?.domain).toBe('rt');
    const app = zoneOf('app');
    expect(zoneAt(app.x + 10, app.y + 10)?.domain).toBe('app');
    expect(zoneAt(-500, -500)).toBeUndefined();
  });

  it('every component is drawn inside its own zone, without overlapping another', () => {
    let board = emptyBoard('gateway-a53');
    const domains: (Domain | null)[] = ['app', 'rt', 'system', 'shared', null];
    for (let i = 0; i < 20; i++) board = addComponent(board, 'gpio', domains[i % domains.length]).board;
    const positions = [...layoutBoard(board).values()];
    for (const c of board.components) expect(centreZone(board, c.id)).toBe(c.domain);
    for (const [i, a] of positions.entries())
      for (const b of positions.slice(i + 1)) expect(Math.abs(a.x - b.x) >= NODE_W || Math.abs(a.y - b.y) >= NODE_H).toBe(true);
  });

  it('a stored position is kept while it lies in the zone, and ignored once the component moves to another domain', () => {
    const { board, id } = addComponent(emptyBoard(), 'uart', 'app');
    const app = zoneOf('app');
    const placed = setPosition(board, id, app.x + 200, app.y + 60);
    expect(layoutBoard(placed).get(id)).toEqual({ x: app.x + 200, y: app.y + 60 });
    const moved = { ...placed, components: placed.components.map((c) => ({ ...c, domain: 'system' as const })) };
    expect(centreZone(moved, id)).toBe('system');
  });
});
