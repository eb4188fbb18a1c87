import { describe, expect, it } from 'vitest';
import { bytesOf } from '../../../src/sim/crypto/signing.ts';
import {
  builtinApps, compose, factoryConfig, GuestFs, measure, recordMaster, Refresher, type FragmentEvent,
} from '../../../src/sim/fragments/index.ts';
import { text, trust } from './helpers.ts';

const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

function host() {
  const events: FragmentEvent[] = [];
  const data = new Map([['/data/settings.conf', bytesOf('temperature.unit=C\n')]]);
  const r = new Refresher(data, builtinApps(), { trust: trust(), clock: { now: () => 1000 }, emit: (e) => events.push(e) });
  const first = r.refresh(factoryConfig('app'));
  if (!('fs' in first)) throw new Error(first.reason);
  return { r, events, data, first };
}

describe('integrity: the running guest measured against the master image', () => {
  it('a fresh guest is clean; scratch files, logs and /data are not findings', () => {
    const { first } = host();
    first.fs.write('/tmp/x', 'scratch');
    first.fs.write('/var/log/app.log', 'more', true);
    first.fs.write('/data/counter', '42');
    const m = measure(first.record, first.fs);
    expect(m.clean).toBe(true);
    expect(m.lines[0]).toMatch(/^integrity: \d+ files match the recorded hashes of app-os-5\.2$/);
  });

  it('any change elsewhere is a finding, whoever made it', () => {
    const { first } = host();
    first.fs.write('/usr/bin/backdoor', 'payload\n');
    first.fs.write('/etc/hostname', 'evil\n');
    first.fs.remove('/opt/apps/browser/app.conf');
    const m = measure(first.record, first.fs);
    expect(m.findings).toEqual([
      { path: '/etc/hostname', change: 'modified' },
      { path: '/opt/apps/browser/app.conf', change: 'deleted' },
      { path: '/usr/bin/backdoor', change: 'added' },
    ]);
    expect(m.lines.join('\n')).toContain('added    /usr/bin/backdoor');
  });

  it('the record is the merged volume: after an update it holds the new files', () => {
    const v = compose(factoryConfig('system'), trust());
    if (!v.ok) throw new Error(v.reason);
    const rec = recordMaster(v.volume);
    expect(rec.hashes.get('/etc/os-release')).toBe(v.volume.files.get('/etc/os-release')!.sha256);
    expect(measure(rec, new GuestFs(v.volume)).clean).toBe(true);
  });
});

describe('refresh: apps reinstalled, /data kept and scanned, quarantine', () => {
  it('a refresh drops the overlay, reinstalls the apps and keeps /data', () => {
    const { r, first } = host();
    first.fs.write('/usr/bin/backdoor', 'x');
    first.fs.write('/data/counter', '42');
    const next = r.refresh(factoryConfig('app'));
    if (!('fs' in next)) throw new Error(next.reason);
    expect(next.fs.read('/usr/bin/backdoor')).toBeUndefined();
    expect(text(next.fs.read('/data/counter'))).toBe('42');
    expect(next.reinstalled).toEqual(['browser', 'media-player']);
    expect(next.fs.read('/opt/apps/browser/bin/browser')).toBeDefined();
    expect(measure(next.record, next.fs).clean).toBe(true);
  });

  it('executables and autostart entries in /data are quarantined, the rest kept; restore puts one back', () => {
    const { r, events, data } = host();
    data.set('/data/autorun.sh', bytesOf('echo hi\n'));
    data.set('/data/autostart/miner.desktop', bytesOf('[Desktop Entry]\nExec=/data/m\n'));
    data.set('/data/m', ELF);
    data.set('/data/notes.txt', bytesOf('#!not really, but a shebang\n'));
    data.set('/data/recipe.txt', bytesOf('bake 20 min\n'));
    events.length = 0;
    const out = r.refresh(factoryConfig('app'));
    if (!('fs' in out)) throw new Error(out.reason);
    expect(out.quarantined.map((e) => e.name)).toEqual(['/data/autorun.sh', '/data/autostart/miner.desktop', '/data/m', '/data/notes.txt']);
    expect([...data.keys()].sort()).toEqual(['/data/recipe.txt', '/data/settings.conf']);
    expect(events.every((e) => e.type === 'data.quarantined' && e.vm === 'app')).toBe(true);
    expect(r.list()).toHaveLength(4);
    expect(r.restore('/data/m')).toMatchObject({ ok: true });
    expect(data.get('/data/m')).toEqual(ELF);
    expect(r.restore('/data/m')).toMatchObject({ ok: false, error: expect.stringContaining('not in quarantine') });
  });

  it('an app recorded as the source of a problem is quarantined, not reinstalled, until restored', () => {
    const { r, events } = host();
    r.recordProblem('browser', 'it wrote /usr/bin/backdoor');
    events.length = 0;
    const out = r.refresh(factoryConfig('app'));
    if (!('fs' in out)) throw new Error(out.reason);
    expect(out.reinstalled).toEqual(['media-player']);
    expect(out.fs.read('/opt/apps/browser/bin/browser')).toBeUndefined();
    expect(events).toEqual([expect.objectContaining({ type: 'app.quarantined', vm: 'app', app: 'browser', reason: 'it wrote /usr/bin/backdoor' })]);
    expect(r.list()).toEqual(['app  browser  (it wrote /usr/bin/backdoor)']);
    r.restore('browser');
    const again = r.refresh(factoryConfig('app'));
    expect('fs' in again && again.reinstalled).toEqual(['browser', 'media-player']);
  });

  it('an app package that no longer verifies is quarantined instead of installed', () => {
    const [browser, player] = builtinApps();
    const bytes = browser.contents.get('/opt/apps/browser/bin/browser')!.slice();
    bytes[9] ^= 0xff;
    const bad = { ...browser, contents: new Map(browser.contents).set('/opt/apps/browser/bin/browser', bytes) };
    const events: FragmentEvent[] = [];
    const r = new Refresher(new Map(), [bad, player], { trust: trust(), clock: { now: () => 0 }, emit: (e) => events.push(e) });
    const out = r.refresh(factoryConfig('app'));
    expect('fs' in out && out.reinstalled).toEqual(['media-player']);
    expect(events[0]).toMatchObject({ type: 'app.quarantined', app: 'browser', reason: expect.stringContaining('SHA-256') });
  });
});
