// Helpers for the apps tests: boards, a seeded random source, a supervisor with its clock and events.
import { profile } from '../../../src/model/profiles.ts';
import type { Board, Component } from '../../../src/model/types.ts';
import { ManualClock, Supervisor, type AppEvent, type AppPackage, type Rng } from '../../../src/sim/apps/index.ts';

/**
 * A gateway-a53 board whose application VM leaves `appMiB` for processes: its
 * RAM is that plus the 64 MiB its kernel needs inside it (reserved at boot and
 * kept at run time, model/memory.ts).
 */
export function board(components: Component[], appMiB = 24): Board {
  const kernelMiB = profile('gateway-a53').kernelOverheadMiB;
  return {
    format: 'isolation-lab/board', version: 1, name: 'Apps test board', soc: 'gateway-a53', components,
    vms: { system: { memoryMiB: 16 + kernelMiB }, app: { memoryMiB: appMiB + kernelMiB } },
  };
}

/** A board with everything the built-in apps ask for in the application VM. */
export function mediaBoard(): Board {
  return board([
    { id: 'display0', kind: 'display', domain: 'app' },
    { id: 'dsp0', kind: 'dsp', domain: 'app' },
    { id: 'audio0', kind: 'audio', domain: 'app' },
    { id: 'eth0', kind: 'ethernet', domain: 'shared' },
    { id: 'cam0', kind: 'camera', domain: 'system' },
  ]);
}

/** mulberry32, as the engine's Random: a float in [0, 1) from a seed. */
export function seeded(seed: number): Rng {
  let state = (seed >>> 0) ^ 0x9e3779b9;
  return {
    next() {
      let t = (state = (state + 0x6d2b79f5) | 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

export function setup(o: { seed?: number; serialize?: boolean; board?: Board; packages?: AppPackage[] } = {}) {
  const clock = new ManualClock();
  const events: AppEvent[] = [];
  const sup = new Supervisor({
    board: o.board ?? mediaBoard(), clock, rng: seeded(o.seed ?? 1), sink: (e) => events.push(e),
    ...(o.serialize === undefined ? {} : { serialize: o.serialize }), ...(o.packages ? { packages: o.packages } : {}),
  });
  const of = (type: AppEvent['type']) => events.filter((e) => e.type === type);
  return { sup, clock, events, of };
}
