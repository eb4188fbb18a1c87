import { describe, expect, it } from 'vitest';
import { booted, makeBoard, oven, run } from './helpers.ts';

const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('updates from signed, merged image fragments', () => {
  it('a bad signature or overlapping fragments are rejected and change nothing', () => {
    const sim = booted(oven());
    const bad = run(sim, 'system', 'update apply system-os-2.0-badsig');
    expect(bad.events).toEqual([expect.objectContaining({ type: 'update.rejected', vm: 'system', reason: 'bad-signature' })]);
    const overlap = run(sim, 'system', 'update apply system-os-2.0-overlap');
    expect(overlap.events).toEqual([expect.objectContaining({ type: 'update.rejected', reason: 'overlap' })]);
    expect(run(sim, 'system', 'update list').text).toContain('system-net-1.0');
    expect(run(sim, 'system', 'uname -a').text).toContain('6.6.30-sys');
  });

  it('a valid system-OS update switches the boot configuration and restarts only the system VM', () => {
    const sim = booted(oven());
    const appUptime = sim.status()[1].uptimeMs;
    const { events } = run(sim, 'system', 'update apply system-os-2.0');
    expect(types(events)).toEqual(['update.applied', 'vm.stop', 'vm.boot']);
    expect(events.every((e) => e.vm === 'system')).toBe(true);
    expect(run(sim, 'system', 'uname -a').text).toContain('6.6.45-sys');
    expect(run(sim, 'app', 'uname -a').text).toContain('5.15.148-devicemaker');
    expect(sim.status()[1].uptimeMs).toBeGreaterThan(appUptime);
  });
});

describe('the supervisor launches apps one at a time', () => {
  it('stuck-app times out after ten seconds, then the next app launches with its own unique id', () => {
    const board = makeBoard([{ id: 'display0', kind: 'display', domain: 'app' }]);
    const sim = booted(board);
    const { events } = run(sim, 'app', 'launch browser stuck-app media-player');
    expect(types(events)).toEqual(['app.launch', 'app.timeout', 'app.launch']);
    expect(events[0]).toMatchObject({ app: 'browser', appId: 'app-0001', trusted: false, container: 'c1' });
    expect(events[1]).toMatchObject({ app: 'stuck-app', appId: 'app-0002' });
    expect(events[2]).toMatchObject({ app: 'media-player', appId: 'app-0003', trusted: true });
    expect(events[2].t - events[1].t).toBeLessThan(1000);
    expect(events[1].t - events[0].t).toBeGreaterThanOrEqual(10_000);
  });

  it('without a display passed to the app VM, apps needing a display port cannot launch', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'launch media-player').text).toContain('no display-port free');
  });
});

describe('32-bit programs through the kernel-call emulator', () => {
  it('hello32 runs; badptr32 faults on a pointer beyond 2 GiB', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'run32 hello32').text).toContain('Hello from a 32-bit program');
    const bad = run(sim, 'app', 'run32 badptr32');
    expect(bad.text).toContain('EFAULT');
    expect(types(bad.events)).toEqual(['emu.fault']);
  });
});
