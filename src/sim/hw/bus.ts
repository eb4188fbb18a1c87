// One bus (DOMAIN.md §1): every access — CPU loads and stores, drivers, DMA
// engines, other bus-master peripherals, paravirtual traffic — takes the same
// path: master → (CPU: stage-2) → firewall or IOMMU → target. Each access
// becomes a transaction record naming every stage it passed, that stage's
// verdict and deciding rule, and the outcome.
//
// The route of every (master, target, op) is decided once, when the board is
// loaded (the tables are fixed until the next boot, as in hardware), so an
// access costs a lookup and one record.

import type { Board, Component } from '../../model/types.ts';
import type { Op } from '../firewall.ts';
import { Firewall, effectiveProtection, masterEnv, mastersOf } from '../firewall.ts';
import { hex, ownerOf, type MemoryMap } from '../memoryMap.ts';
import type { StageKind, Transaction, TxnStage } from '../types.ts';
import { Stage2 } from './stage2.ts';

/** How many recent transactions `trace <n>` can still show. */
export const TRACE_DEPTH = 512;

interface Route {
  readonly stages: readonly TxnStage[];
  readonly allowed: boolean;
  readonly decidedBy: StageKind;
  readonly rule: string;
  /** Allowed, a write, and into another environment's memory or registers. */
  readonly escape: boolean;
}

const UNKNOWN: Route = Object.freeze({
  stages: Object.freeze([Object.freeze({ stage: 'firewall', verdict: 'deny', rule: 'default deny (unknown bus master)' } as TxnStage)]),
  allowed: false, decidedBy: 'firewall', rule: 'default deny (unknown bus master)', escape: false,
});

export class Bus {
  readonly firewall: Firewall;
  readonly stage2: Stage2 | null;
  private routes = new Map<string, { read: Map<string, Route>; write: Map<string, Route> }>();
  private lastMaster = '';
  private lastRow: { read: Map<string, Route>; write: Map<string, Route> } | undefined;
  /** The last TRACE_DEPTH transactions; number n sits at (n - 1) % TRACE_DEPTH. */
  private ring: Transaction[] = new Array(TRACE_DEPTH);
  private count = 0;
  private drained = 0;

  constructor(private readonly board: Board, private readonly map: MemoryMap, firewall?: Firewall) {
    this.firewall = firewall ?? new Firewall(board, map);
    this.stage2 = Stage2.of(board, map);
    const targets = [...new Set(map.entries.map((e) => e.target))];
    for (const master of mastersOf(board)) {
      const row = { read: new Map<string, Route>(), write: new Map<string, Route>() };
      for (const t of targets) for (const op of ['read', 'write'] as const) row[op].set(t, this.decide(master, t, op));
      this.routes.set(master, row);
    }
  }

  /** The route an access would take (no record is made). */
  route(master: string, target: string, op: Op): Route {
    let row = this.lastRow;
    if (master !== this.lastMaster) {
      row = this.routes.get(master);
      this.lastMaster = master;
      this.lastRow = row;
    }
    return row?.[op].get(target) ?? UNKNOWN;
  }

  /** Performs the bus part of an access: decides it and records the transaction. */
  transact(t: number, master: string, target: string, op: Op, address: number, background = false): Transaction {
    const r = this.route(master, target, op);
    const txn: Transaction = {
      n: ++this.count, t, master, op, target, address,
      stages: r.stages, allowed: r.allowed, decidedBy: r.decidedBy, rule: r.rule,
    };
    if (r.escape) txn.escape = true;
    if (background) txn.background = true;
    return this.record(txn);
  }

  private record(txn: Transaction): Transaction {
    this.ring[(txn.n - 1) % TRACE_DEPTH] = txn;
    return txn;
  }

  /**
   * Records a transaction the IOMMU refused before any target was known: an
   * I/O virtual address outside every window it maps.
   */
  fault(t: number, master: string, target: string, op: Op, address: number, why: string): Transaction {
    const rule = `${master.slice(4)} IOMMU → ${target}: fault (${why})`;
    return this.record({
      n: ++this.count, t, master, op, target, address,
      stages: [{ stage: 'iommu', verdict: 'deny', rule }], allowed: false, decidedBy: 'iommu', rule,
    });
  }

  /**
   * Records a CPU access to an address no region of the memory map holds, by a
   * VM whose CPUs go through stage-2: its tables map nothing there, so the
   * translation faults to the hypervisor before anything reaches the bus.
   */
  unmappedStage2(t: number, master: string, op: Op, address: number): Transaction {
    const target = hex(address);
    const rule = `${master.slice(4)}-vm stage-2 → ${target}: not mapped (translation fault, trapped by the hypervisor; no region of the SoC is there)`;
    return this.record({
      n: ++this.count, t, master, op, target, address,
      stages: [{ stage: 'stage-2', verdict: 'deny', rule }], allowed: false, decidedBy: 'stage-2', rule,
    });
  }

  /** A recent transaction by number, or the newest; undefined when it is not (or no longer) kept. */
  find(n = this.count): Transaction | undefined {
    if (n < 1 || n > this.count || n <= this.count - TRACE_DEPTH) return undefined;
    return this.ring[(n - 1) % TRACE_DEPTH];
  }

  /**
   * The newest kept transaction that is not background traffic (`trace last`): the one a command or
   * an attack made, as the page's Transaction trace shows it, not the services' chatter after it.
   */
  latest(): Transaction | undefined {
    for (let n = this.count; n >= 1 && n > this.count - TRACE_DEPTH; n--) {
      const txn = this.find(n)!;
      if (!txn.background) return txn;
    }
    return undefined;
  }

  get total(): number {
    return this.count;
  }

  /** Transactions since the last drain, oldest first (at most the kept ones), for the page. */
  drain(): Transaction[] {
    const out: Transaction[] = [];
    for (let n = Math.max(this.drained + 1, this.count - TRACE_DEPTH + 1); n <= this.count; n++) out.push(this.find(n)!);
    this.drained = this.count;
    return out;
  }

  /** Targets a master can read or write, in address order. */
  reachable(master: string): string[] {
    return [...new Set(this.map.layout().map((e) => e.target))]
      .filter((t) => this.route(master, t, 'read').allowed || this.route(master, t, 'write').allowed);
  }

  private decide(master: string, target: string, op: Op): Route {
    const stages: TxnStage[] = [];
    const escape = (allowed: boolean) => allowed && op === 'write' && this.crossesDomain(master, target);
    const freeze = (allowed: boolean, decidedBy: StageKind, rule: string): Route =>
      Object.freeze({ stages: Object.freeze(stages.map((s) => Object.freeze(s))), allowed, decidedBy, rule, escape: escape(allowed) });
    if (this.stage2?.covers(master)) {
      const d = this.stage2.check(master, target);
      stages.push({ stage: 'stage-2', verdict: d.allowed ? 'allow' : 'deny', rule: d.rule });
      if (!d.allowed) return freeze(false, 'stage-2', d.rule);
    }
    const dev = master.startsWith('dma:') ? this.component(master.slice(4)) : undefined;
    if (dev && effectiveProtection(this.board, dev) === 'iommu' && dev.domain !== 'system' && dev.domain !== 'shared') {
      // The IOMMU translates the device's addresses into its owner's window; it is not the firewall, so
      // turning the firewall off does not open it.
      const window = dev.domain === 'app' ? ['app-ram'] : ['rt-ram', 'mailbox'];
      const ok = window.includes(target);
      const rule = `${dev.id} IOMMU → ${target}: ${ok ? 'translated (inside its owner\'s window)' : 'fault (outside its owner\'s window)'}`;
      stages.push({ stage: 'iommu', verdict: ok ? 'allow' : 'deny', rule });
      return freeze(ok, 'iommu', rule);
    }
    const d = this.firewall.check(master, target, op);
    stages.push({ stage: 'firewall', verdict: d.allowed ? 'allow' : 'deny', rule: d.rule });
    return freeze(d.allowed, 'firewall', d.rule);
  }

  /** Does `target` belong to another environment than the one `master` acts for (the system VM may write anything it is allowed to)? */
  private crossesDomain(master: string, target: string): boolean {
    const env = master.startsWith('cpu:') ? master.slice(4) : masterEnv(this.component(master.slice(4))!);
    const owner = ownerOf(this.map, target);
    return env !== null && env !== 'system' && owner !== null && owner !== env;
  }

  private component(id: string): Component | undefined {
    return this.board.components.find((c) => c.id === id);
  }
}
