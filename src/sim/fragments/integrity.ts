// Refresh from the master image, with integrity (seed 001): the master image
// is the merged volume of the installed fragments (the OS and the apps' own
// packages), and the host records its hashes. Measuring the running guest
// against that record finds every change outside /data and the paths the
// overlay is meant for, whoever made it. At a refresh the host rebuilds the
// guest from the master image, reinstalls the apps from their own packages
// (except one it recorded as the source of a problem, which it quarantines),
// keeps /data, and scans it for executables and autostart entries.

import { sha256Hex, type Bytes } from '../crypto/signing.ts';
import { compose, isExecutable, type BootConfig, type Composed, type RootVolume, type Trust } from './compose.ts';
import type { EventSink } from './events.ts';
import { parseManifest, type Fragment } from './fragment.ts';
import { GuestFs, type DataStore, type GuestFsOptions } from './guestfs.ts';

/** Where a running guest may legitimately write outside /data: scratch space, logs and the user's home. */
export const OVERLAY_ALLOWED = ['/tmp/', '/var/log/', '/root/'];

/** Paths a measurement does not compare: /data (user data, scanned at refresh instead) and the overlay's allowed paths. */
export function isExempt(path: string, allowed: string[] = OVERLAY_ALLOWED): boolean {
  return path === '/data' || path.startsWith('/data/') || allowed.some((a) => path.startsWith(a));
}

export interface MasterRecord {
  label: string;
  hashes: Map<string, string>;
}

export function recordMaster(volume: RootVolume): MasterRecord {
  return { label: volume.label, hashes: new Map([...volume.files].map(([p, f]) => [p, f.sha256])) };
}

export interface Finding {
  path: string;
  change: 'modified' | 'added' | 'deleted';
}

export interface Measurement {
  clean: boolean;
  findings: Finding[];
  /** Files compared. */
  files: number;
  lines: string[];
}

/** `vmm verify`: compare the running guest (volume + overlay) with the recorded hashes. */
export function measure(record: MasterRecord, fs: GuestFs, allowed: string[] = OVERLAY_ALLOWED): Measurement {
  const exempt = (p: string) => isExempt(p, allowed);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let files = 0;
  for (const path of fs.paths()) {
    if (exempt(path)) continue;
    seen.add(path);
    files++;
    const want = record.hashes.get(path);
    if (want === undefined) findings.push({ path, change: 'added' });
    // A file still read from the verified read-only volume cannot have changed (its hash was checked at
    // mount); only what the overlay holds is hashed again.
    else if (fs.layerOf(path) === 'volume' ? fs.volume.files.get(path)!.sha256 !== want : sha256Hex(fs.read(path)!) !== want) {
      findings.push({ path, change: 'modified' });
    }
  }
  for (const path of record.hashes.keys()) if (!exempt(path) && !seen.has(path)) findings.push({ path, change: 'deleted' });
  findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const lines = findings.length === 0
    ? [`integrity: ${files} files match the recorded hashes of ${record.label}`]
    : [`integrity: ${findings.length} file(s) differ from the recorded hashes of ${record.label}:`,
      ...findings.map((f) => `  ${f.change.padEnd(8)} ${f.path}`)];
  return { clean: findings.length === 0, findings, files, lines };
}

/** Autostart entries in /data: run at start-up by the supervisor, so never kept across a refresh. */
export function isAutostart(path: string): boolean {
  return path === '/data/autorun.sh' || path.startsWith('/data/autostart/');
}

export interface QuarantineEntry {
  /** What `quarantine restore` takes: the /data path, or the app's name. */
  name: string;
  kind: 'data' | 'app';
  reason: string;
  /** Simulated time it was moved aside. */
  t: number;
  bytes?: Bytes;
  fragment?: Fragment;
}

export interface RefreshOutcome {
  ok: true;
  fs: GuestFs;
  record: MasterRecord;
  reinstalled: string[];
  quarantined: QuarantineEntry[];
  verifyMs: number;
}

/** The app's name as its package declares it (a setting `app.<name>=<version>`, unique in a merged image), or the fragment's name. */
export function appNameOf(f: Fragment): string {
  const m = parseManifest(f.manifest);
  const key = Object.keys(m.settings).find((k) => k.startsWith('app.'));
  return key ? key.slice(4) : m.name;
}

interface RefresherEnv {
  trust: Trust;
  clock: { now(): number };
  emit: EventSink;
  fs?: Omit<GuestFsOptions, 'data'>;
  /** How configurations are composed (the engine passes one that remembers the built-in ones). */
  compose?: (config: BootConfig, trust: Trust) => Composed;
}

/** What installing an image with its apps gave: the merged volume, or why the OS image itself was refused. */
export type Installed =
  | { ok: true; volume: RootVolume; reinstalled: string[]; quarantined: QuarantineEntry[]; verifyMs: number }
  | { ok: false; reason: string; verifyMs: number };

/** The app a path belongs to (/opt/apps/<name>/…), or null. */
export function appOfPath(path: string): string | null {
  const m = /^\/opt\/apps\/([^/]+)\//.exec(path);
  return m ? m[1] : null;
}

/**
 * The same image with the same packages is the same configuration object, so a
 * composer that remembers configurations hashes it once, however often (and on
 * however many boards) the VM is refreshed; the simulated verification time is
 * still paid at each boot.
 */
const combined = new WeakMap<BootConfig, Map<string, BootConfig>>();
const fragmentIds = new WeakMap<Fragment, number>();
let nextFragmentId = 1;
function withApps(image: BootConfig, apps: Fragment[]): BootConfig {
  const id = (f: Fragment) => {
    let n = fragmentIds.get(f);
    if (n === undefined) fragmentIds.set(f, (n = nextFragmentId++));
    return n;
  };
  let byApps = combined.get(image);
  if (!byApps) combined.set(image, (byApps = new Map()));
  const key = apps.map(id).join(',');
  let c = byApps.get(key);
  if (!c) byApps.set(key, (c = { ...image, fragments: [...image.fragments, ...apps] }));
  return c;
}

/** The host's side of the application VM's refreshes: its master image, its apps, its /data and the quarantine. */
export class Refresher {
  readonly apps = new Map<string, Fragment>();
  readonly quarantine = new Map<string, QuarantineEntry>();
  /** Apps the host recorded as the source of a problem, with why. */
  readonly suspects = new Map<string, string>();

  constructor(readonly data: DataStore, apps: Fragment[], private readonly env: RefresherEnv) {
    for (const a of apps) this.apps.set(appNameOf(a), a);
  }


  private put(entry: QuarantineEntry): void {
    this.quarantine.set(entry.name, entry);
    if (entry.kind === 'app') {
      this.env.emit({ t: entry.t, type: 'app.quarantined', vm: 'app', app: entry.name, reason: entry.reason,
        message: `App ${entry.name} quarantined and not reinstalled: ${entry.reason}. Restore it with vmm quarantine restore ${entry.name}.` });
    } else {
      this.env.emit({ t: entry.t, type: 'data.quarantined', vm: 'app', path: entry.name, reason: entry.reason,
        message: `${entry.name} moved from /data to quarantine: ${entry.reason}. Restore it with vmm quarantine restore ${entry.name}.` });
    }
  }

  /** The host records an app as the source of a problem; it is quarantined at the next refresh. */
  recordProblem(app: string, why: string): void {
    this.suspects.set(app, why);
  }

  /** Move executables and autostart entries out of /data. */
  scanData(): QuarantineEntry[] {
    const out: QuarantineEntry[] = [];
    for (const [path, bytes] of [...this.data].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (path.endsWith('/')) continue; // a directory's own entry: what it holds is scanned, it stays
      const reason = isAutostart(path) ? 'an autostart entry in /data would run code that survives the refresh'
        : isExecutable(bytes) ? 'an executable in /data would let code survive the refresh' : null;
      if (!reason) continue;
      this.data.delete(path);
      const entry: QuarantineEntry = { name: path, kind: 'data', reason, t: this.env.clock.now(), bytes };
      this.put(entry);
      out.push(entry);
    }
    return out;
  }

  /** Quarantine the apps recorded as the source of a problem: their packages are moved aside, not reinstalled. */
  quarantineSuspects(): QuarantineEntry[] {
    const out: QuarantineEntry[] = [];
    for (const [app, why] of [...this.suspects].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const fragment = this.apps.get(app);
      if (!fragment) continue;
      this.apps.delete(app);
      const entry: QuarantineEntry = { name: app, kind: 'app', reason: why, t: this.env.clock.now(), fragment };
      this.put(entry);
      out.push(entry);
    }
    this.suspects.clear();
    return out;
  }

  /**
   * The master image: the OS image merged with the apps' own packages (a
   * package that no longer verifies is quarantined and left out; the OS image
   * itself must verify).
   */
  install(image: BootConfig): Installed {
    const quarantined: QuarantineEntry[] = [];
    const composeFn = this.env.compose ?? compose;
    let verifyMs = 0;
    for (;;) {
      // Apps in name order, so a restored app lands where it was: same apps, same image.
      const apps = [...this.apps].sort(([a], [b]) => (a < b ? -1 : 1));
      const c = composeFn(withApps(image, apps.map(([, f]) => f)), this.env.trust);
      verifyMs += c.ok ? c.volume.verifyMs : c.verifyMs;
      if (c.ok) return { ok: true, volume: c.volume, reinstalled: apps.map(([n]) => n), quarantined, verifyMs };
      const bad = apps.find(([, f]) => { try { return parseManifest(f.manifest).name === c.fragment; } catch { return false; } });
      if (!bad) return { ok: false, reason: `fragment ${c.fragment}: ${c.reason}`, verifyMs };
      this.apps.delete(bad[0]);
      const entry: QuarantineEntry = { name: bad[0], kind: 'app', reason: `its package was refused: ${c.reason}`, t: this.env.clock.now(), fragment: bad[1] };
      this.put(entry);
      quarantined.push(entry);
    }
  }

  /** Rebuild the guest from its image and its apps' packages; keep /data, scanned. */
  refresh(image: BootConfig): RefreshOutcome | { ok: false; reason: string } {
    const quarantined = this.quarantineSuspects();
    const r = this.install(image);
    if (!r.ok) return { ok: false, reason: r.reason };
    quarantined.push(...r.quarantined, ...this.scanData());
    return {
      ok: true, fs: new GuestFs(r.volume, { ...this.env.fs, data: this.data }),
      record: recordMaster(r.volume), reinstalled: r.reinstalled, quarantined, verifyMs: r.verifyMs,
    };
  }

  /** `vmm quarantine list`. */
  list(): string[] {
    if (this.quarantine.size === 0) return ['quarantine is empty'];
    return [...this.quarantine.values()].map((e) => `${e.kind === 'app' ? 'app ' : 'data'} ${e.name}  (${e.reason})`);
  }

  /** `vmm quarantine restore <name>`: a file goes back to /data, an app is reinstalled at the next refresh. */
  restore(name: string): { ok: true; message: string } | { ok: false; error: string } {
    const e = this.quarantine.get(name);
    if (!e) return { ok: false, error: `${name} is not in quarantine (see vmm quarantine list)` };
    if (e.kind === 'data') {
      try {
        this.data.set(e.name, e.bytes!);
      } catch (err) {
        return { ok: false, error: `${name} stays in quarantine: ${(err as Error).message}` };
      }
      this.quarantine.delete(name);
      return { ok: true, message: `${name} restored to /data; the next refresh scans it again.` };
    }
    this.quarantine.delete(name);
    this.apps.set(e.name, e.fragment!);
    return { ok: true, message: `${name} restored; it is reinstalled from its package at the next refresh.` };
  }
}
