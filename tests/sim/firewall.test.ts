import { describe, expect, it } from 'vitest';
import { Firewall, MemoryMap, REGION_IDS, Simulation } from '../../src/sim/index.ts';
import { RESERVED_COMPONENT_IDS } from '../../src/model/board.ts';
import type { Board } from '../../src/model/types.ts';
import { booted, makeBoard, oven, run } from './helpers.ts';

function firewallOf(board: Board) {
  return new Firewall(board, new MemoryMap(board));
}

const gateway = (extra: Board['components'] = [], enforce?: boolean) => makeBoard([
  { id: 'uart0', kind: 'uart', domain: 'app' },
  { id: 'spi1', kind: 'spi', domain: 'rt' },
  { id: 'eth0', kind: 'ethernet', domain: 'shared' },
  { id: 'sec0', kind: 'security-processor', domain: 'system' },
  { id: 'gpio2', kind: 'gpio', domain: null },
  ...extra,
], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512, enforce });

describe('the firewall decides per CONTRACT §5', () => {
  it('application-VM CPUs reach app-ram and app peripherals; not shared registers, the system VM or the rt container', () => {
    const fw = firewallOf(gateway());
    const allowed = (t: string) => fw.check('cpu:app', t, 'write').allowed;
    expect(allowed('app-ram')).toBe(true);
    expect(allowed('uart0')).toBe(true);
    expect(allowed('mailbox')).toBe(true);
    for (const t of ['eth0', 'sec0', 'system-ram', 'rt-ram', 'spi1', 'gpio2']) expect(allowed(t), t).toBe(false);
    expect(fw.check('cpu:app', 'app-ram', 'read').rule).toBe('app-cpu → app-ram: allow (own memory)');
    expect(fw.check('cpu:app', 'eth0', 'read').rule).toMatch(/paravirtual device/);
  });

  it('real-time cores reach their own memory, rt peripherals and the mailbox; nothing else', () => {
    const fw = firewallOf(gateway());
    expect(fw.check('cpu:rt', 'rt-ram').allowed).toBe(true);
    expect(fw.check('cpu:rt', 'spi1').allowed).toBe(true);
    expect(fw.check('cpu:rt', 'mailbox').allowed).toBe(true);
    for (const t of ['app-ram', 'system-ram', 'uart0', 'eth0', 'sec0', 'gpio2', 'pv-buffers']) expect(fw.check('cpu:rt', t).allowed, t).toBe(false);
  });

  it('system-VM CPUs reach system-ram and system and shared registers; not app or rt peripherals', () => {
    const fw = firewallOf(gateway());
    for (const t of ['system-ram', 'sec0', 'eth0']) expect(fw.check('cpu:system', t).allowed, t).toBe(true);
    for (const t of ['uart0', 'spi1', 'app-ram', 'rt-ram']) expect(fw.check('cpu:system', t).allowed, t).toBe(false);
  });

  it('a DMA engine with its own firewall identity is denied system RAM and system peripherals', () => {
    const fw = firewallOf(gateway([{ id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'firewall-id' }]));
    expect(fw.check('dma:dma0', 'app-ram').allowed).toBe(true);
    expect(fw.check('dma:dma0', 'system-ram').allowed).toBe(false);
    expect(fw.check('dma:dma0', 'sec0').allowed).toBe(false);
    expect(fw.check('dma:dma0', 'eth0').allowed).toBe(false);
    expect(fw.check('dma:dma0', 'system-ram').rule).toMatch(/^dma0 → system-ram: deny/);
  });

  it('an IOMMU-translated DMA engine reaches only its environment\'s window', () => {
    const fw = firewallOf(gateway([
      { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'iommu' },
      { id: 'dma1', kind: 'dma', domain: 'rt', dmaProtection: 'iommu' },
    ]));
    expect(fw.reachable('dma:dma0')).toEqual(['app-ram']);
    expect(fw.reachable('dma:dma1')).toEqual(['rt-ram', 'mailbox']);
    expect(fw.check('dma:dma0', 'system-ram').rule).toContain('outside the IOMMU window');
  });

  it('an unprotected DMA engine in the application VM reaches everything, system RAM included', () => {
    const fw = firewallOf(gateway([{ id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'none' }]));
    expect(fw.check('dma:dma0', 'system-ram').allowed).toBe(true);
    expect(fw.check('dma:dma0', 'sec0').allowed).toBe(true);
  });

  it('"iommu" on a SoC without an IOMMU protects nothing', () => {
    const board = oven('iommu');
    expect(firewallOf(board).check('dma:dma0', 'system-ram').allowed).toBe(true);
  });

  it('a system-VM DMA may write system RAM; an unassigned DMA reaches nothing', () => {
    const fw = firewallOf(gateway([
      { id: 'dma0', kind: 'dma', domain: 'system', dmaProtection: 'none' },
      { id: 'dma1', kind: 'dma', domain: null, dmaProtection: 'firewall-id' },
    ]));
    expect(fw.check('dma:dma0', 'system-ram').allowed).toBe(true);
    expect(fw.check('dma:dma0', 'uart0').allowed).toBe(false);
    expect(fw.reachable('dma:dma1')).toEqual([]);
  });

  it('unknown masters and targets fall to the default deny', () => {
    const fw = firewallOf(gateway());
    expect(fw.check('cpu:nobody', 'app-ram')).toEqual({ allowed: false, rule: 'default deny' });
    expect(fw.check('cpu:app', 'nowhere')).toEqual({ allowed: false, rule: 'default deny' });
  });

  it('with firewall.enforce false every access goes through — that is the lesson', () => {
    const fw = firewallOf(gateway([], false));
    expect(fw.check('cpu:app', 'system-ram')).toEqual({ allowed: true, rule: 'firewall not enforced (board settings: "Hardware firewall enforced" is off)' });
    expect(fw.check('cpu:rt', 'sec0').allowed).toBe(true);
  });

  it('with the firewall off, VM CPUs stay confined by stage-2 where the cores have it; on mcu-16 (Cortex-A5) they get through', () => {
    const a7 = booted(oven('firewall-id', { enforce: false }));
    const stopped = run(a7, 'app', 'poke system-ram 0x41');
    expect(stopped.text).toContain('access denied at stage-2');
    expect(stopped.events).toEqual([expect.objectContaining({ type: 'stage2.fault', vm: 'app', master: 'cpu:app', target: 'system-ram', stage: 'stage-2' })]);
    // The DMA engine and the real-time core have no stage-2 tables: the firewall was their only wall.
    expect(run(a7, 'rt', 'poke system-ram 0x41').events.map((e) => e.type)).toContain('cpu.escape');
    const a5 = booted(oven('firewall-id', { enforce: false, soc: 'mcu-16', systemMiB: 4, appMiB: 6 }));
    const through = run(a5, 'app', 'poke system-ram 0x41');
    expect(through.text).toContain('the write reached system-ram');
    expect(through.events.find((e) => e.type === 'cpu.escape')).toMatchObject({ vm: 'app', victim: 'system', knownBy: [] });
    expect(a5.status().find((s) => s.vm === 'system')!.compromised).toBe(true);
    // Said as a sentence, and a device's registers are not called memory.
    expect(through.events.find((e) => e.type === 'cpu.escape')!.message).toMatch(/^An Application VM CPU wrote system-ram, memory of the System VM: nothing on the path stopped it/);
    const device = run(a5, 'app', 'poke sec0 1').events.find((e) => e.type === 'cpu.escape');
    expect(device?.message).toMatch(/^An Application VM CPU wrote the registers of sec0, a device of the System VM:/);
  });

  it('a measurement of RAM another environment wrote names the writer: a CPU is not called a bus master', () => {
    const sim = booted(oven('none', { enforce: false }));
    const events = run(sim, 'rt', 'poke app-ram 5').events;
    expect(events.map((e) => e.type)).toContain('cpu.escape');
    // settle() lets secmon measure the application VM.
    expect(events.find((e) => e.type === 'integrity.violation')?.['findings']).toEqual(['modified app-ram (written by cpu:rt, a CPU of the Real-time container)']);
  });
});

describe('peek and poke go through the firewall, visibly', () => {
  it('a denied peek prints "access denied" and raises the event of the stage that stopped it, with master, target and txn', () => {
    const sim = booted(oven());
    const { text, events } = run(sim, 'app', 'peek system-ram');
    expect(text).toContain('access denied');
    // Cortex-A7 has stage-2: the application VM's CPUs fault there before the bus.
    expect(events).toEqual([expect.objectContaining({ type: 'stage2.fault', vm: 'app', master: 'cpu:app', target: 'system-ram', op: 'read', knownBy: ['system'] })]);
    expect(sim.bus.find(events[0].txn)).toMatchObject({ master: 'cpu:app', target: 'system-ram', decidedBy: 'stage-2', allowed: false });
    // The real-time core has no stage-2: the firewall decides.
    sim.exec('rt', 'peek system-ram');
    sim.settle();
    const out = sim.drain();
    expect(out.events).toEqual([expect.objectContaining({ type: 'firewall.deny', vm: 'rt', master: 'cpu:rt', target: 'system-ram', op: 'read' })]);
    // The system VM learns of the violation through the firewall's interrupt.
    const sysText = out.console.filter((c) => c.vm === 'system').map((c) => c.text).join('');
    expect(sysText).toMatch(/\[fw\] violation interrupt: cpu:rt read system-ram/);
  });

  it('a poke into own memory reads back; hex addresses resolve through the memory map', () => {
    const sim = booted(oven());
    const base = sim.map.get('app-ram')!.base;
    run(sim, 'app', 'poke app-ram 0x1234 0x20');
    expect(run(sim, 'app', `peek 0x${(base + 0x20).toString(16)}`).text).toContain(': 0x00001234');
    expect(run(sim, 'app', 'peek 0x10').text).toContain('not mapped');
  });

  it('every access is recorded for the diagram, and the log is bounded', () => {
    const sim = booted(oven());
    for (let i = 0; i < 3000; i++) sim.busAccess('cpu:app', 'app-ram', 'read', 0);
    const accesses = sim.drain().accesses;
    expect(accesses.length).toBeGreaterThan(0);
    expect(accesses.length).toBeLessThanOrEqual(2000);
    expect(accesses[0]).toMatchObject({ master: 'cpu:app', target: 'app-ram', op: 'read', allowed: true });
  });
});

describe('blast radius', () => {
  it('shows what each master reaches now, and what it would reach with the firewall off', () => {
    const sim = new Simulation(oven('firewall-id'));
    expect(sim.blastRadius('app')).toEqual(['mailbox', 'dma0', 'uart0', 'app-ram', 'pv-buffers']);
    expect(sim.blastRadius('dma0')).toEqual(['dma0', 'uart0', 'app-ram']);
    expect(sim.blastRadius('app', { enforce: false })).toContain('system-ram');
    expect(sim.blastRadius('nope')).toEqual([]);
  });

  it('a compromised application VM also programs its DMA engines: with one unprotected, its blast radius takes in system RAM', () => {
    const sim = new Simulation(oven('none'));
    expect(sim.blastRadius('dma0')).toContain('system-ram');
    expect(sim.blastRadius('app')).toContain('system-ram');
    expect(new Simulation(oven('firewall-id')).blastRadius('app')).not.toContain('system-ram');
  });
});

describe('names the consoles give to memory regions', () => {
  it('are all reserved: no board file can name a component after one', () => {
    for (const region of REGION_IDS) expect(RESERVED_COMPONENT_IDS).toContain(region);
  });
});
