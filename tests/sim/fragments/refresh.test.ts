import { describe, expect, it } from 'vitest';
import {
  compose, factoryConfig, GuestFs, HotSpare, parsePart, partDowntimeMs, RefreshPlanner, refreshPart,
  type PartSchedule, type RefreshPart,
} from '../../../src/sim/fragments/index.ts';
import { seeded, testClock, text, trust } from './helpers.ts';

function plan(schedules: PartSchedule[], seed = 7, hours = 6) {
  const clock = testClock();
  const log: [number, RefreshPart][] = [];
  const p = new RefreshPlanner(schedules, { clock, random: seeded(seed), refresh: (part) => log.push([clock.now(), part]) });
  p.start();
  clock.advance(hours * 3600_000);
  return { log, p, clock };
}

describe('partial refresh and its schedules', () => {
  it('each part keeps its own period', () => {
    const { log } = plan([{ part: 'kernel', everyMs: 3600_000 }, { part: 'app:browser', everyMs: 1800_000 }]);
    expect(log.filter(([, p]) => p === 'kernel').map(([t]) => t)).toEqual([1, 2, 3, 4, 5, 6].map((h) => h * 3600_000));
    expect(log.filter(([, p]) => p === 'app:browser')).toHaveLength(12);
  });

  it('a random schedule draws each interval from the seeded source: same seed, same times; another seed, others', () => {
    const s: PartSchedule[] = [{ part: 'driver:npu0', random: { minMs: 600_000, maxMs: 3600_000 } }];
    const a = plan(s, 7).log;
    expect(plan(s, 7).log).toEqual(a);
    expect(plan(s, 8).log).not.toEqual(a);
    const gaps = a.map(([t], i) => t - (i ? a[i - 1][0] : 0));
    expect(gaps.every((g) => g >= 600_000 && g <= 3600_000)).toBe(true);
    expect(new Set(gaps).size).toBeGreaterThan(1);
  });

  it('stop cancels every schedule; upcoming lists what is due', () => {
    const { p, clock, log } = plan([{ part: 'kernel', everyMs: 1000 }], 1, 0);
    expect(p.upcoming()).toEqual([{ part: 'kernel', at: 1000 }]);
    p.stop();
    clock.advance(10_000);
    expect(log).toEqual([]);
    expect(() => new RefreshPlanner([{ part: 'kernel' }], { clock, random: seeded(1), refresh: () => {} })).toThrow(/period or a random interval/);
  });

  it('--part is parsed against what the VM has, and says what it accepts', () => {
    const known = { drivers: ['npu0'], apps: ['browser'] };
    expect(parsePart('driver:npu0', known)).toEqual({ ok: true, part: 'driver:npu0' });
    expect(parsePart('app:chess', known)).toMatchObject({ ok: false, error: 'no app chess installed (apps: browser)' });
    expect(parsePart('disk', known)).toMatchObject({ ok: false, error: expect.stringContaining('kernel, driver:<id> or app:<name>') });
  });

  it('a part refresh resets only that part\'s files', () => {
    const v = compose(factoryConfig('app'), trust());
    if (!v.ok) throw new Error(v.reason);
    const fs = new GuestFs(v.volume);
    fs.write('/boot/cmdline', 'init=/tmp/evil\n');
    fs.write('/etc/hostname', 'changed\n');
    const modules = { uart0: '/lib/modules/5.15.148-devicemaker/extra/devicemaker-uart.ko', wifi0: '/lib/modules/5.15.148-devicemaker/kernel/drivers/net/virtio_net.ko' };
    const moduleOf = (id: string) => modules[id as keyof typeof modules];
    const factory = text(fs.read(modules.uart0));
    expect(factory).toContain('aarch64 relocatable: kernel module devicemaker-uart.ko for Linux 5.15.148-devicemaker');
    fs.write(modules.uart0, 'patched\n');
    fs.write(modules.wifi0, 'patched\n');
    // A driver part puts back its own module file and nothing else.
    expect(refreshPart(fs, 'driver:uart0', moduleOf)).toEqual([modules.uart0]);
    expect(text(fs.read(modules.uart0))).toBe(factory);
    expect(text(fs.read(modules.wifi0))).toBe('patched\n');
    expect(refreshPart(fs, 'kernel', moduleOf)).toEqual(['/boot/cmdline', modules.wifi0]);
    expect(text(fs.read('/boot/cmdline'))).toBe('console=hvc0 ro\n');
    expect(text(fs.read('/etc/hostname'))).toBe('changed\n');
    expect(partDowntimeMs('app:browser', 700)).toBeLessThan(partDowntimeMs('kernel', 700));
  });
});

describe('hot spare', () => {
  it('with a booted spare a refresh has no downtime; without one it costs the full boot', () => {
    const clock = testClock();
    const spare = new HotSpare(true, 700, clock);
    const none = new HotSpare(false, 700, clock);
    spare.start();
    none.start();
    expect(spare.refresh()).toEqual({ downtimeMs: 700, switched: false });
    clock.advance(700);
    expect(spare.state).toBe('ready');
    // The spare that takes over says when it finished booting: its uptime counts from then.
    expect(spare.refresh()).toEqual({ downtimeMs: 0, switched: true, bootedAt: 700 });
    expect(spare.state).toBe('booting');
    clock.advance(699);
    expect(spare.refresh().switched).toBe(false);
    clock.advance(700);
    expect(spare.refresh()).toEqual({ downtimeMs: 0, switched: true, bootedAt: 2099 });
    expect(none.refresh()).toEqual({ downtimeMs: 700, switched: false });
    expect([spare.memoryMiB(512), none.memoryMiB(512)]).toEqual([1024, 512]);
  });
});
