// The hardware firewall in front of memory and peripherals (CONTRACT §5).
// Every bus master has an identity — each environment's CPUs and each
// bus-master component — and the decision for every (master, target, op) is
// computed once when the board is loaded, so a check is two lookups in
// prebuilt tables. Reads and writes are decided apart where the hardware does
// (a display controller's scan-out engine only reads frame buffers).

import type { Board, Component } from '../model/types.ts';
import { isBusMaster } from '../model/catalog.ts';
import { protectionOf } from '../model/check.ts';
import { profile } from '../model/profiles.ts';
import type { MemoryMap } from './memoryMap.ts';

export type Op = 'read' | 'write';

export interface Decision {
  readonly allowed: boolean;
  /** Names the rule that decided, e.g. "app-cpu → app-ram: allow (own memory)". */
  readonly rule: string;
}

type Env = 'system' | 'app' | 'rt';

const DEFAULT_DENY: Decision = Object.freeze({ allowed: false, rule: 'default deny' });

/** The bus identities on a board: cpu:system, cpu:app, cpu:rt, dma:<id> for every bus-master component. */
export function mastersOf(board: Board): string[] {
  const out = ['cpu:system', 'cpu:app', 'cpu:rt'];
  for (const c of board.components) if (isBusMaster(c.kind)) out.push(`dma:${c.id}`);
  return out;
}

/** How a bus master is actually contained on this SoC (an IOMMU request on a chip without one contains nothing). */
export function effectiveProtection(board: Board, master: Component): 'none' | 'firewall-id' | 'iommu' {
  const p = protectionOf(master);
  if (p === 'iommu' && !profile(board.soc).iommu) return 'none';
  return p;
}

/** The environment a bus-master component acts for, by its domain (a shared one is driven by the system VM). */
export function masterEnv(c: Component): Env | null {
  if (c.domain === 'app' || c.domain === 'rt') return c.domain;
  if (c.domain === 'system' || c.domain === 'shared') return 'system';
  return null;
}

export class Firewall {
  readonly enforce: boolean;
  private rows = new Map<string, { read: Map<string, Decision>; write: Map<string, Decision> }>();
  private lastMaster = '';
  private lastRow: { read: Map<string, Decision>; write: Map<string, Decision> } | undefined;

  constructor(private readonly board: Board, private readonly map: MemoryMap, enforce?: boolean) {
    this.enforce = enforce ?? board.firewall?.enforce ?? true;
    const targets = map.entries.map((e) => e.target);
    for (const master of mastersOf(board)) {
      const row = { read: new Map<string, Decision>(), write: new Map<string, Decision>() };
      for (const t of targets) {
        if (row.read.has(t)) continue;
        row.read.set(t, Object.freeze(this.decide(master, t, 'read')));
        row.write.set(t, Object.freeze(this.decide(master, t, 'write')));
      }
      this.rows.set(master, row);
    }
  }

  /** The firewall's decision for one access. */
  check(master: string, target: string, op: Op = 'read'): Decision {
    let row: { read: Map<string, Decision>; write: Map<string, Decision> } | undefined;
    if (master === this.lastMaster) row = this.lastRow;
    else {
      row = this.rows.get(master);
      this.lastMaster = master;
      this.lastRow = row;
    }
    return (row !== undefined && row[op].get(target)) || DEFAULT_DENY;
  }

  /** Targets a master may read or write, in address order. */
  reachable(master: string): string[] {
    return this.map.layout().filter((e) => this.check(master, e.target, 'read').allowed || this.check(master, e.target, 'write').allowed).map((e) => e.target);
  }

  private decide(master: string, target: string, op: Op): Decision {
    const label = master.startsWith('cpu:') ? `${master.slice(4)}-cpu` : master.slice(4);
    const allow = (why: string): Decision => ({ allowed: true, rule: `${label} → ${target}: allow (${why})` });
    const deny = (why: string): Decision => ({ allowed: false, rule: `${label} → ${target}: deny (${why})` });
    if (!this.enforce) return { allowed: true, rule: 'firewall not enforced (board settings: "Hardware firewall enforced" is off)' };
    const entry = this.map.get(target);
    if (!entry) return DEFAULT_DENY;

    if (master.startsWith('cpu:')) return this.cpuRule(master.slice(4) as Env, target, entry.component, allow, deny);

    const dev = this.board.components.find((c) => c.id === master.slice(4))!;
    const env = masterEnv(dev);
    if (env === null) return deny('bus master not assigned to any VM');
    if (env === 'system') return this.cpuRule('system', target, entry.component, allow, deny, 'system VM bus master');
    const protection = effectiveProtection(this.board, dev);
    if (protection === 'none') {
      return allow((dev.dmaProtection === 'iommu' ? 'iommu requested but this SoC has none: ' : '')
        + 'no firewall identity of its own, so it masters the bus with the default identity and bypasses the VM memory protection');
    }
    if (protection === 'iommu') {
      // Behind the IOMMU the firewall sees only addresses the IOMMU translated into the owner's window.
      const window = env === 'app' ? ['app-ram'] : ['rt-ram', 'mailbox'];
      return window.includes(target) ? allow('translated by the IOMMU into its owner\'s window') : deny('outside the IOMMU window');
    }
    // firewall-id: its own identity, limited to its environment's memory and peripherals
    const own = this.cpuRule(env, target, entry.component, allow, deny, 'bus-master firewall identity');
    if (own.allowed && (target === 'pv-buffers' || target === 'mailbox') && env === 'app') {
      return deny('bus-master firewall identity: not its own memory');
    }
    if (own.allowed && op === 'write' && dev.kind === 'display' && entry.kind === 'ram') {
      return deny('display scan-out identity: reads frame buffers, may not write memory');
    }
    return own;
  }

  private cpuRule(
    env: Env, target: string, component: Component | undefined,
    allow: (why: string) => Decision, deny: (why: string) => Decision, prefix = '',
  ): Decision {
    const p = prefix ? `${prefix}: ` : '';
    if (component) {
      const d = component.domain;
      if (d === null) return deny(`${p}unassigned component`);
      if (env === 'app') {
        if (d === 'app') return allow(`${p}application VM peripheral`);
        if (d === 'shared') return deny(`${p}shared device, reachable only through its paravirtual device`);
        if (d === 'system') return deny(`${p}system VM peripheral`);
        return deny(`${p}real-time container peripheral`);
      }
      if (env === 'rt') {
        if (d === 'rt') return allow(`${p}real-time container peripheral`);
        if (d === 'system' || d === 'shared') return deny(`${p}system VM peripheral`);
        return deny(`${p}application VM peripheral`);
      }
      if (d === 'system') return allow(`${p}system VM peripheral`);
      if (d === 'shared') return allow(`${p}shared device driven by the system VM`);
      if (d === 'app') return deny(`${p}application VM peripheral`);
      return deny(`${p}real-time container peripheral`);
    }
    const own: Record<Env, Record<string, string>> = {
      app: { 'app-ram': 'own memory', mailbox: 'mailbox shared with the real-time container', 'pv-buffers': 'paravirtual device buffers' },
      rt: { 'rt-ram': 'own memory', mailbox: 'mailbox shared with the application VM' },
      system: { 'system-ram': 'own memory', 'pv-buffers': 'paravirtual device buffers' },
    };
    const why = own[env][target];
    if (why) return allow(`${p}${why}`);
    const names: Record<string, string> = {
      'system-ram': 'system VM memory', 'app-ram': 'application VM memory', 'rt-ram': 'real-time container memory',
      mailbox: 'mailbox between the application VM and the real-time container', 'pv-buffers': 'paravirtual buffers',
    };
    return deny(`${p}${names[target] ?? 'not its own'}`);
  }
}
