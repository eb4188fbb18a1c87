// One memory model for the diagnostics and the guests' `free`: a VM's
// memoryMiB is the RAM the VMM gives it, and its kernel lives inside it. At
// boot the kernel reserves its image and reserved regions, so MemTotal is the
// RAM less that reservation (Documentation/filesystems/proc.rst, MemTotal:
// "Total usable RAM (i.e. physical RAM minus a few reserved bits and the
// kernel binary code)"); used is the kernel's runtime memory and the processes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, memoryBudget } from '../../src/model/check.ts';
import { vmMemory } from '../../src/model/memory.ts';
import { profile } from '../../src/model/profiles.ts';
import { SOC_IDS, type SocId } from '../../src/model/types.ts';
import { booted, makeBoard, oven, run } from './helpers.ts';

/** total, used, free of `free` in a Linux VM, KiB. */
function freeOf(sim: ReturnType<typeof booted>, vm: 'system' | 'app'): [number, number, number] {
  const text = run(sim, vm, 'free').text;
  const m = vm === 'system' ? /Mem:\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)/.exec(text) : /app VM\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)/.exec(text);
  return m!.slice(1).map(Number) as [number, number, number];
}

/**
 * Resident KiB of the processes ps lists in the host view, read from its
 * RSS(KiB) column: the system VM's ps has PID, RSS, CMD; the application VM's
 * has PID, CONTAINER, NS-PID, APP-ID, APP, RSS, COMMAND.
 */
function rssOf(sim: ReturnType<typeof booted>, vm: 'system' | 'app'): number {
  const lines = run(sim, vm, 'ps').text.split('\n').map((l) => l.trim().split(/\s+/));
  const head = lines.findIndex((cols) => cols.includes('RSS(KiB)'));
  const col = lines[head]!.indexOf('RSS(KiB)');
  const rows = lines.slice(head + 1).filter((cols) => /^\d+$/.test(cols[0]!));
  expect(rows.length).toBeGreaterThan(0);
  return rows.reduce((n, cols) => n + Number(cols[col]), 0);
}

describe('free: MemTotal is the VM\'s RAM less the kernel\'s boot reservation', () => {
  it('in the system VM and in the application VM alike', () => {
    const sim = booted(oven());
    const p = profile('iot-a7m4');
    for (const vm of ['system', 'app'] as const) {
      const ram = sim.board.vms[vm].memoryMiB * 1024;
      const m = vmMemory(sim.board, vm);
      expect(m.reservedKiB).toBeGreaterThan(0);
      expect(m.reservedKiB + m.kernelKiB).toBe(p.kernelOverheadMiB * 1024);
      const [total, used, free] = freeOf(sim, vm);
      expect(total).toBe(ram - m.reservedKiB);
      expect(free).toBe(total - used);
      expect(used).toBeGreaterThanOrEqual(m.kernelKiB);
    }
  });

  it('used is the kernel\'s runtime memory plus what ps lists, computed the same way in both VMs', () => {
    const sim = booted(oven());
    for (const vm of ['system', 'app'] as const) {
      const [, used] = freeOf(sim, vm);
      expect(used).toBe(vmMemory(sim.board, vm).kernelKiB + rssOf(sim, vm));
    }
  });
});

describe('diagnostics and free agree', () => {
  const socArb = fc.constantFrom<SocId>(...SOC_IDS);
  // Sizes around each SoC's smallest bootable VM and up to the whole RAM.
  const boardArb = socArb.chain((soc) => {
    const p = profile(soc);
    const mib = fc.integer({ min: 1, max: Math.max(2, p.ramMiB) });
    return fc.record({ soc: fc.constant(soc), systemMiB: mib, appMiB: mib, hotSpare: fc.boolean(), rt: fc.boolean() });
  });
  const build = (o: { soc: SocId; systemMiB: number; appMiB: number; hotSpare: boolean; rt: boolean }) =>
    makeBoard([
      { id: 'uart0', kind: 'uart', domain: o.rt ? 'rt' : 'app' },
      { id: 'wifi0', kind: 'wifi', domain: 'shared' },
    ], o);

  it('the budget is the VMs\' RAM against the SoC\'s RAM, kernels inside; a VM below its kernel\'s need is an error', () => {
    fc.assert(fc.property(boardArb, (o) => {
      const b = build(o);
      const p = profile(o.soc);
      const m = memoryBudget(b);
      const rt = o.rt ? p.realtimeMemoryMiB : 0;
      const spare = o.hotSpare ? o.appMiB : 0;
      expect(m.totalMiB).toBe(o.systemMiB + o.appMiB + spare + rt);
      const tooSmall = (['system', 'app'] as const).filter((vm) => b.vms[vm].memoryMiB < m.vmMinMiB);
      expect(m.tooSmall).toEqual(tooSmall);
      const errors = check(b).filter((d) => d.rule === 'memory-budget');
      expect(errors.length).toBe((m.totalMiB > p.ramMiB ? 1 : 0) + tooSmall.length);
      expect(m.fits).toBe(errors.length === 0);
    }), { numRuns: 300 });
  });

  it('a board the diagnostics let boot shows, in both VMs, a MemTotal of its RAM less the reservation and free memory left', () => {
    fc.assert(fc.property(boardArb.filter((o) => memoryBudget(build(o)).fits), (o) => {
      const sim = booted(build(o));
      for (const vm of ['system', 'app'] as const) {
        const [total, used, free] = freeOf(sim, vm);
        expect(total).toBe(b(o)[vm] * 1024 - vmMemory(sim.board, vm).reservedKiB);
        expect(used).toBe(vmMemory(sim.board, vm).kernelKiB + rssOf(sim, vm));
        expect(free).toBeGreaterThan(0);
      }
    }), { numRuns: 30 });
    function b(o: { systemMiB: number; appMiB: number }) { return { system: o.systemMiB, app: o.appMiB }; }
  });

  it('the smallest VM the diagnostics allow boots on every SoC with memory to spare', () => {
    for (const soc of SOC_IDS) {
      const min = memoryBudget(makeBoard([], { soc })).vmMinMiB;
      const board = makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }], { soc, systemMiB: min, appMiB: min });
      expect(check(board).filter((d) => d.rule === 'memory-budget')).toEqual([]);
      expect(check(makeBoard([], { soc, systemMiB: min - 1, appMiB: min })).find((d) => d.rule === 'memory-budget')?.message)
        .toContain(`Give the System VM at least ${min} MiB`);
      const sim = booted(board);
      for (const vm of ['system', 'app'] as const) expect(freeOf(sim, vm)[2]).toBeGreaterThan(0);
    }
  });
});
