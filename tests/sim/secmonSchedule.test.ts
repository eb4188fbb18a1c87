// secmon's measurements that have nothing to measure are passed over in one step within an
// advance(): the outcome must be the very one of measuring every period, event by event.
import { describe, expect, it } from 'vitest';
import { Simulation, type OrderedOutput } from '../../src/sim/index.ts';
import { booted, oven } from './helpers.ts';

const HOUR = 3_600_000;
/** Power-on is at 0, so secmon measures at every multiple of this. */
const MEASURE_MS = 10_000;

/** A booted oven measured every 10 s; at simulated time `at` a file outside /data is written in the application VM. */
function withChangeAt(at: number): Simulation {
  const sim = booted(oven('firewall-id', { refresh: { everySeconds: 6 * 3600, measureEverySeconds: MEASURE_MS / 1000 } }));
  sim.schedule(at - sim.now, () => expect(sim.guests.app.fs.write('/usr/bin/planted', 'planted\n')).toBeNull());
  return sim;
}

/** Everything the simulation said (with what was drained before): its events in order, each console's text; and how many events it counts as run. */
function outcome(sim: Simulation, drained: OrderedOutput[] = []) {
  const said = [...drained, ...sim.drainInOrder()];
  const text = (vm: string) => said.map((o) => ('console' in o && o.console.vm === vm ? o.console.text : '')).join('');
  return { events: said.flatMap((o) => ('event' in o ? [o.event] : [])), system: text('system'), app: text('app'), rt: text('rt'), eventsRun: sim.eventsRun, now: sim.now };
}

describe('secmon on its schedule', () => {
  for (const [name, at] of [['between two measurements', HOUR + 4321], ['at the very instant of a measurement', HOUR]] as const) {
    it(`a change ${name}: one long advance says what one-second steps say, at the same instants`, () => {
      const long = withChangeAt(at);
      const steps = withChangeAt(at);
      const slices = withChangeAt(at);
      long.advance(13 * HOUR);
      for (let t = 0; t < 13 * 3600; t++) steps.advance(1000);
      // As lab run sleeps: minute slices, output drained between them, the sleep's end promised quiet.
      const drained: OrderedOutput[] = [];
      for (let left = 13 * HOUR; left > 0; left -= 60_000) {
        slices.advance(Math.min(left, 60_000), slices.now + left);
        drained.push(...slices.drainInOrder());
      }
      const a = outcome(long);
      expect(a).toEqual(outcome(steps));
      expect(outcome(slices, drained)).toEqual(a);
      const events = a.events;
      expect(a.system).toContain('[secmon]');
      // Found by the first measurement at or after the change (a change at a measurement's instant was scheduled first, so runs first).
      const violation = events.find((e) => e.type === 'integrity.violation');
      expect(violation?.t).toBe(Math.ceil(at / MEASURE_MS) * MEASURE_MS);
      expect(events.filter((e) => e.type === 'vm.refresh').map((e) => e.t)).toContain(violation!.t);
      // The scheduled refreshes in between still come every 6 h.
      expect(events.filter((e) => e.type === 'vm.refresh' && e.t !== violation!.t)).toHaveLength(2);
      // 13 h of measurements every 10 s are all counted as run, passed over or not.
      expect(a.eventsRun).toBeGreaterThan(13 * 360);
    });
  }
});
