import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builtinBundle, builtinBundles, compose, describeFragment, factoryConfig, GuestFs, makeFragment, startInit,
  trustForBoard, type BootConfig, type Fragment,
} from '../../../src/sim/fragments/index.ts';
import type { Board } from '../../../src/model/types.ts';
import { text, trust, vendor } from './helpers.ts';

describe('composing a root volume from signed fragments', () => {
  it('the factory images merge, and /etc/os-release comes from the merged volume', () => {
    const sys = compose(factoryConfig('system'), trust());
    const app = compose(factoryConfig('app'), trust());
    if (!sys.ok || !app.ok) throw new Error('factory images refused');
    expect(text(sys.volume.files.get('/etc/os-release')!.bytes)).toContain('VERSION="1.0"');
    expect(text(app.volume.files.get('/etc/os-release')!.bytes)).toContain('NAME="Device Maker OS"');
    expect(sys.volume.files.get('/usr/sbin/networkd')!.fragment).toBe('system-net-1.0');
    expect(app.volume.files.has('/usr/bin/device-app')).toBe(true);
    expect(startInit(sys.volume)).toEqual({ ok: true, init: '/sbin/init' });
  });

  it('a fragment signed with another key is refused, naming it', () => {
    const r = compose(builtinBundle('system-os-2.0-badsig')!, trust());
    expect(r).toMatchObject({ ok: false, fragment: 'system-net-2.0' });
    if (!r.ok) expect(r.reason).toMatch(/signature does not verify.*security processor sec0/);
  });

  it('two fragments claiming one path are refused, naming both', () => {
    const r = compose(builtinBundle('system-os-2.0-overlap')!, trust());
    expect(r).toMatchObject({ ok: false, fragment: 'system-net-2.0' });
    if (!r.ok) expect(r.reason).toContain('/usr/lib/libnet.so is also provided by system-base-2.0');
  });

  it('a fragment for the other image is refused', () => {
    const mixed: BootConfig = { ...factoryConfig('system'), fragments: [factoryConfig('app').fragments[0]] };
    expect(compose(mixed, trust())).toMatchObject({ ok: false, fragment: 'app-kernel-5.15.148-devicemaker' });
  });

  it('a file not listed in the signed manifest is refused', () => {
    const f = factoryConfig('system').fragments[1];
    const extra: Fragment = { ...f, contents: new Map([...f.contents, ['/usr/bin/backdoor', new Uint8Array([1])]]) };
    const r = compose({ ...factoryConfig('system'), fragments: [extra] }, trust());
    expect(r).toMatchObject({ ok: false, fragment: 'system-base-1.0' });
    if (!r.ok) expect(r.reason).toContain('/usr/bin/backdoor');
  });

  it('the badboot build verifies but its kernel finds no init to run', () => {
    const r = compose(builtinBundle('system-os-2.0-badboot')!, trust());
    if (!r.ok) throw new Error(r.reason);
    expect(startInit(r.volume)).toMatchObject({ ok: false, panic: expect.stringContaining('No working init found'), log: expect.arrayContaining([expect.stringMatching(/^Starting init: \S+ exists but couldn't execute it \(error -8\)$/)]) });
  });

  it('verification is much slower without a crypto accelerator', () => {
    const soft = compose(factoryConfig('system'), trust(false));
    const hard = compose(factoryConfig('system'), trust(true));
    if (!soft.ok || !hard.ok) throw new Error('refused');
    expect(soft.volume.verifyMs).toBeGreaterThan(5 * hard.volume.verifyMs);
    expect(hard.volume.verifyMs).toBeGreaterThan(0);
  });

  it('describe shows the regions: 1 KiB+ files in 4 KiB pages, small files packed', () => {
    const f = makeFragment(vendor, { name: 'demo-1', version: '1', target: 'app', files: { '/a': 'x'.repeat(5000), '/b': 'small' } });
    const lines = describeFragment(f).join('\n');
    expect(lines).toContain('fragment demo-1 1 for the app image, signed by the vendor release key');
    expect(lines).toMatch(/data region\s+8192 B, 1 files ≥ 1024 B in 2 pages of 4096 B \(3192 B alignment padding\)/);
    expect(lines).toMatch(/small-data\s+5 B, 1 files < 1024 B/);
  });

  it('any single changed byte of any fragment\'s content or manifest is refused', () => {
    const bundles = [...builtinBundles().values()].filter((b) => compose(b, trust()).ok);
    expect(bundles.map((b) => b.name)).toContain('system-os-2.0');
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (bi, fi, at, delta, inManifest) => {
        const bundle = bundles[bi % bundles.length];
        const k = fi % bundle.fragments.length;
        const f = bundle.fragments[k];
        let changed: Fragment;
        if (inManifest) {
          const manifest = f.manifest.slice();
          manifest[at % manifest.length] = (manifest[at % manifest.length] + delta) & 0xff;
          changed = { ...f, manifest };
        } else {
          const files = [...f.contents].filter(([, b]) => b.length > 0);
          const [path, bytes] = files[at % files.length];
          const copy = bytes.slice();
          copy[at % copy.length] = (copy[at % copy.length] + delta) & 0xff;
          changed = { ...f, contents: new Map(f.contents).set(path, copy) };
        }
        const fragments = bundle.fragments.map((x, i) => (i === k ? changed : x));
        return compose({ ...bundle, fragments }, trust()).ok === false;
      }),
      { numRuns: 40 },
    );
  });
});

describe('the writable overlay over the read-only volume', () => {
  const volume = () => {
    const r = compose(factoryConfig('app'), trust());
    if (!r.ok) throw new Error(r.reason);
    return r.volume;
  };

  it('reads fall through, writes and deletions stay in the overlay, the volume never changes', () => {
    const v = volume();
    const fs = new GuestFs(v, { data: new Map() });
    expect(text(fs.read('/etc/hostname'))).toBe('app-vm\n');
    fs.write('/etc/hostname', 'evil\n');
    expect(text(fs.read('/etc/hostname'))).toBe('evil\n');
    expect(fs.layerOf('/etc/hostname')).toBe('overlay');
    expect(fs.remove('/usr/bin/device-app')).toEqual({ ok: true });
    expect(fs.read('/usr/bin/device-app')).toBeUndefined();
    expect(fs.paths()).not.toContain('/usr/bin/device-app');
    expect(fs.overlay.get('/usr/bin/device-app')).toBeNull();
    expect(text(v.files.get('/etc/hostname')!.bytes)).toBe('app-vm\n');
    fs.write('/data/note', 'kept');
    expect(fs.layerOf('/data/note')).toBe('data');
    expect(fs.list('/usr/bin')).toBeUndefined();
    expect(fs.list('/etc')).toEqual(['hostname', 'os-release']);
    expect(fs.list('/')).toContain('data/');
    expect(new GuestFs(v).read('/etc/hostname')).toBeDefined();
  });

  it('a full overlay refuses the write and says so', () => {
    const fs = new GuestFs(volume(), { overlayCapacity: 10 });
    expect(fs.write('/tmp/x', '0123456789A')).toMatchObject({ ok: false, error: expect.stringContaining('No space left on device') });
    expect(fs.read('/tmp/x')).toBeUndefined();
  });

  it('mount and df show the merged volume, the overlay and /data', () => {
    const fs = new GuestFs(volume(), { data: new Map() });
    fs.write('/data/a', 'x'.repeat(3000));
    expect(fs.mounts().join('\n')).toMatch(/fragments on \/sysroot type merged \(ro,verified,fragments=app-kernel-5\.15\.148-devicemaker:app-base-5\.2:app-device-5\.2\)/);
    expect(fs.mounts()).toContain('/dev/vda on /data type ext4 (rw,nosuid,nodev,noexec)');
    const df = fs.df();
    expect(df[0]).toMatch(/^Filesystem +1K-blocks +Used +Available +Use% Mounted on$/);
    expect(df.find((l) => l.endsWith('/data'))).toMatch(/^\/dev\/vda +65536 +3 +65533 +1% \/data$/);
    expect(new GuestFs(volume()).df()).toHaveLength(3);
  });
});

describe('what the board brings to the checks', () => {
  const board = (components: Board['components']): Board => ({
    format: 'isolation-lab/board', version: 1, name: 't', soc: 'gateway-a53', components,
    vms: { system: { memoryMiB: 256 }, app: { memoryMiB: 512 } },
  });

  it('the key is held by an assigned security processor; an assigned accelerator does the work', () => {
    const t = trustForBoard(board([
      { id: 'sec0', kind: 'security-processor', domain: 'system' }, { id: 'cry0', kind: 'crypto-accelerator', domain: 'system' },
    ]));
    expect(t).toMatchObject({ keyHolder: 'security processor sec0', accelerator: true });
    expect(compose(factoryConfig('app'), t).ok).toBe(true);
    const bare = trustForBoard(board([{ id: 'cry0', kind: 'crypto-accelerator', domain: null }]));
    expect(bare.accelerator).toBe(false);
    expect(bare.keyHolder).toContain('no security processor');
  });
});
