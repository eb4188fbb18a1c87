import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index.ts';
import { oven } from './helpers.ts';
import type { VmId } from '../../src/sim/index.ts';

const SCRIPT: [VmId, string][] = [
  ['app', 'ping updates.vendor.example'],
  ['app', 'attack malware'],
  ['app', 'attack dma-escape'],
  ['rt', 'attack hang'],
  ['system', 'vmm list'],
  ['app', 'curl time.example'],
];

function transcript(seed: number): string {
  const sim = new Simulation(oven('none', { refresh: { everySeconds: 600 } }), { seed });
  sim.powerOn();
  sim.settle();
  for (const [vm, line] of SCRIPT) {
    sim.exec(vm, line);
    sim.settle();
  }
  sim.advance(3600_000);
  return JSON.stringify(sim.drainInOrder());
}

describe('determinism: one seed, one run', () => {
  it('the same board, inputs and seed give byte-identical output', () => {
    expect(transcript(42)).toBe(transcript(42));
  });

  it('a different seed changes what randomness decides (boot timing, ping times)', () => {
    expect(transcript(42)).not.toBe(transcript(43));
  });
});
