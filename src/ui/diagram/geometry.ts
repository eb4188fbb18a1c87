// Where the zones of the SoC diagram are, and where a component sits inside one.
// Pure geometry: the diagram's nodes are derived from the board with these.
// Zones grow with what is assigned to them, so nothing is ever drawn on top of another block.
import { domainLabel } from '../../model/catalog.ts';
import type { Board, Domain } from '../../model/types.ts';

export type ZoneDomain = Domain | null;

/**
 * How the zones are arranged: side by side (`row`, a laptop or larger), or one above another, each
 * two blocks wide (`column`, a phone: drawn at about 1:1 across its width, and panned down).
 */
export type Arrangement = 'row' | 'column';

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Zone extends Box {
  domain: ZoneDomain;
  /** Accessible name (CONTRACT §7). */
  label: string;
  hint: string;
  /** Area where components are placed. */
  slots: Box;
}

export const NODE_W = 128;
export const NODE_H = 46;
const GAP = 10;
/**
 * A zone's header: its title, and a VM's chips (CPUs, memory) 8 px down, 24 px high. It leaves a 20 px
 * lane between the chips and the first row of blocks, where a line to a chip runs (route.ts: a line
 * keeps 6 px from both, on an 8 px grid). With 12 px there, no line fit, and a line from a chip to a
 * block under it went out of the zone and round the drawing's edge (5 % of the examples' lines'
 * length outside the zones with the lane, 7 % without).
 */
const HEADER = 52;
/** The unassigned blocks' header: a title alone, no chips and so no lane under them. */
const TITLE_HEADER = 44;
const FOOTER = 28;
const ROW = NODE_H + GAP;
const COL = NODE_W + GAP;
/** Room under the paravirtualized blocks for the shared buffers chip. */
const BUFFERS = 70;

const cols = (w: number) => Math.max(1, Math.floor((w - 2 * GAP + GAP) / COL));
/** Rows for `n` blocks, with one row to spare so there is always room to drop one more. */
const rows = (n: number, perRow: number, min: number) => Math.max(min, Math.ceil(n / perRow) + 1);

const SYSTEM = { x: 0, w: 300 };
const SHARED = { x: 320, w: 160 };
const APP = { x: 500, w: 470 };
const RT_INSET = 20;
const WIDTH = APP.x + APP.w;

/** A second line of a zone's header, for its chips when they do not fit beside its title. */
const CHIP_LINE = 28;
/** The top of a VM's chips (its CPUs, its memory): in its header, at the right; on the header's last line when it has two. */
const chipsTop = (z: Zone): number => z.slots.y - HEADER + 8;

/** A header chip's width: at least 80, and room for its icon and label in the chips' 15.5 px monospace (0.6 em a character). */
const headerChipWidth = (label: string): number => Math.max(80, Math.ceil((label.length + 2) * 9.3 + 8));

/**
 * A VM zone's header chips, right-aligned: its CPUs, then its memory as wide as its label needs. Up to
 * "9999 MiB" both fit beside the widest title they share a line with ("System VM", 101 px).
 */
export function headerChips(z: Zone, memory: string): { cpu: Box; ram: Box } {
  const y = chipsTop(z);
  const ramW = headerChipWidth(memory);
  const ram = { x: z.x + z.w - 8 - ramW, y, w: ramW, h: 24 };
  return { cpu: { x: ram.x - 4 - 72, y, w: 72, h: 24 }, ram };
}

/** The paravirtualized zone's chip for the buffers its devices share, near its bottom, above its hint. */
export const buffersChip = (z: Zone): Box => ({ x: z.x + (z.w - 104) / 2, y: z.y + z.h - 64, w: 104, h: 24 });

/**
 * Where a zone's title is drawn, at its top left: its words start 12 px in and 10 px down (border and
 * padding) in bold 16 px, under 0.72 em a character even in DejaVu Sans Bold, the widest font the
 * page asks for ("Real-time container" is 178 px there), and end 29 px down.
 */
export const zoneTitle = (z: Zone): Box => ({ x: z.x, y: z.y, w: Math.min(z.w - 8, 12 + Math.ceil(z.label.length * 16 * 0.72)), h: 30 });
/**
 * A compromised VM's flag under its title (styles.css .zone-flag: 12 px in, 30 px down, "COMPROMISED"
 * in bold 10 px capitals, under 0.75 em a character, padded 6 px each side), which a line keeps off:
 * it lies in the lane under the header where lines to the chips run, and one ran through its word.
 */
export const zoneFlag = (z: Zone): Box => ({ x: z.x + 12, y: z.y + 30, w: 12 + Math.ceil('COMPROMISED'.length * 10 * 0.75), h: 16 });
/** Where a zone's hint is drawn, along its bottom (two lines when it wraps). */
export const zoneHint = (z: Zone): Box => ({ x: z.x, y: z.y + z.h - 42, w: z.w, h: 42 });
/**
 * The words of a zone's hint, which a line keeps off: from 14 px in, ending 4 px above the zone's
 * bottom, in italic 15.5 px under 0.57 em a character (the System VM's is 314 px in DejaVu Sans); on
 * as many 18 px lines as the zone's width needs (the paravirtualized zone's hint never wraps).
 */
export function zoneHintWords(z: Zone): Box {
  const room = z.w - 26;
  const wide = Math.ceil(z.hint.length * 15.5 * 0.57);
  const lines = z.domain === 'shared' ? 1 : Math.ceil(wide / room);
  const h = 18 * lines + 4;
  return { x: z.x + 14, y: z.y + z.h - 4 - h, w: Math.min(wide, room), h };
}
/** What a transaction's line keeps off, so every zone's words stay readable: its title and its hint. */
export const captionsOf = (zones: readonly Zone[]): Box[] => zones.flatMap((z) => [zoneTitle(z), zoneHintWords(z)]);

/** The width of every zone in the column arrangement: two blocks side by side, the real-time container's too. */
export const COLUMN_W = 360;
/** The space between two zones. */
const ZONE_GAP = 20;

/** The zones for a board: in a row, fixed columns with heights that fit what each domain holds; in a column, fixed width. */
export function zonesFor(board: Board, arrangement: Arrangement = 'row'): Zone[] {
  const count = (d: ZoneDomain) => board.components.filter((c) => c.domain === d).length;
  if (arrangement === 'column') return columnZones(count);
  const rtW = APP.w - 2 * RT_INSET;
  const appRows = rows(count('app'), cols(APP.w), 3);
  const rtRows = rows(count('rt'), cols(rtW), 2);
  const rtH = HEADER + rtRows * ROW + FOOTER;
  const need = Math.max(
    HEADER + rows(count('system'), cols(SYSTEM.w), 6) * ROW + FOOTER,
    HEADER + rows(count('shared'), 1, 5) * ROW + BUFFERS,
    HEADER + appRows * ROW + rtH + FOOTER + GAP,
  );
  const noneRows = rows(count(null), cols(WIDTH), 1);
  const rtY = HEADER + appRows * ROW;
  return [
    zone('system', { x: SYSTEM.x, y: 0, w: SYSTEM.w, h: need }, Math.floor((need - HEADER - FOOTER) / ROW)),
    zone('shared', { x: SHARED.x, y: 0, w: SHARED.w, h: need }, Math.floor((need - HEADER - BUFFERS) / ROW)),
    zone('app', { x: APP.x, y: 0, w: APP.w, h: need }, appRows),
    zone('rt', { x: APP.x + RT_INSET, y: rtY, w: rtW, h: rtH }, rtRows),
    zone(null, { x: 0, y: need + 20, w: WIDTH, h: TITLE_HEADER + noneRows * ROW + FOOTER - GAP }, noneRows, TITLE_HEADER),
  ];
}

/** What each zone says along its bottom: what runs there. */
const ZONE_HINTS: Record<Domain | 'null', string> = {
  system: 'system OS · gatewayd · networkd · VMM',
  shared: 'via system VM',
  app: "device maker's OS · direct pass-through",
  rt: 'an RTOS and its tasks on the real-time core',
  null: 'placed, not assigned to a domain yet',
};

/** The zone of `domain` in `box`, its blocks placed below its header in `slotRows` rows. */
function zone(domain: ZoneDomain, box: Box, slotRows: number, header = HEADER): Zone {
  return {
    domain, label: domainLabel(domain), hint: ZONE_HINTS[domain ?? 'null'], ...box,
    slots: { x: box.x + GAP, y: box.y + header, w: box.w - 2 * GAP, h: slotRows * ROW },
  };
}

/** The column arrangement: System VM, Paravirtualized, Application VM (the real-time container inside it), Unassigned, top to bottom. */
function columnZones(count: (d: ZoneDomain) => number): Zone[] {
  const perRow = cols(COLUMN_W);
  const rtW = COLUMN_W - 2 * RT_INSET;
  const systemRows = rows(count('system'), perRow, 2);
  const sharedRows = rows(count('shared'), perRow, 1);
  const appRows = rows(count('app'), perRow, 2);
  const rtRows = rows(count('rt'), cols(rtW), 1);
  const noneRows = rows(count(null), perRow, 1);
  // The container's title and its chips (CPUs, TCM) do not fit side by side across it: the chips go on a line of their own.
  const rtHeader = HEADER + CHIP_LINE;
  const rtH = rtHeader + rtRows * ROW + FOOTER;
  const system = { x: 0, y: 0, w: COLUMN_W, h: HEADER + systemRows * ROW + FOOTER };
  const shared = { x: 0, y: system.y + system.h + ZONE_GAP, w: COLUMN_W, h: HEADER + sharedRows * ROW + BUFFERS };
  const app = { x: 0, y: shared.y + shared.h + ZONE_GAP, w: COLUMN_W, h: HEADER + appRows * ROW + rtH + FOOTER + GAP };
  const rt = { x: RT_INSET, y: app.y + HEADER + appRows * ROW, w: rtW, h: rtH };
  const none = { x: 0, y: app.y + app.h + ZONE_GAP, w: COLUMN_W, h: TITLE_HEADER + noneRows * ROW + FOOTER - GAP };
  return [
    zone('system', system, systemRows),
    zone('shared', shared, sharedRows),
    zone('app', app, appRows),
    zone('rt', rt, rtRows, rtHeader),
    zone(null, none, noneRows, TITLE_HEADER),
  ];
}

export function zoneOf(zones: Zone[], domain: ZoneDomain): Zone {
  return zones.find((z) => z.domain === domain)!;
}

function inside(z: Box, px: number, py: number): boolean {
  return px >= z.x && px <= z.x + z.w && py >= z.y && py <= z.y + z.h;
}

/** The innermost zone at a diagram point (the real-time container wins over the application VM). */
export function zoneAt(zones: Zone[], px: number, py: number): Zone | undefined {
  return zones.filter((z) => inside(z, px, py)).sort((a, b) => a.w * a.h - b.w * b.h)[0];
}

function slotPositions(z: Zone): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  const perRow = Math.max(1, Math.floor((z.slots.w + GAP) / COL));
  const n = Math.max(1, Math.floor((z.slots.h + GAP) / ROW));
  for (let r = 0; r < n; r++) for (let c = 0; c < perRow; c++) out.push({ x: z.slots.x + c * COL, y: z.slots.y + r * ROW });
  return out;
}

function overlaps(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return Math.abs(a.x - b.x) < NODE_W && Math.abs(a.y - b.y) < NODE_H;
}

/** One number per grid cell (distinct within ±2^20 cells of the origin; two cells sharing one only widen the search: `covers` still compares the blocks themselves). */
const cellKey = (cx: number, cy: number) => cx * 2 ** 21 + cy;

/**
 * Blocks already placed, filed by grid cell of one block's size: two blocks can only overlap when
 * their cells are neighbours, so "is this spot free?" looks at a few blocks, not at all of them
 * (a 256-component board took ~35 ms to lay out when every slot was checked against every block).
 */
class Placed {
  /** By cell, the cell's key a number (x and y cells packed), so a look-up builds no string. */
  private cells = new Map<number, { x: number; y: number }[]>();
  size = 0;

  constructor(ps: Iterable<{ x: number; y: number }> = []) {
    for (const p of ps) this.add(p);
  }

  add(p: { x: number; y: number }): void {
    const key = cellKey(Math.floor(p.x / NODE_W), Math.floor(p.y / NODE_H));
    const cell = this.cells.get(key);
    if (cell) cell.push(p);
    else this.cells.set(key, [p]);
    this.size++;
  }

  covers(p: { x: number; y: number }): boolean {
    const cx = Math.floor(p.x / NODE_W);
    const cy = Math.floor(p.y / NODE_H);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        if (this.cells.get(cellKey(cx + dx, cy + dy))?.some((q) => overlaps(p, q))) return true;
      }
    }
    return false;
  }
}

/** The first slot of `z`, from `from` on, that covers no placed block; with its index. */
function freeSlotFrom(z: Zone, slots: { x: number; y: number }[], placed: Placed, from = 0): { at: { x: number; y: number }; index: number } {
  for (let i = from; i < slots.length; i++) if (!placed.covers(slots[i])) return { at: slots[i], index: i };
  // Only when blocks placed by hand fill every gap: cascade so none hides exactly behind another.
  const n = placed.size;
  return { at: { x: z.slots.x + (n % 5) * 12, y: z.slots.y + (n % 7) * 8 }, index: slots.length };
}

/**
 * Where a block dropped at `p` (its top-left corner) lands in `zone`: kept
 * inside the zone's placing area, and moved to a free slot if it would cover another block.
 */
export function placeInZone(zone: Zone, p: { x: number; y: number }, taken: { x: number; y: number }[]): { x: number; y: number } {
  const { slots } = zone;
  const clamped = {
    x: Math.round(Math.min(Math.max(p.x, slots.x), slots.x + slots.w - NODE_W)),
    y: Math.round(Math.min(Math.max(p.y, slots.y), slots.y + slots.h - NODE_H)),
  };
  const placed = new Placed(taken);
  return placed.covers(clamped) ? freeSlotFrom(zone, slotPositions(zone), placed).at : clamped;
}

/**
 * Position of every component: its stored layout when that lies in its zone and
 * covers no other block, otherwise the first free slot of its zone.
 */
export function layoutBoard(board: Board, zones = zonesFor(board)): Map<string, { x: number; y: number }> {
  const pos = new Map<string, { x: number; y: number }>();
  const placed = new Placed();
  for (const c of board.components) {
    const p = board.layout && Object.hasOwn(board.layout, c.id) ? board.layout[c.id] : undefined;
    const home = p && zoneAt(zones, p.x + NODE_W / 2, p.y + NODE_H / 2)?.domain === c.domain;
    if (p && home && !placed.covers(p)) {
      pos.set(c.id, p);
      placed.add(p);
    }
  }
  // Blocks only ever get added, so a slot found covered stays covered: each zone's search goes on from where it stopped.
  const search = new Map<ZoneDomain, { slots: { x: number; y: number }[]; from: number }>();
  for (const c of board.components) {
    if (pos.has(c.id)) continue;
    const zone = zoneOf(zones, c.domain);
    let s = search.get(c.domain);
    if (!s) search.set(c.domain, (s = { slots: slotPositions(zone), from: 0 }));
    const { at, index } = freeSlotFrom(zone, s.slots, placed, s.from);
    s.from = index;
    pos.set(c.id, at);
    placed.add(at);
  }
  return pos;
}

export interface Drawing {
  zones: Zone[];
  positions: Map<string, { x: number; y: number }>;
}

const drawn: Record<Arrangement, WeakMap<Board, Drawing>> = { row: new WeakMap(), column: new WeakMap() };

/**
 * The zones and every block's position, worked out once per board and arrangement: the diagram draws
 * them, and a drop or a tap asks where the blocks already are. Boards are never changed in place
 * (every edit makes a new one), so the board itself is the key.
 */
export function drawingOf(board: Board, arrangement: Arrangement = 'row'): Drawing {
  let found = drawn[arrangement].get(board);
  if (!found) {
    const zones = zonesFor(board, arrangement);
    drawn[arrangement].set(board, (found = { zones, positions: layoutBoard(board, zones) }));
  }
  return found;
}
