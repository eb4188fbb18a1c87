// The diagram is derived from the board: where each component is drawn follows from its domain.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addComponent, emptyBoard, removeComponent, setPosition } from '../../src/model/board.ts';
import type { Board, Domain } from '../../src/model/types.ts';
import { COLUMN_W, drawingOf, headerChips, layoutBoard, NODE_H, NODE_W, placeInZone, zoneAt, zoneOf, zonesFor, type Arrangement } from '../../src/ui/diagram/geometry.ts';

function centreZone(board: Board, id: string): Domain | null | undefined {
  const p = layoutBoard(board).get(id)!;
  return zoneAt(zonesFor(board), p.x + NODE_W / 2, p.y + NODE_H / 2)?.domain;
}

const apart = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.abs(a.x - b.x) >= NODE_W || Math.abs(a.y - b.y) >= NODE_H;

function boardWith(n: number, domains: (Domain | null)[]): Board {
  let board = emptyBoard('gateway-a53');
  for (let i = 0; i < n; i++) board = addComponent(board, 'gpio', domains[i % domains.length]).board;
  return board;
}

/** The layout as first written (every slot checked against every block): the oracle for the indexed one. */
function naiveLayout(board: Board): Map<string, { x: number; y: number }> {
  const zones = zonesFor(board);
  const overlaps = (a: { x: number; y: number }, b: { x: number; y: number }) => !apart(a, b);
  const slotsOf = (domain: Domain | null) => {
    const z = zoneOf(zones, domain);
    const out: { x: number; y: number }[] = [];
    const perRow = Math.max(1, Math.floor((z.slots.w + 10) / (NODE_W + 10)));
    const n = Math.max(1, Math.floor((z.slots.h + 10) / (NODE_H + 10)));
    for (let r = 0; r < n; r++) for (let c = 0; c < perRow; c++) out.push({ x: z.slots.x + c * (NODE_W + 10), y: z.slots.y + r * (NODE_H + 10) });
    return { z, out };
  };
  const pos = new Map<string, { x: number; y: number }>();
  for (const c of board.components) {
    const p = board.layout?.[c.id];
    if (p && zoneAt(zones, p.x + NODE_W / 2, p.y + NODE_H / 2)?.domain === c.domain && ![...pos.values()].some((q) => overlaps(p, q))) pos.set(c.id, p);
  }
  for (const c of board.components) {
    if (pos.has(c.id)) continue;
    const taken = [...pos.values()];
    const { z, out } = slotsOf(c.domain);
    const n = taken.length;
    pos.set(c.id, out.find((s) => !taken.some((t) => overlaps(s, t))) ?? { x: z.slots.x + (n % 5) * 12, y: z.slots.y + (n % 7) * 8 });
  }
  return pos;
}

describe('diagram geometry', () => {
  it('the drawing of a board is its zones and layout, worked out once for that board and again for an edited one', () => {
    const board = boardWith(40, ['app', 'rt', null]);
    const first = drawingOf(board);
    expect(first.zones).toEqual(zonesFor(board));
    expect(first.positions).toEqual(layoutBoard(board));
    expect(drawingOf(board)).toBe(first);
    const edited = addComponent(board, 'uart', null).board;
    const next = drawingOf(edited);
    expect(next).not.toBe(first);
    expect(next.positions).toEqual(layoutBoard(edited));
    expect(next.positions.size).toBe(41);
  });

  it('places every block exactly where checking each slot against every block would (any board, blocks moved by hand)', () => {
    const domainArb = fc.constantFrom<Domain | null>('app', 'rt', 'system', 'shared', null);
    fc.assert(fc.property(
      fc.array(domainArb, { maxLength: 120 }),
      fc.array(fc.record({ i: fc.nat(), x: fc.integer({ min: -50, max: 1000 }), y: fc.integer({ min: -50, max: 1400 }) }), { maxLength: 40 }),
      (domains, moves) => {
        let board = emptyBoard('gateway-a53');
        for (const d of domains) board = addComponent(board, 'gpio', d).board;
        for (const m of moves) if (board.components.length) board = setPosition(board, board.components[m.i % board.components.length]!.id, m.x, m.y);
        expect(layoutBoard(board)).toEqual(naiveLayout(board));
      },
    ), { numRuns: 200 });
  });

  it('the drawing follows any run of edits exactly as drawing each board afresh would', () => {
    const domainArb = fc.constantFrom<Domain | null>('app', 'rt', 'system', 'shared', null);
    const step = fc.oneof(
      { arbitrary: fc.record({ op: fc.constant('add' as const), domain: domainArb }), weight: 6 },
      { arbitrary: fc.record({ op: fc.constant('place' as const), domain: domainArb, x: fc.integer({ min: 0, max: 980 }), y: fc.integer({ min: 0, max: 1400 }) }), weight: 1 },
      { arbitrary: fc.record({ op: fc.constant('remove' as const), i: fc.nat() }), weight: 1 },
      { arbitrary: fc.record({ op: fc.constant('undo' as const) }), weight: 1 },
    );
    fc.assert(fc.property(fc.array(step, { maxLength: 150 }), (steps) => {
      const history: Board[] = [emptyBoard('gateway-a53')];
      for (const s of steps) {
        let board = history.at(-1)!;
        if (s.op === 'undo') {
          if (history.length > 1) history.pop();
          board = history.at(-1)!;
        } else {
          if (s.op === 'remove') {
            const c = board.components[s.i % Math.max(1, board.components.length)];
            if (c) board = removeComponent(board, c.id);
          } else {
            const { board: next, id } = addComponent(board, 'gpio', s.domain);
            board = s.op === 'place' ? setPosition(next, id, s.x, s.y) : next;
          }
          history.push(board);
        }
        const drawing = drawingOf(board);
        expect(drawing.zones).toEqual(zonesFor(board));
        expect(drawing.positions).toEqual(layoutBoard(board));
      }
    }), { numRuns: 60 });
  });

  it('a block stored just below the tray stays where it was put once the tray grows a row around it, as drawing afresh would', () => {
    let board = addComponent(emptyBoard('gateway-a53'), 'gpio', null).board;
    const tray = zoneOf(zonesFor(board), null);
    const below = { x: tray.slots.x + 3 * (NODE_W + 10), y: tray.y + tray.h + 5 }; // its centre is outside the tray, for now
    board = setPosition(board, board.components[0]!.id, below.x, below.y);
    drawingOf(board);
    let grown = false;
    for (let i = 0; i < 20 && !grown; i++) {
      board = addComponent(board, 'gpio', null).board;
      const drawing = drawingOf(board);
      expect(drawing.positions).toEqual(layoutBoard(board));
      grown = zoneOf(drawing.zones, null).h > tray.h;
    }
    expect(grown).toBe(true);
    expect(drawingOf(board).positions.get(board.components[0]!.id)).toEqual(below); // now in its home zone: kept where it was put
  });

  it('a point in the real-time container belongs to it, not to the application VM around it', () => {
    const zones = zonesFor(emptyBoard());
    const rt = zoneOf(zones, 'rt');
    expect(zoneAt(zones, rt.x + 10, rt.y + 10)?.domain).toBe('rt');
    const app = zoneOf(zones, 'app');
    expect(zoneAt(zones, app.x + 10, app.y + 10)?.domain).toBe('app');
    expect(zoneAt(zones, -500, -500)).toBeUndefined();
  });

  it.each([5, 20, 60])('with %i components, every one is drawn inside its own zone and none covers another', (n) => {
    const board = boardWith(n, ['app', 'rt', 'system', 'shared', null]);
    const positions = [...layoutBoard(board).values()];
    for (const c of board.components) expect(centreZone(board, c.id)).toBe(c.domain);
    for (const [i, a] of positions.entries()) for (const b of positions.slice(i + 1)) expect(apart(a, b)).toBe(true);
  });

  it('zones grow with what they hold: fifteen unassigned blocks still fit in the tray', () => {
    const small = zoneOf(zonesFor(emptyBoard()), null);
    const board = boardWith(15, [null]);
    expect(zoneOf(zonesFor(board), null).h).toBeGreaterThan(small.h);
    for (const c of board.components) expect(centreZone(board, c.id)).toBe(null);
  });

  it('a stored position is kept while it lies in the zone, and ignored once the component moves to another domain', () => {
    const { board, id } = addComponent(emptyBoard(), 'uart', 'app');
    const app = zoneOf(zonesFor(board), 'app');
    const placed = setPosition(board, id, app.x + 200, app.y + 60);
    expect(layoutBoard(placed).get(id)).toEqual({ x: app.x + 200, y: app.y + 60 });
    const moved = { ...placed, components: placed.components.map((c) => ({ ...c, domain: 'system' as const })) };
    expect(centreZone(moved, id)).toBe('system');
  });

  it('on a phone the zones stand one above another, in the order of the row, none wider than the column', () => {
    const board = boardWith(30, ['app', 'rt', 'system', 'shared', null]);
    const zones = zonesFor(board, 'column');
    const [system, shared, app, rt, none] = (['system', 'shared', 'app', 'rt', null] as const).map((d) => zoneOf(zones, d));
    for (const [upper, lower] of [[system, shared], [shared, app], [app, none]] as const) expect(upper.y + upper.h).toBeLessThan(lower.y);
    for (const z of [system, shared, app, none]) expect([z.x, z.w]).toEqual([0, COLUMN_W]);
    expect(rt.x).toBeGreaterThan(app.x);
    expect(rt.x + rt.w).toBeLessThan(app.x + app.w);
    expect(rt.y + rt.h).toBeLessThan(app.y + app.h);
    // Two blocks side by side in every zone, the real-time container's too.
    for (const z of zones) expect(z.slots.w).toBeGreaterThanOrEqual(2 * NODE_W + 10);
  });

  it("a VM's header chips stay inside its zone, after its title, apart, and hold their label at any memory size", () => {
    // Any size a SoC can have, and more (a board asking for more than its SoC has is drawn, with a diagnostic).
    fc.assert(fc.property(fc.integer({ min: 1, max: 9999 }), fc.constantFrom<Arrangement>('row', 'column'), (mib, arrangement) => {
      for (const z of zonesFor(emptyBoard('gateway-a53'), arrangement).filter((z) => z.domain === 'system' || z.domain === 'app' || z.domain === 'rt')) {
        const memory = z.domain === 'rt' ? 'TCM' : `${mib} MiB`;
        const { cpu, ram } = headerChips(z, memory);
        expect(ram.x + ram.w).toBeLessThanOrEqual(z.x + z.w - 8);
        expect(cpu.x + cpu.w).toBeLessThan(ram.x);
        // Beside the title (unless on a line of their own below it): 16 px bold, at most 0.7 em a character
        // ("System VM" is 101 px), after the zone's 10 px padding, and a few pixels apart.
        if (cpu.y < z.y + 24) expect(cpu.x).toBeGreaterThanOrEqual(z.x + 10 + z.label.length * 16 * 0.7 + 4);
        // The chip's text: icon, space and label in 15.5 px monospace (0.6 em each), inside its 1 px borders.
        expect(ram.w - 2).toBeGreaterThanOrEqual((memory.length + 2) * 15.5 * 0.6);
      }
    }));
  });

  it('on a phone too, any board draws every block inside its own zone, none covering another, and the drawing is kept per arrangement', () => {
    const domainArb = fc.constantFrom<Domain | null>('app', 'rt', 'system', 'shared', null);
    const inOwnZones = (board: Board) => {
      const { zones, positions } = drawingOf(board, 'column');
      expect(zones).toEqual(zonesFor(board, 'column'));
      expect(drawingOf(board, 'row').zones).toEqual(zonesFor(board));
      for (const c of board.components) {
        const p = positions.get(c.id)!;
        expect(zoneAt(zones, p.x + NODE_W / 2, p.y + NODE_H / 2)?.domain).toBe(c.domain);
      }
      return [...positions.values()];
    };
    fc.assert(fc.property(
      fc.array(domainArb, { maxLength: 80 }),
      fc.array(fc.record({ i: fc.nat(), x: fc.integer({ min: -50, max: 400 }), y: fc.integer({ min: -50, max: 2400 }) }), { maxLength: 20 }),
      (domains, moves) => {
        let board = emptyBoard('gateway-a53');
        for (const d of domains) board = addComponent(board, 'gpio', d).board;
        const all = inOwnZones(board);
        for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) expect(apart(a, b)).toBe(true);
        // Moved by hand: each still in its own zone. (One left between the slots can leave none free, as in a
        // row: the next block is then cascaded over it.)
        for (const m of moves) if (board.components.length) board = setPosition(board, board.components[m.i % board.components.length]!.id, m.x, m.y);
        inOwnZones(board);
      },
    ), { numRuns: 100 });
  });

  it('a drop near a zone edge stays inside the zone, and a drop onto another block finds a free place', () => {
    const board = boardWith(1, ['app']);
    const zones = zonesFor(board);
    const app = zoneOf(zones, 'app');
    const edge = placeInZone(app, { x: app.x + app.w - 20, y: app.y - 30 }, []);
    expect(zoneAt(zones, edge.x, edge.y)?.domain).toBe('app');
    expect(zoneAt(zones, edge.x + NODE_W, edge.y + NODE_H)?.domain).toBe('app');
    const taken = [...layoutBoard(board).values()];
    expect(apart(placeInZone(app, taken[0], taken), taken[0])).toBe(true);
  });
});
