// Where the zones of the SoC diagram are, and where a component sits inside one.
// Pure geometry: the diagram's nodes are derived from the board with these.
import type { Board, Domain } from '../../model/types.ts';

export type ZoneDomain = Domain | null;

export interface Zone {
  domain: ZoneDomain;
  /** Accessible name (CONTRACT §7). */
  label: string;
  hint: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Area where components are auto-placed (relative to the diagram). */
  slots: { x: number; y: number; w: number; h: number };
}

export const NODE_W = 128;
export const NODE_H = 46;
const GAP = 10;
const HEADER = 44;

function zone(domain: ZoneDomain, label: string, hint: string, x: number, y: number, w: number, h: number, slotH = h - HEADER - GAP): Zone {
  return { domain, label, hint, x, y, w, h, slots: { x: x + GAP, y: y + HEADER, w: w - 2 * GAP, h: slotH } };
}

export const ZONES: Zone[] = [
  zone('system', 'System VM', 'system OS · gatewayd · networkd · VMM', 0, 0, 300, 430),
  zone('shared', 'Paravirtualized', 'driven by the system VM, offered to the app VM', 320, 0, 160, 430, 310),
  zone('app', 'Application VM', "device maker's OS · direct pass-through", 500, 0, 440, 430, 170),
  zone('rt', 'Real-time container', 'bare-metal code on real-time cores', 520, 230, 400, 180),
  zone(null, 'Unassigned', 'placed, not assigned to a domain yet', 0, 450, 940, 120),
];

export function zoneOf(domain: ZoneDomain): Zone {
  return ZONES.find((z) => z.domain === domain)!;
}

function inside(z: { x: number; y: number; w: number; h: number }, px: number, py: number): boolean {
  return px >= z.x && px <= z.x + z.w && py >= z.y && py <= z.y + z.h;
}

/** The innermost zone at a diagram point (the real-time container wins over the application VM). */
export function zoneAt(px: number, py: number): Zone | undefined {
  const hits = ZONES.filter((z) => inside(z, px, py));
  return hits.sort((a, b) => a.w * a.h - b.w * b.h)[0];
}

function slotPositions(z: Zone): { x: number; y: number }[] {
  const cols = Math.max(1, Math.floor((z.slots.w + GAP) / (NODE_W + GAP)));
  const rows = Math.max(1, Math.floor((z.slots.h + GAP) / (NODE_H + GAP)));
  const out: { x: number; y: number }[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out.push({ x: z.slots.x + c * (NODE_W + GAP), y: z.slots.y + r * (NODE_H + GAP) });
  return out;
}

function overlaps(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return Math.abs(a.x - b.x) < NODE_W && Math.abs(a.y - b.y) < NODE_H;
}

/** A stored position counts only while it still lies in the component's own zone. */
function storedPosition(board: Board, id: string, domain: ZoneDomain): { x: number; y: number } | undefined {
  const p = board.layout && Object.hasOwn(board.layout, id) ? board.layout[id] : undefined;
  if (!p) return undefined;
  return zoneAt(p.x + NODE_W / 2, p.y + NODE_H / 2)?.domain === domain ? p : undefined;
}

/**
 * Position of every component: its stored layout when that lies in its zone,
 * otherwise the first free slot of its zone (or stacked below when the zone is full).
 */
export function layoutBoard(board: Board): Map<string, { x: number; y: number }> {
  const pos = new Map<string, { x: number; y: number }>();
  for (const c of board.components) {
    const p = storedPosition(board, c.id, c.domain);
    if (p) pos.set(c.id, p);
  }
  for (const c of board.components) {
    if (pos.has(c.id)) continue;
    pos.set(c.id, freeSlot(zoneOf(c.domain), [...pos.values()]));
  }
  return pos;
}

function freeSlot(z: Zone, taken: { x: number; y: number }[]): { x: number; y: number } {
  const slots = slotPositions(z);
  const free = slots.find((s) => !taken.some((t) => overlaps(s, t)));
  if (free) return free;
  // Zone full: overflow in a cascade so nothing hides exactly behind another node.
  const n = taken.length;
  return { x: z.slots.x + (n % 5) * 12, y: z.slots.y + (n % 7) * 8 };
}
