import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinPackages, START_DELAY_MS, randomInt } from '../../../src/sim/apps/index.ts';
import { seeded, setup } from './helpers.ts';

const CONTAINER_APPS = ['browser', 'recipe-book', 'memory-hog'];

/** The two start delays the supervisor draws for two launches, recomputed from the seed. */
function delays(seed: number): [number, number] {
  const rng = seeded(seed);
  return [randomInt(rng, START_DELAY_MS.min, START_DELAY_MS.max), randomInt(rng, START_DELAY_MS.min, START_DELAY_MS.max)];
}

function launchTwo(seed: number, serialize: boolean, a: string, b: string) {
  const s = setup({ seed, serialize });
  s.sup.launch([a, b]);
  s.clock.advance(2 * START_DELAY_MS.max + 1000);
  return s;
}

describe('the PID race (property)', () => {
  // The same app twice too: two recipe-books are told apart by app id, not by name.
  const pair = fc.tuple(fc.constantFrom(...CONTAINER_APPS), fc.constantFrom(...CONTAINER_APPS));
  const distinctPair = pair.filter(([a, b]) => a !== b);

  it('with serialisation off, two containers started together are mis-charged exactly when the second is up first', () => {
    fc.assert(fc.property(fc.nat(1_000_000), pair, (seed, [a, b]) => {
      const { of } = launchTwo(seed, false, a, b);
      const [d1, d2] = delays(seed);
      const launches = of('app.launch');
      expect(launches.map((e) => e.app)).toEqual([a, b]); // the supervisor ties in launch order, whatever came up
      const swapped = d2 < d1;
      expect(launches.map((e) => e.misattributed)).toEqual([swapped, swapped]);
      expect(launches.map((e) => e.processOf)).toEqual(swapped ? [b, a] : [a, b]);
      expect(launches.map((e) => e.processOfAppId)).toEqual(swapped ? ['app-0002', 'app-0001'] : ['app-0001', 'app-0002']);
    }), { numRuns: 200 });
  });

  it('with serialisation off, a trusted app is never mis-charged: its PID is unique in the VM and the supervisor forked it', () => {
    fc.assert(fc.property(fc.nat(1_000_000), distinctPair, (seed, [a, b]) => {
      const s = setup({ seed, serialize: false });
      s.sup.launch([a, 'media-player', b]);
      s.clock.advance(2 * START_DELAY_MS.max);
      const rng = seeded(seed);
      const [da, , db] = [0, 1, 2].map(() => randomInt(rng, START_DELAY_MS.min, START_DELAY_MS.max));
      const byApp = Object.fromEntries(s.of('app.launch').map((e) => [e.app, e]));
      expect(byApp['media-player']).toMatchObject({ misattributed: false, processOf: 'media-player', processContainer: 'vm' });
      expect(byApp[a].misattributed).toBe(db < da);
    }), { numRuns: 100 });
  });

  it('with serialisation off the race really happens for some seeds and not for others', () => {
    const outcomes = new Set<boolean>();
    for (let seed = 0; seed < 100; seed++) outcomes.add(launchTwo(seed, false, 'browser', 'recipe-book').of('app.launch')[0].misattributed as boolean);
    expect([...outcomes].sort()).toEqual([false, true]);
  });

  it('with serialisation on, every process is charged to the app that started it, for any seed and any launch list', () => {
    const names = builtinPackages().map((p) => p.name);
    fc.assert(fc.property(fc.nat(1_000_000), fc.array(fc.constantFrom(...names), { minLength: 2, maxLength: 6 }), (seed, list) => {
      const { sup, clock, of } = setup({ seed });
      sup.launch(list);
      for (let t = 0; t < 80; t++) {
        clock.advance(1000);
        for (const p of sup.table.list()) {
          if (p.appId) expect(p.appId).toBe(p.launchedAs);
        }
      }
      expect(of('app.launch').every((e) => e.misattributed === false && e.processOf === e.app)).toBe(true);
      // Every launch was settled one way or another: launched, timed out or rejected.
      expect(of('app.launch').length + of('app.timeout').length + of('app.rejected').length).toBe(list.length);
    }), { numRuns: 60 });
  });
});
