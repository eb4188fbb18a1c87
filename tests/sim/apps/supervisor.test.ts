import { describe, expect, it } from 'vitest';
import { HOST_NS, LAUNCH_TIMEOUT_MS, START_DELAY_MS, formatApps, formatFree, formatPs } from '../../../src/sim/apps/index.ts';
import { Emu32Process, HOSTS } from '../../../src/sim/emu/index.ts';
import { board, setup } from './helpers.ts';

describe('serialised launching (seed 003)', () => {
  it('given two untrusted apps, when launched together, then the second starts only after the first PID is captured', () => {
    const { sup, clock, of } = setup({ seed: 7 });
    expect(sup.launch(['browser', 'recipe-book'])).toEqual({ ok: true, queued: ['browser', 'recipe-book'] });
    expect(sup.apps.map((a) => a.pkg.name)).toEqual(['browser']);
    expect(sup.waiting()).toEqual(['recipe-book']);
    clock.advance(START_DELAY_MS.max);
    const [first] = of('app.launch');
    expect(first).toMatchObject({ app: 'browser', appId: 'app-0001', pid: 1, container: 'c1', processContainer: 'c1', misattributed: false, vm: 'app' });
    expect(sup.apps.map((a) => a.pkg.name)).toEqual(['browser', 'recipe-book']);
    clock.advance(START_DELAY_MS.max);
    expect(of('app.launch').map((e) => [e.app, e.appId, e.pid, e.container])).toEqual([
      ['browser', 'app-0001', 1, 'c1'], ['recipe-book', 'app-0002', 1, 'c2'],
    ]);
  });

  it('ties later processes of an app to its app id', () => {
    const { sup, clock } = setup();
    sup.launch(['browser']);
    clock.advance(5000);
    const procs = sup.table.list('c1');
    expect(procs.map((p) => [p.pids.c1, p.command, p.appId])).toEqual([
      [1, '/usr/bin/browser', 'app-0001'], [2, 'browser --type=renderer', 'app-0001'],
    ]);
  });

  it('given an app that never reports a PID, when 10 s pass, then it is stopped and the next app goes', () => {
    const { sup, clock, of } = setup();
    sup.launch(['stuck-app', 'recipe-book']);
    clock.advance(LAUNCH_TIMEOUT_MS - 1);
    expect(of('app.timeout')).toEqual([]);
    expect(sup.apps.map((a) => a.pkg.name)).toEqual(['stuck-app']);
    expect(sup.table.list('c1').map((p) => p.command)).toEqual(['/usr/bin/stuck-app']); // it runs, but never reports
    clock.advance(1);
    expect(of('app.timeout')).toEqual([expect.objectContaining({ app: 'stuck-app', appId: 'app-0001', vm: 'app' })]);
    expect(sup.table.hasNamespace('c1')).toBe(false);
    expect(sup.apps.map((a) => [a.pkg.name, a.state])).toEqual([['stuck-app', 'ended'], ['recipe-book', 'starting']]);
    clock.advance(START_DELAY_MS.max);
    expect(of('app.launch').map((e) => e.app)).toEqual(['recipe-book']);
  });

  it('runs a trusted app directly in the VM namespace and an untrusted one in a container', () => {
    const { sup, clock, of } = setup();
    sup.launch(['media-player', 'browser']);
    clock.advance(2 * START_DELAY_MS.max);
    const [mp, br] = of('app.launch');
    expect(mp).toMatchObject({ app: 'media-player', trusted: true, processContainer: HOST_NS });
    expect(mp.container).toBeUndefined();
    expect(br).toMatchObject({ app: 'browser', trusted: false, container: 'c1', pid: 1 });
    expect(sup.table.get(mp.hostPid as number)?.ns).toBe(HOST_NS);
  });

  it('refuses a launch naming an unknown app, whole, and starts nothing', () => {
    const { sup } = setup();
    const r = sup.launch(['browser', 'nope']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain("no app 'nope'");
    expect(sup.apps).toEqual([]);
  });
});

describe('the launch race with serialisation off', () => {
  it('charges the wrong app when the later container comes up first, and stopping that app kills the other app\'s process', () => {
    // Find a seed where recipe-book (launched second) is up before browser.
    for (let seed = 1; seed < 200; seed++) {
      const { sup, clock, of } = setup({ seed, serialize: false });
      sup.launch(['browser', 'recipe-book']);
      clock.advance(START_DELAY_MS.max);
      const launches = of('app.launch');
      if (!launches[0].misattributed) continue;
      expect(launches.map((e) => [e.app, e.processOf, e.pid])).toEqual([['browser', 'recipe-book', 1], ['recipe-book', 'browser', 1]]);
      expect(launches[0].message).toContain("recipe-book's");
      expect(formatPs(sup).join('\n')).toContain('browser!=recipe-book');
      clock.advance(1000); // browser's renderer starts, inheriting the wrong app id too
      sup.stop('browser');
      // The supervisor killed what it had tied to browser: recipe-book's process in c2.
      expect(sup.table.hasNamespace('c2')).toBe(false);
      expect(sup.table.list('c1').map((p) => [p.command, p.appId])).toEqual([['/usr/bin/browser', 'app-0002'], ['browser --type=renderer', 'app-0002']]);
      expect(of('app.exit')[0].message).toContain('belonged to recipe-book');
      return;
    }
    throw new Error('no seed in 1..199 started the second container first');
  });
});

describe('resources', () => {
  it('derives what exists from components in (or shared with) the application VM', () => {
    const { sup } = setup();
    expect(sup.resources.total).toEqual({ decoder: 1, 'display-port': 2, audio: 1, camera: 0, socket: 8 });
  });

  it('refuses a launch that cannot get its resources, with the reason, and lets the next go', () => {
    const { sup, clock, of } = setup({ board: board([{ id: 'eth0', kind: 'ethernet', domain: 'app' }]) });
    sup.launch(['media-player', 'recipe-book']);
    expect(of('app.rejected')).toEqual([expect.objectContaining({ app: 'media-player', reason: 'resources', resource: 'decoder' })]);
    expect(of('app.rejected')[0].message).toContain('assign a DSP to the application VM');
    clock.advance(START_DELAY_MS.max);
    expect(of('app.launch').map((e) => e.app)).toEqual(['recipe-book']);
  });

  it('gives resources back on stop, so a second media player can then start', () => {
    const { sup, clock, of } = setup();
    sup.launch(['media-player']);
    clock.advance(START_DELAY_MS.max);
    expect(sup.resources.free('decoder')).toBe(0);
    sup.launch(['media-player']);
    expect(of('app.rejected').map((e) => e.resource)).toEqual(['decoder']);
    const r = sup.stop('media-player');
    expect(r).toEqual({ ok: true, stopped: ['app-0001'] });
    expect(of('app.exit')).toEqual([expect.objectContaining({ app: 'media-player', appId: 'app-0001', reason: 'stopped', released: ['decoder', 'display-port', 'audio'] })]);
    expect(sup.resources.free('decoder')).toBe(1);
    expect(sup.table.list(HOST_NS).filter((p) => p.owner === 'media-player')).toEqual([]);
    sup.launch(['media-player']);
    clock.advance(START_DELAY_MS.max);
    expect(of('app.launch').map((e) => e.appId)).toEqual(['app-0001', 'app-0002']);
  });

  it('kill of a container\'s PID 1 ends every process in it and releases the app\'s resources', () => {
    const { sup, clock, of } = setup();
    sup.launch(['browser']);
    clock.advance(5000);
    expect(sup.resources.free('display-port')).toBe(1);
    expect(sup.kill(1, 'c1')).toMatchObject({ ok: true });
    expect(sup.table.hasNamespace('c1')).toBe(false);
    expect(sup.resources.free('display-port')).toBe(2);
    expect(sup.resources.free('socket')).toBe(8);
    expect(of('app.exit')).toEqual([expect.objectContaining({ app: 'browser', appId: 'app-0001', reason: 'exited', released: ['display-port', 'socket'] })]);
  });

  it('kill of a later process leaves the app running; kill of a VM process is refused with the reason', () => {
    const { sup, clock, of } = setup();
    sup.launch(['browser']);
    clock.advance(5000);
    const renderer = sup.table.find('c1', 2)!;
    expect(sup.kill(renderer.hostPid)).toEqual({ ok: true, killed: [renderer.hostPid] });
    expect(sup.apps[0].state).toBe('running');
    expect(of('app.exit')).toEqual([]);
    const r = sup.kill(1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('init');
    expect(sup.kill(999).ok).toBe(false);
  });
});

describe('container memory limits', () => {
  it('kills only the container that went over its limit, not the VM or other apps', () => {
    const { sup, clock, of } = setup();
    sup.launch(['memory-hog', 'recipe-book']);
    clock.advance(60_000);
    const [oom] = of('app.oom');
    expect(oom).toMatchObject({ app: 'memory-hog', appId: 'app-0001', container: 'c1', limitKiB: 4096, vm: 'app' });
    expect(oom.chargeKiB as number).toBeGreaterThan(4096);
    // A cgroup's charge never passes memory.max: what the container needed, and that charge failing.
    expect(oom.message).toContain(`needed ${oom.chargeKiB} KiB, more than its 4096 KiB memory limit: the charge past the limit failed`);
    expect(of('app.oom')).toHaveLength(1);
    expect(of('app.exit')).toEqual([]); // app.oom already says it ended
    expect(sup.table.hasNamespace('c1')).toBe(false);
    expect(sup.table.list('c2').map((p) => p.command)).toEqual(['/usr/bin/recipe-book']);
    expect(sup.table.find(HOST_NS, 1)?.command).toBe('init');
    expect(sup.apps.map((a) => a.state)).toEqual(['ended', 'running']);
  });

  it('shows the charge per container in free and ps', () => {
    const { sup, clock } = setup();
    sup.launch(['browser', 'memory-hog']);
    clock.advance(4500);
    const free = formatFree(sup).join('\n');
    expect(free).toMatch(/c1\s+browser\s+app-0001\s+2\s+5000\s+12288/);
    expect(free).toMatch(/c2\s+memory-hog\s+app-0002\s+1\s+\d+\s+4096/);
    const ps = formatPs(sup);
    expect(ps[0]).toMatch(/^PID\s+CONTAINER\s+NS-PID\s+APP-ID\s+APP\s+RSS\(KiB\)\s+COMMAND$/);
    expect(ps.join('\n')).toMatch(/c1\s+2\s+app-0001\s+browser\s+1800\s+browser --type=renderer/);
    expect(formatPs(sup, 'c1')).toEqual([
      'PID  PPID  RSS(KiB)  COMMAND', '1    0     3200      /usr/bin/browser', '2    1     1800      browser --type=renderer',
    ]);
  });
});

describe('determinism', () => {
  it('the same seed and script give byte-identical events and tables', () => {
    const run = (seed: number) => {
      const { sup, clock, events } = setup({ seed, serialize: false });
      sup.launch(['browser', 'recipe-book', 'memory-hog', 'stuck-app', 'media-player']);
      clock.advance(30_000);
      sup.stop('browser');
      return JSON.stringify(events) + formatPs(sup).join('\n') + formatFree(sup).join('\n');
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });
});

describe('stopping and memory, more cases', () => {
  it('stop of an app still waiting for its PID ends what the supervisor started for it and lets the next launch go', () => {
    const { sup, clock, of } = setup();
    sup.launch(['stuck-app', 'browser']);
    clock.advance(START_DELAY_MS.max); // stuck-app's process is up, but never reports
    expect(sup.table.list('c1')).toHaveLength(1);
    expect(sup.stop('stuck-app')).toEqual({ ok: true, stopped: ['app-0001'] });
    expect(sup.table.hasNamespace('c1')).toBe(false);
    expect(of('app.exit')).toEqual([expect.objectContaining({ app: 'stuck-app', reason: 'stopped' })]);
    clock.advance(START_DELAY_MS.max);
    expect(of('app.launch').map((e) => e.app)).toEqual(['browser']);
    clock.advance(LAUNCH_TIMEOUT_MS);
    expect(of('app.timeout')).toEqual([]); // the stopped launch's timer finds nothing to do
    expect(sup.stop('stuck-app').ok).toBe(false);
  });

  it('an app whose process the VM cannot hold is not started: app.rejected with reason memory, and free never goes negative', () => {
    const { sup, clock, of } = setup({ board: board([], 3) });
    const free = sup.vmMemoryKiB - sup.usedKiB();
    expect(free).toBeLessThan(900);
    sup.launch(['recipe-book', 'stuck-app']);
    clock.advance(START_DELAY_MS.max);
    expect(of('app.rejected')).toEqual([expect.objectContaining({ app: 'recipe-book', reason: 'memory' })]);
    expect(of('app.rejected')[0]!.message).toContain(`its process needs 900 KiB and the application VM has ${free} KiB free`);
    expect(sup.usedKiB()).toBeLessThanOrEqual(sup.vmMemoryKiB);
    expect(sup.resources.heldBy('app-0001')).toEqual([]);
    // the next launch was let go
    clock.advance(START_DELAY_MS.max);
    expect(sup.apps.find((a) => a.pkg.name === 'stuck-app')?.state).toBe('starting');
  });

  it('refuses an allocation the VM itself cannot hold, without killing anything', () => {
    const { sup, clock, of } = setup({ board: board([{ id: 'd0', kind: 'display', domain: 'app' }, { id: 'e0', kind: 'ethernet', domain: 'app' }], 8) });
    sup.launch(['browser']);
    clock.advance(5000);
    const first = sup.table.find('c1', 1)!;
    const r = sup.allocate(first.hostPid, 8 * 1024);
    expect(r.ok).toBe(false);
    if (r.ok === false) expect(r.error).toContain('the VM itself is out of memory');
    expect(of('app.oom')).toEqual([]);
    expect(sup.table.list('c1')).toHaveLength(2);
  });

  it('charges an emulated 32-bit program in a container to that container, and enforces its limit', () => {
    const { sup, clock } = setup();
    sup.launch(['recipe-book']);
    clock.advance(START_DELAY_MS.max);
    const p = sup.table.spawnEmu32('c1', sup.table.find('c1', 1)!.hostPid, (allocatePid) => new Emu32Process('hello32', HOSTS['gateway-a53'], { allocatePid }));
    expect(p.pids.c1).toBe(2);
    expect(sup.containers()[0].chargeKiB).toBe(900 + sup.table.rss(p));
    expect(sup.enforceLimit('c1').ok).toBe(true);
    sup.table.find('c1', 1)!.rssKiB = 4096; // the app grows to its limit; with the program the container is over it
    expect(sup.enforceLimit('c1')).toEqual({ ok: 'oom', appId: 'app-0001', container: 'c1' });
    expect(sup.table.hasNamespace('c1')).toBe(false);
  });
});

describe('supervisor status', () => {
  it('lists each app with its trust, container, state and resources, and the launch mode', () => {
    const { sup, clock, of } = setup();
    sup.launch(['media-player', 'browser', 'recipe-book']);
    while (of('app.launch').length === 0) clock.advance(10); // until media-player's PID is captured
    const lines = formatApps(sup);
    expect(lines[0]).toContain('serialised');
    expect(lines[1]).toBe('waiting: recipe-book');
    expect(lines.slice(3)).toEqual([
      expect.stringMatching(/^app-0001\s+media-player\s+trusted\s+-\s+running\s+decoder,display-port,audio$/),
      expect.stringMatching(/^app-0002\s+browser\s+untrusted\s+c1\s+starting\s+display-port,socket$/),
    ]);
    sup.setSerialize(false);
    expect(formatApps(sup)[0]).toContain('parallel');
    expect(sup.waiting()).toEqual([]); // turning serialisation off starts what was waiting
  });
});
