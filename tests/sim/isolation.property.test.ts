// The rule of isolation (DOMAIN.md §1) as a property: on any bootable board
// whose bus masters (DMA engines and every bus-master peripheral) are
// contained and whose firewall is on, nothing the application VM or the
// real-time container does — by CPU or by bus master, reading or writing —
// reaches memory or registers outside its own.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROFILES, allowedDomains } from '../../src/model/profiles.ts';
import { KINDS } from '../../src/model/catalog.ts';
import { bootBlockers, check } from '../../src/model/check.ts';
import { COMPONENT_KINDS } from '../../src/model/types.ts';
import type { Board, Component, ComponentKind, Domain, SocId } from '../../src/model/types.ts';
import { SYSTEM_RAM_MARKER, Simulation } from '../../src/sim/index.ts';
import type { AccessRecord, SimEvent } from '../../src/sim/index.ts';

const BOARDS = 2000;
const ACCESSES_PER_BOARD = 100;

type Access =
  | { kind: 'peek' | 'poke'; from: 'app' | 'rt'; target: number; offset: number; byAddress: boolean; value: number }
  | { kind: 'dma'; engine: number; src: number; dst: number; srcAddr: boolean; dstAddr: boolean; offset: number; bytes: number };

const socArb = fc.constantFrom<SocId>('mcu-16', 'iot-a7m4', 'gateway-a53');
const BUS_MASTER_KINDS = COMPONENT_KINDS.filter((k) => KINDS[k].busMaster);

/**
 * A random bootable board: random kinds in random domains the SoC allows (or
 * unassigned), within its instance counts and pin-mux groups, plus at least
 * one DMA engine in app or rt and, where the SoC has them, other bus masters.
 */
function boardArb(protect: (soc: SocId, i: number, kind: ComponentKind) => Component['dmaProtection'], socs = socArb): fc.Arbitrary<Board> {
  return socs.chain((soc) => {
    const kinds = COMPONENT_KINDS.filter((k) => (PROFILES[soc].instances[k] ?? 0) > 0);
    const masters = BUS_MASTER_KINDS.filter((k) => k !== 'dma' && (PROFILES[soc].instances[k] ?? 0) > 0);
    return fc.record({
      parts: fc.array(fc.record({ kind: fc.constantFrom<ComponentKind>(...kinds), domain: fc.nat(), assigned: fc.nat({ max: 4 }) }), { minLength: 1, maxLength: 14 }),
      dmaDomains: fc.array(fc.constantFrom<Domain>('app', 'rt'), { minLength: 1, maxLength: 3 }),
      masterParts: masters.length
        ? fc.array(fc.record({ kind: fc.constantFrom<ComponentKind>(...masters), domain: fc.nat() }), { minLength: 1, maxLength: 4 })
        : fc.constant([]),
    }).map(({ parts, dmaDomains, masterParts }) => {
      const p = PROFILES[soc];
      const components: Component[] = [];
      let masterIndex = 0;
      const add = (kind: ComponentKind, domain: Domain | null) => {
        if (components.filter((c) => c.kind === kind).length >= (p.instances[kind] ?? 0)) return;
        const group = p.pinMuxGroups.find((g) => g.members.includes(kind));
        if (domain !== null && group && components.some((c) => c.domain !== null && c.kind !== kind && group.members.includes(c.kind))) domain = null;
        const c: Component = { id: `${kind}${components.length}`, kind, domain };
        if (KINDS[kind].busMaster) c.dmaProtection = protect(soc, masterIndex++, kind);
        components.push(c);
      };
      for (const d of dmaDomains) add('dma', d);
      for (const m of masterParts) {
        const ds = allowedDomains(p, m.kind);
        add(m.kind, ds[m.domain % ds.length]);
      }
      for (const part of parts) {
        const ds = allowedDomains(p, part.kind);
        add(part.kind, part.assigned === 0 ? null : part.kind === 'security-processor' ? 'system' : ds[part.domain % ds.length]);
      }
      const board: Board = {
        format: 'isolation-lab/board', version: 1, name: 'random', soc, components,
        // The SoC's default VM sizes: each VM holds its own kernel, so a size
        // below the SoC's smallest bootable VM would never pass the filter below.
        vms: { system: { memoryMiB: p.defaultVmMemoryMiB.system }, app: { memoryMiB: p.defaultVmMemoryMiB.app } },
        firewall: { enforce: true },
      };
      return board;
    }).filter((b) => bootBlockers(check(b)).length === 0);
  });
}

const accessArb: fc.Arbitrary<Access> = fc.oneof(
  fc.record({
    kind: fc.constantFrom<'peek' | 'poke'>('peek', 'poke'),
    from: fc.constantFrom<'app' | 'rt'>('app', 'rt'),
    target: fc.nat(), offset: fc.nat({ max: 0xfff }), byAddress: fc.boolean(), value: fc.nat({ max: 0xffffffff }),
  }),
  fc.record({
    kind: fc.constant<'dma'>('dma'),
    engine: fc.nat(), src: fc.nat(), dst: fc.nat(), srcAddr: fc.boolean(), dstAddr: fc.boolean(),
    offset: fc.nat({ max: 0xfff }), bytes: fc.integer({ min: 1, max: 4096 }),
  }),
);

const OWN_REGIONS = { app: ['app-ram', 'mailbox', 'pv-buffers'], rt: ['rt-ram', 'mailbox'] } as const;

/** The environment a master acts for, or null for masters this property does not drive. */
function envOf(board: Board, master: string): 'app' | 'rt' | null {
  if (master === 'cpu:app') return 'app';
  if (master === 'cpu:rt') return 'rt';
  const dev = board.components.find((c) => `dma:${c.id}` === master);
  return dev && (dev.domain === 'app' || dev.domain === 'rt') ? dev.domain : null;
}

/** What the bus saw across all runs, to show the property exercised real accesses. */
const seen = { accesses: 0, allowed: 0, denied: 0, dmaTransfers: 0, ops: new Set<string>(), masterKinds: new Set<string>() };

/** Runs the accesses; returns a description of the first isolation breach, or null. */
function breach(board: Board, accesses: Access[]): string | null {
  const sim = new Simulation(board, { seed: 7 });
  sim.powerOn();
  sim.settle();
  sim.drain();
  const targets = sim.map.entries.map((e) => e.target);
  const engines = board.components.filter((c) => KINDS[c.kind].busMaster && (c.domain === 'app' || c.domain === 'rt'));
  const systemTargets = sim.map.entries
    .filter((e) => e.owner === 'system' || (e.owner === 'shared' && e.kind === 'registers'))
    .map((e) => e.target);
  const name = (i: number, byAddress: boolean, offset: number) => {
    const entry = sim.map.get(targets[i % targets.length])!;
    return byAddress ? `0x${(entry.base + (offset % entry.size)).toString(16)}` : entry.target;
  };
  const check = (events: SimEvent[], log: AccessRecord[]): string | null => {
    const escape = events.find((e) => e.type === 'dma.escape' || e.type === 'cpu.escape' || e.type === 'vm.compromise');
    if (escape) return `${escape.type}: ${escape.message}`;
    for (const a of log) {
      if (!a.allowed) continue;
      const env = envOf(board, a.master);
      if (!env) continue;
      const comp = board.components.find((c) => c.id === a.target);
      const own = comp ? comp.domain === env : (OWN_REGIONS[env] as readonly string[]).includes(a.target);
      if (!own) return `${a.master} reached ${a.target} (${a.rule})`;
    }
    return null;
  };
  for (const a of accesses) {
    if (a.kind === 'dma') {
      if (engines.length === 0) continue;
      const engine = engines[a.engine % engines.length];
      sim.exec(engine.domain as 'app' | 'rt',
        `dma ${engine.id} copy ${name(a.src, a.srcAddr, a.offset)} ${name(a.dst, a.dstAddr, a.offset)} ${a.bytes}`);
    } else if (a.kind === 'peek') {
      sim.exec(a.from, `peek ${name(a.target, a.byAddress, a.offset)}`);
    } else {
      sim.exec(a.from, `poke ${name(a.target, a.byAddress, a.offset)} ${a.value}`);
    }
    sim.settle();
    const out = sim.drain();
    seen.accesses += out.accesses.length;
    for (const r of out.accesses) {
      if (r.allowed) seen.allowed++; else seen.denied++;
      seen.ops.add(`${r.master.startsWith('dma:') ? 'master' : 'cpu'} ${r.op} ${r.allowed ? 'allowed' : 'denied'}`);
      if (r.master.startsWith('dma:')) seen.masterKinds.add(board.components.find((c) => `dma:${c.id}` === r.master)!.kind);
    }
    if (a.kind === 'dma' && out.accesses.some((r) => r.master.startsWith('dma:'))) seen.dmaTransfers++;
    const found = check(out.events, out.accesses);
    if (found) return found;
  }
  if (sim.writesLanded('system-ram') !== 0 || sim.load('system-ram', 0) !== SYSTEM_RAM_MARKER) return 'system-ram changed';
  for (const t of systemTargets) if (sim.writesLanded(t) !== 0) return `a write landed in ${t}`;
  if (sim.status().find((s) => s.vm === 'system')!.compromised) return 'system VM compromised';
  return null;
}

const contained = (soc: SocId, i: number): Component['dmaProtection'] =>
  PROFILES[soc].iommu && i % 2 === 1 ? 'iommu' : 'firewall-id';

/** Counterexamples must name a bus master, not just "something happened". */
const counterexample = (r: fc.RunDetails<[Board, Access[]]>) =>
  String(r.counterexample ? breach(r.counterexample[0], r.counterexample[1]) : '');

describe('isolation invariant (property)', () => {
  it(`${(BOARDS * ACCESSES_PER_BOARD).toLocaleString('en')} random accesses (${BOARDS} random bootable boards × ${ACCESSES_PER_BOARD}), by CPUs and every bus-master kind, reading and writing, never leave their own domain`, () => {
    fc.assert(
      fc.property(boardArb(contained), fc.array(accessArb, { minLength: ACCESSES_PER_BOARD, maxLength: ACCESSES_PER_BOARD }),
        (board, accesses) => {
          const found = breach(board, accesses);
          if (found) throw new Error(found);
        }),
      { numRuns: BOARDS, seed: 20261126 },
    );
    // The accesses really reached the bus, and both outcomes occurred.
    expect(seen.accesses).toBeGreaterThan(BOARDS * ACCESSES_PER_BOARD * 0.6);
    expect(seen.allowed).toBeGreaterThan(10_000);
    expect(seen.denied).toBeGreaterThan(10_000);
    expect(seen.dmaTransfers).toBeGreaterThan(10_000);
    // Both ops, allowed and denied, by CPUs and by bus masters; and every bus-master kind mastered the bus.
    for (const who of ['cpu', 'master']) for (const op of ['read', 'write']) for (const v of ['allowed', 'denied']) expect(seen.ops).toContain(`${who} ${op} ${v}`);
    expect([...seen.masterKinds].sort()).toEqual([...BUS_MASTER_KINDS].sort());
  });

  it('negative control: with firewall.enforce false the same property finds a breach', () => {
    const result = fc.check(
      fc.property(boardArb(contained).map((b) => ({ ...b, firewall: { enforce: false } })),
        fc.array(accessArb, { minLength: ACCESSES_PER_BOARD, maxLength: ACCESSES_PER_BOARD }),
        (board, accesses) => breach(board, accesses) === null),
      { numRuns: 50, seed: 1 },
    );
    expect(result.failed).toBe(true);
  });

  it('negative control: with a DMA engine at dmaProtection "none" the same property finds a breach', () => {
    const result = fc.check(
      fc.property(boardArb((soc, i) => (i === 0 ? 'none' : contained(soc, i))),
        fc.array(accessArb, { minLength: ACCESSES_PER_BOARD, maxLength: ACCESSES_PER_BOARD }),
        (board, accesses) => breach(board, accesses) === null),
      { numRuns: 50, seed: 1 },
    );
    expect(result.failed).toBe(true);
    expect(counterexample(result)).toMatch(/dma/);
  });

  it('negative control: with a bus-master peripheral (not a dma) at dmaProtection "none" the same property finds a breach through it', () => {
    const result = fc.check(
      fc.property(boardArb((soc, i, kind) => (kind !== 'dma' ? 'none' : contained(soc, i)), fc.constantFrom<SocId>('iot-a7m4', 'gateway-a53'))
        .filter((b) => b.components.some((c) => c.kind !== 'dma' && KINDS[c.kind].busMaster && (c.domain === 'app' || c.domain === 'rt'))),
      fc.array(accessArb, { minLength: ACCESSES_PER_BOARD, maxLength: ACCESSES_PER_BOARD }),
      (board, accesses) => breach(board, accesses) === null),
      { numRuns: 100, seed: 1 },
    );
    expect(result.failed).toBe(true);
    const found = counterexample(result);
    const board = result.counterexample![0];
    const culprit = board.components.find((c) => c.kind !== 'dma' && KINDS[c.kind].busMaster && found.includes(c.id));
    expect(culprit, found).toBeDefined();
  });
});
