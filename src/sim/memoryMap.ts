// The SoC's physical address space as the VMM lays it out from the board:
// RAM regions for each environment, the mailbox between the application VM
// and the real-time container, the paravirtual buffers between the system VM
// and the application VM, and one register window per component.

import { KINDS } from '../model/catalog.ts';
import { profile } from '../model/profiles.ts';
import type { Board, Component, Domain } from '../model/types.ts';

export type RegionId = 'system-ram' | 'app-ram' | 'rt-ram' | 'mailbox' | 'pv-buffers';
export const REGION_IDS: readonly RegionId[] = ['system-ram', 'app-ram', 'rt-ram', 'mailbox', 'pv-buffers'];

export interface MapEntry {
  /** A region id or a component id. */
  target: string;
  base: number;
  size: number;
  kind: 'ram' | 'registers';
  /**
   * Who owns it. For RAM: an environment, or 'shared' for the two regions two
   * environments share (mailbox, paravirtual buffers). For registers: the
   * component's domain — 'shared' then means driven by the system VM.
   */
  owner: Domain | null;
  component?: Component;
}

/** Is this the system VM's own: its RAM, or the registers of a device it drives (its own or a paravirtualized one)? */
export function isSystemSide(entry: MapEntry): boolean {
  return entry.owner === 'system' || (entry.owner === 'shared' && entry.kind === 'registers');
}

/**
 * Whose a target is: the environment owning a RAM region or a component's
 * registers (a shared component's registers are the system VM's, which drives
 * it); null for the two shared regions and unassigned or unknown targets.
 */
export function ownerOf(map: MemoryMap, target: string): 'system' | 'app' | 'rt' | null {
  const e = map.get(target);
  if (!e || e.owner === null) return null;
  if (e.kind === 'ram') return e.owner === 'shared' ? null : e.owner;
  return e.owner === 'shared' ? 'system' : e.owner;
}

const MiB = 1024 * 1024;
const align = (n: number, a: number) => Math.ceil(n / a) * a;

export class MemoryMap {
  readonly entries: MapEntry[] = [];
  private byTarget = new Map<string, MapEntry>();
  private sorted: MapEntry[];

  constructor(board: Board) {
    const p = profile(board.soc);
    const add = (e: MapEntry) => {
      this.entries.push(e);
      if (!this.byTarget.has(e.target)) this.byTarget.set(e.target, e);
    };
    // Tightly coupled SRAM of the real-time cores, then the mailbox beside it.
    const rtSize = Math.max(1, p.realtimeMemoryMiB) * MiB;
    add({ target: 'rt-ram', base: 0x2000_0000, size: rtSize, kind: 'ram', owner: 'rt' });
    add({ target: 'mailbox', base: 0x2000_0000 + rtSize, size: 0x1000, kind: 'ram', owner: 'shared' });
    // Peripherals from 0x4000_0000, sorted by id so the layout is stable.
    let addr = 0x4000_0000;
    for (const c of [...board.components].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const size = align(KINDS[c.kind]?.registerWindow ?? 0x1000, 0x1000);
      addr = align(addr, size);
      add({ target: c.id, base: addr, size, kind: 'registers', owner: c.domain, component: c });
      addr += size;
    }
    // DRAM from 0x8000_0000: system VM first, then the application VM.
    const sysSize = Math.max(1, board.vms.system.memoryMiB) * MiB;
    const appSize = Math.max(1, board.vms.app.memoryMiB) * MiB;
    add({ target: 'system-ram', base: 0x8000_0000, size: sysSize, kind: 'ram', owner: 'system' });
    add({ target: 'app-ram', base: 0x8000_0000 + sysSize, size: appSize, kind: 'ram', owner: 'app' });
    add({ target: 'pv-buffers', base: align(0x8000_0000 + sysSize + appSize, MiB), size: 0x10000, kind: 'ram', owner: 'shared' });
    this.sorted = [...this.entries].sort((a, b) => a.base - b.base);
  }

  get(target: string): MapEntry | undefined {
    return this.byTarget.get(target);
  }

  /** The entry holding a physical address, by binary search. */
  resolve(address: number): { entry: MapEntry; offset: number } | undefined {
    let lo = 0;
    let hi = this.sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.sorted[mid];
      if (address < e.base) hi = mid - 1;
      else if (address >= e.base + e.size) lo = mid + 1;
      else return { entry: e, offset: address - e.base };
    }
    return undefined;
  }

  /** Every target in address order. */
  layout(): readonly MapEntry[] {
    return this.sorted;
  }
}

export function hex(n: number, width = 8): string {
  return '0x' + (n < 0 ? n >>> 0 : n).toString(16).padStart(width, '0');
}
