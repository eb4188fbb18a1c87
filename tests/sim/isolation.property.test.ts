// The rule of isolation (DOMAIN.md §1) as a property: on any board whose DMA
// engines are contained and whose firewall is on, nothing the application VM
// or the real-time container does — by CPU or by DMA — reaches system-VM
// memory or the registers of a system or shared peripheral.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROFILES } from '../../src/model/profiles.ts';
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
const domainArb = fc.constantFrom<Domain | null>('app', 'rt', 'system', 'shared', null);

/** A random board: random kinds in random domains, plus at least one DMA engine in app or rt. */
function boardArb(protect: (soc: SocId, i: number) => Component['dmaProtection']): fc.Arbitrary<Board> {
  return socArb.chain((soc) => {
    const kinds = COMPONENT_KINDS.filter((k) => (PROFILES[soc].instances[k] ?? 0) > 0);
    return fc.record({
      soc: fc.constant(soc),
      parts: fc.array(fc.record({ kind: fc.constantFrom<ComponentKind>(...kinds), domain: domainArb }), { minLength: 1, maxLength: 14 }),
      dmaDomains: fc.array(fc.constantFrom<Domain>('app', 'rt'), { minLength: 1, maxLength: 3 }),
      enforce: fc.constant(true),
    }).map(({ soc, parts, dmaDomains }) => {
      const components: Component[] = [];
      let dmaIndex = 0;
      const add = (kind: ComponentKind, domain: Domain | null) => {
        const c: Component = { id: `${kind}${components.length}`, kind, domain };
        if (kind === 'dma') c.dmaProtection = protect(soc, dmaIndex++);
        components.push(c);
      };
      for (const d of dmaDomains) add('dma', d);
      for (const p of parts) add(p.kind, p.domain);
      return {
        format: 'isolation-lab/board', version: 1, name: 'random', soc, components,
        vms: { system: { memoryMiB: 4 }, app: { memoryMiB: 6 } },
        firewall: { enforce: true },
      } satisfies Board;
    });
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
  const dma = board.components.find((c) => `dma:${c.id}` === master);
  return dma && (dma.domain === 'app' || dma.domain === 'rt') ? dma.domain : null;
}

/** What the bus saw across all runs, to show the property exercised real accesses. */
const seen = { accesses: 0, allowed: 0, denied: 0, dmaTransfers: 0 };

/** Runs the accesses; returns a description of the first isolation breach, or null. */
function breach(board: Board, accesses: Access[]): string | null {
  const sim = new Simulation(board, { seed: 7 });
  sim.powerOn();
  sim.settle();
  sim.drain();
  const targets = sim.map.entries.map((e) => e.target);
  const engines = board.components.filter((c) => c.kind === 'dma' && (c.domain === 'app' || c.domain === 'rt'));
  const systemTargets = sim.map.entries
    .filter((e) => e.owner === 'system' || (e.owner === 'shared' && e.kind === 'registers'))
    .map((e) => e.target);
  const name = (i: number, byAddress: boolean, offset: number) => {
    const entry = sim.map.get(targets[i % targets.length])!;
    return byAddress ? `0x${(entry.base + (offset % entry.size)).toString(16)}` : entry.target;
  };
  const check = (events: SimEvent[], log: AccessRecord[]): string | null => {
    const escape = events.find((e) => e.type === 'dma.escape' || e.type === 'vm.compromise');
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
    for (const r of out.accesses) if (r.allowed) seen.allowed++; else seen.denied++;
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

describe('isolation invariant (property)', () => {
  it(`${(BOARDS * ACCESSES_PER_BOARD).toLocaleString('en')} random accesses (${BOARDS} random boards × ${ACCESSES_PER_BOARD}) never reach system-VM memory or system/shared registers`, () => {
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
    expect(String(result.counterexample ? breach(result.counterexample[0], result.counterexample[1]) : '')).toMatch(/dma/);
  });
});
