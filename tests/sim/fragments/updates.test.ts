import { describe, expect, it } from 'vitest';
import {
  builtinBundle, builtinBundles, factoryConfig, satisfies, UpdateService, type FragmentEvent,
} from '../../../src/sim/fragments/index.ts';
import { text, trust } from './helpers.ts';

function device(maxAttempts = 3) {
  const events: FragmentEvent[] = [];
  let now = 0;
  const svc = new UpdateService({ system: factoryConfig('system'), app: factoryConfig('app') },
    { trust: trust(), clock: { now: () => now }, emit: (e) => events.push(e), maxAttempts });
  return { svc, events, tick: (ms: number) => { now += ms; } };
}

const osRelease = (r: ReturnType<UpdateService['system']['boot']>) =>
  r.ok ? text(r.volume.files.get('/etc/os-release')!.bytes) : undefined;

describe('updates with rollback', () => {
  it('given system 1.0, when system-os-2.0 is applied and the VM reboots, then its files come from the new fragments', () => {
    const { svc, events } = device();
    expect(svc.apply(builtinBundle('system-os-2.0')!)).toMatchObject({ ok: true });
    expect(events.at(-1)).toMatchObject({ type: 'update.applied', vm: 'system', bundle: 'system-os-2.0', version: '2.0' });
    expect(svc.system.good.label).toBe('system-os-1.0');
    const boot = svc.system.boot();
    expect(boot).toMatchObject({ ok: true, trial: true });
    expect(osRelease(boot)).toContain('VERSION="2.0"');
    expect(events.at(-1)).toMatchObject({ type: 'update.boot-attempt', attempt: 1, of: 3 });
    expect(svc.system.good.label).toBe('system-os-2.0');
    expect(svc.system.previous?.label).toBe('system-os-1.0');
  });

  it.each([
    ['system-os-2.0-badsig', /fragment system-net-2.0: its signature does not verify/],
    ['system-os-2.0-overlap', /libnet\.so is also provided by system-base-2.0/],
    ['system-os-3.0', /app-os-5\.2 pins the system OS to >=1\.0 <3\.0, and system-os-3\.0 is version 3\.0/],
    ['app-os-6.0', /app-os-6\.0 pins the system OS to >=2\.0 <4\.0, and system-os-1\.0 is version 1\.0/],
  ])('%s is refused with the reason and nothing changes', (name, reason) => {
    const { svc, events } = device();
    const before = [svc.system.describe(), svc.app.describe()];
    const r = svc.apply(builtinBundle(name)!);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
    expect(events).toEqual([expect.objectContaining({ type: 'update.rejected', bundle: name, reason: expect.stringMatching(reason) })]);
    expect(events[0].message).toMatch(/refused: .*; nothing was changed\.$/);
    expect([svc.system.describe(), svc.app.describe()]).toEqual(before);
  });

  it('the pin works both ways: app-os-6.0 applies once system 2.0 is good', () => {
    const { svc } = device();
    svc.apply(builtinBundle('system-os-2.0')!);
    expect(svc.apply(builtinBundle('app-os-6.0')!)).toMatchObject({ ok: false });
    svc.system.boot();
    expect(svc.apply(builtinBundle('app-os-6.0')!)).toMatchObject({ ok: true });
    expect(svc.app.boot()).toMatchObject({ ok: true, trial: true });
    expect(svc.rollback('system')).toMatchObject({ ok: false, reason: expect.stringContaining('pins the system OS to >=2.0') });
    expect(svc.system.good.label).toBe('system-os-2.0');
  });

  it('a build whose kernel panics is tried N times, then the device falls back by itself', () => {
    const { svc, events } = device(3);
    svc.apply(builtinBundle('system-os-2.0-badboot')!);
    const boots = [svc.system.boot(), svc.system.boot(), svc.system.boot()];
    expect(boots.map((b) => b.ok)).toEqual([false, false, false]);
    expect(boots.map((b) => (b.ok ? null : b.fellBack))).toEqual([false, false, true]);
    expect(events.filter((e) => e.type === 'update.boot-attempt').map((e) => e.attempt)).toEqual([1, 2, 3]);
    // raised when the caller has seen the last boot fail, not when it starts
    expect(events.filter((e) => e.type === 'update.rollback')).toEqual([]);
    svc.system.announceFallback();
    const rollback = events.filter((e) => e.type === 'update.rollback');
    expect(rollback).toEqual([expect.objectContaining({ vm: 'system', reason: 'boot-failed', to: 'system-os-1.0' })]);
    expect(rollback[0].message).toBe('system-os-2.0-badboot failed to boot 3 times (Kernel panic - not syncing: No working init found), so the device falls back to the last known-good system-os-1.0.');
    const after = svc.system.boot();
    expect(after).toMatchObject({ ok: true, trial: false });
    expect(osRelease(after)).toContain('VERSION="1.0"');
  });

  it('rollback on request returns to the previous list, and cancels one not yet booted', () => {
    const { svc, events } = device();
    expect(svc.rollback('system')).toMatchObject({ ok: false, reason: expect.stringContaining('no previous configuration') });
    svc.apply(builtinBundle('system-os-2.0')!);
    expect(svc.rollback('system')).toMatchObject({ ok: true });
    expect(svc.system.next).toBeNull();
    svc.apply(builtinBundle('system-os-2.0')!);
    svc.system.boot();
    expect(svc.rollback('system')).toMatchObject({ ok: true });
    expect(osRelease(svc.system.boot())).toContain('VERSION="1.0"');
    expect(events.filter((e) => e.type === 'update.rollback').map((e) => e.reason)).toEqual(['manual', 'manual']);
  });

  it('system and app images update independently', () => {
    const { svc } = device();
    expect(svc.apply(builtinBundle('app-os-5.3')!)).toMatchObject({ ok: true });
    expect(svc.system.next).toBeNull();
    const app = svc.app.boot();
    expect(app.ok && text(app.volume.files.get('/etc/os-release')!.bytes)).toContain('VERSION="5.3"');
    expect(svc.system.good.label).toBe('system-os-1.0');
    expect(svc.system.apply(builtinBundle('app-os-5.3')!)).toMatchObject({ ok: false, reason: expect.stringContaining('not the system image') });
  });

  it('a fragment tampered with after apply is refused at boot too', () => {
    const { svc } = device(1);
    const bundle = builtinBundle('system-os-2.0')!;
    const copy = { ...bundle, fragments: [...bundle.fragments] };
    svc.apply(copy);
    const f = copy.fragments[2];
    const bytes = f.contents.get('/usr/sbin/networkd')!.slice();
    bytes[100] ^= 1;
    copy.fragments[2] = { ...f, contents: new Map(f.contents).set('/usr/sbin/networkd', bytes) };
    const r = svc.system.boot();
    expect(r).toMatchObject({ ok: false, fellBack: true, reason: expect.stringContaining('system-net-2.0 refused at boot') });
  });

  it('an unknown bundle name is refused, listing what is on offer, and is no rejected image: a typo must not pass for a refused bundle', () => {
    const { svc, events } = device();
    expect(svc.applyNamed('system-os-9', builtinBundles())).toMatchObject({ ok: false, reason: expect.stringContaining('on offer: system-os-1.0, system-os-2.0,') });
    expect(events).toEqual([]);
    expect(svc.applyNamed('system-os-2.0', builtinBundles())).toMatchObject({ ok: true });
  });

  it('update list shows the good list, the one on trial with its counter, and the previous one', () => {
    const { svc } = device();
    svc.apply(builtinBundle('system-os-2.0-badboot')!);
    svc.system.boot();
    expect(svc.system.describe()).toEqual([
      'system image: system-os-1.0 (last known-good): system-kernel-6.6.30-sys, system-base-1.0, system-net-1.0, system-services-1.0',
      '  next: system-os-2.0-badboot, boot attempt 1 of 3 used: system-kernel-6.6.45-sys, system-base-2.0, system-net-2.0, system-services-2.0',
    ]);
  });

  it('version pins compare numerically', () => {
    expect(satisfies('10.0', '>=2.0 <11')).toBe(true);
    expect(satisfies('3.0', '>=1.0 <3.0')).toBe(false);
    expect(satisfies('1.0', '1')).toBe(true);
  });
});
