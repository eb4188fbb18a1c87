import { describe, expect, it } from 'vitest';
import { bytesOf } from '../../../src/sim/crypto/signing.ts';
import {
  builtinApps, builtinBundle, factoryConfig, HotSpare, measure, RefreshPlanner, Refresher, UpdateService,
  type FragmentEvent,
} from '../../../src/sim/fragments/index.ts';
import { seeded, testClock, trust } from './helpers.ts';

/** One scripted day of the device: updates (good and bad), refreshes on random schedules, a compromise, quarantine. */
function script(seed: number): string {
  const clock = testClock();
  const events: FragmentEvent[] = [];
  const emit = (e: FragmentEvent) => events.push(e);
  const svc = new UpdateService({ system: factoryConfig('system'), app: factoryConfig('app') }, { trust: trust(false), clock, emit });
  const data = new Map([['/data/settings.conf', bytesOf('x=1\n')]]);
  const host = new Refresher(data, builtinApps(), { trust: trust(false), clock, emit });
  const spare = new HotSpare(true, 700, clock);
  spare.start();
  const out: string[] = [];
  let guest = host.refresh(factoryConfig('app'));
  if (!guest.ok) throw new Error(guest.reason);
  const planner = new RefreshPlanner([{ part: 'full', random: { minMs: 3_600_000, maxMs: 14_400_000 } }], {
    clock, random: seeded(seed),
    refresh: (part) => {
      const m = guest.ok ? measure(guest.record, guest.fs) : { findings: [] };
      const s = spare.refresh();
      guest = host.refresh(svc.app.good);
      out.push(`${clock.now()} refresh ${part} downtime=${s.downtimeMs} findings=${m.findings.length}`);
    },
  });
  planner.start();
  for (const name of ['system-os-2.0-badsig', 'system-os-2.0-badboot', 'system-os-2.0']) {
    svc.apply(builtinBundle(name)!);
    for (let i = 0; i < 3; i++) {
      const b = svc.system.boot();
      out.push(`${clock.now()} boot ${b.ok ? 'ok' : 'failed'} ${b.verifyMs}ms`);
      if (b.ok) break;
      if (b.fellBack) svc.system.announceFallback();
      clock.advance(5000);
    }
  }
  clock.advance(3 * 3600_000);
  if (guest.ok) guest.fs.write('/usr/bin/backdoor', 'payload');
  data.set('/data/autorun.sh', bytesOf('run\n'));
  host.recordProblem('browser', 'it wrote /usr/bin/backdoor');
  clock.advance(12 * 3600_000);
  return JSON.stringify({ out, events, quarantine: host.list() });
}

describe('determinism', () => {
  it('same script and seed give byte-identical output; another seed changes the refresh times', () => {
    const a = script(3);
    expect(script(3)).toBe(a);
    expect(script(4)).not.toBe(a);
    const parsed = JSON.parse(a) as { out: string[]; events: FragmentEvent[]; quarantine: string[] };
    expect(parsed.events.map((e) => e.type)).toEqual(expect.arrayContaining([
      'update.rejected', 'update.applied', 'update.boot-attempt', 'update.rollback', 'app.quarantined', 'data.quarantined',
    ]));
    expect(parsed.out.some((l) => /refresh full downtime=0 findings=1$/.test(l))).toBe(true);
    expect(parsed.quarantine).toEqual(['app  browser  (it wrote /usr/bin/backdoor)',
      'data /data/autorun.sh  (an autostart entry in /data would run code that survives the refresh)']);
  });
});
