// Updates with rollback, as RAUC does them (rauc.readthedocs.io, "Basic Concepts"
// and "Bootloader interaction"): an update is installed as the *next* boot
// configuration with a boot-attempt counter; a boot that comes up marks it good;
// a boot that fails is counted, and after N failed attempts the device falls
// back to the last known-good configuration by itself. A bundle that does not
// verify, or that breaks the version pin between the system and application
// images, is refused whole: nothing changes.

import { compose, startInit, type BootConfig, type RootVolume, type Trust } from './compose.ts';
import type { EventSink, ImageVm } from './events.ts';
import { parseManifest } from './fragment.ts';

export const DEFAULT_BOOT_ATTEMPTS = 3;

export type ApplyResult = { ok: true; message: string } | { ok: false; reason: string };
export type BootResult =
  | { ok: true; volume: RootVolume; init: string; trial: boolean; verifyMs: number }
  | { ok: false; reason: string; verifyMs: number; fellBack: boolean; attempt?: number; log?: string[] };

interface Env {
  trust: Trust;
  clock: { now(): number };
  emit: EventSink;
  maxAttempts?: number;
  /** How a configuration is verified and merged (default `compose`; the engine passes a memoized one). */
  compose?: typeof compose;
}

/** Settings a configuration's manifests declare (read unverified: only used to refuse early; boot verifies). */
export function configSettings(config: BootConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of config.fragments) {
    try {
      Object.assign(out, parseManifest(f.manifest).settings);
    } catch {
      // a malformed manifest is refused by compose
    }
  }
  return out;
}

function versionParts(v: string): number[] {
  return v.split('.').map((x) => Number.parseInt(x, 10) || 0);
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

/** Whether `version` satisfies a pin like ">=1.0 <3.0" (space-separated constraints, all must hold). */
export function satisfies(version: string, pin: string): boolean {
  return pin.trim().split(/\s+/).filter(Boolean).every((c) => {
    const m = /^(>=|<=|>|<|=)?(.+)$/.exec(c)!;
    const d = compareVersions(version, m[2]);
    switch (m[1] ?? '=') {
      case '>=': return d >= 0;
      case '<=': return d <= 0;
      case '>': return d > 0;
      case '<': return d < 0;
      default: return d === 0;
    }
  });
}

export class UpdateManager {
  /** The last known-good configuration: what boots when no update is on trial. */
  good: BootConfig;
  /** The good configuration before the current one, for a manual rollback. */
  previous: BootConfig | null = null;
  /** An installed update on trial, with the boots tried so far. */
  next: { config: BootConfig; attempts: number } | null = null;
  readonly maxAttempts: number;

  constructor(readonly vm: ImageVm, factory: BootConfig, private readonly env: Env) {
    this.good = factory;
    this.maxAttempts = env.maxAttempts ?? DEFAULT_BOOT_ATTEMPTS;
  }

  private emit(type: string, message: string, detail: Record<string, unknown> = {}): void {
    this.env.emit({ t: this.env.clock.now(), type, vm: this.vm, message, ...detail });
  }

  /** Configurations that may boot from now on (the good one, and the one on trial). */
  candidates(): BootConfig[] {
    return this.next ? [this.good, this.next.config] : [this.good];
  }

  /** Validate and install as the next configuration. `pin` says why the other image refuses it, or null. */
  apply(bundle: BootConfig & { name?: string }, pin: (config: BootConfig) => string | null = () => null): ApplyResult {
    const name = bundle.name ?? bundle.label;
    const refuse = (reason: string): ApplyResult => {
      this.reject(name, reason);
      return { ok: false, reason };
    };
    if (bundle.target !== this.vm) return refuse(`it is an update for the ${bundle.target} image, not the ${this.vm} image`);
    const composed = (this.env.compose ?? compose)(bundle, this.env.trust);
    if (!composed.ok) return refuse(`fragment ${composed.fragment}: ${composed.reason}`);
    const pinned = pin(bundle);
    if (pinned) return refuse(pinned);
    this.next = { config: bundle, attempts: 0 };
    const message = `Update ${name} (version ${bundle.version}) verified and installed as the next boot configuration; ${this.good.label} stays the last known-good one.`;
    this.emit('update.applied', message, { bundle: name, version: bundle.version });
    return { ok: true, message };
  }

  /** Raise update.rejected; nothing else changes. */
  reject(bundle: string, reason: string): void {
    this.emit('update.rejected', `Update ${bundle} refused: ${reason}; nothing was changed.`, { bundle, reason });
  }

  /** A boot of this VM's image: the configuration on trial if any, else the good one. */
  boot(): BootResult {
    if (!this.next) {
      const r = this.tryBoot(this.good);
      return r.ok ? { ...r, trial: false } : { ...r, fellBack: false };
    }
    const trial = this.next;
    trial.attempts++;
    this.emit('update.boot-attempt', `Booting ${trial.config.label}: attempt ${trial.attempts} of ${this.maxAttempts}.`,
      { bundle: trial.config.label, attempt: trial.attempts, of: this.maxAttempts });
    const r = this.tryBoot(trial.config);
    if (r.ok) {
      this.previous = this.good;
      this.good = trial.config;
      this.next = null;
      return { ...r, trial: true };
    }
    if (trial.attempts < this.maxAttempts) return { ...r, fellBack: false, attempt: trial.attempts };
    this.next = null;
    const why = r.reason.replace(/\.\s.*$/, '').replace(/\.$/, '');
    this.fallback = {
      message: `${trial.config.label} failed to boot ${trial.attempts} times (${why}), so the device falls back to the last known-good ${this.good.label}.`,
      detail: { reason: 'boot-failed', bundle: trial.config.label, to: this.good.label },
    };
    return { ...r, fellBack: true, attempt: trial.attempts };
  }

  private fallback: { message: string; detail: Record<string, unknown> } | null = null;

  /**
   * Raises update.rollback for the configuration boot() just gave up on: the
   * caller says when, once that last boot has visibly failed (its panic comes
   * after the verification time).
   */
  announceFallback(): void {
    if (!this.fallback) return;
    this.emit('update.rollback', this.fallback.message, this.fallback.detail);
    this.fallback = null;
  }

  private tryBoot(config: BootConfig): { ok: true; volume: RootVolume; init: string; verifyMs: number } | { ok: false; reason: string; verifyMs: number; log?: string[] } {
    const c = (this.env.compose ?? compose)(config, this.env.trust);
    if (!c.ok) return { ok: false, reason: `fragment ${c.fragment} refused at boot: ${c.reason}`, verifyMs: c.verifyMs };
    const init = startInit(c.volume);
    if (!init.ok) return { ok: false, reason: init.panic, log: init.log, verifyMs: c.volume.verifyMs };
    return { ok: true, volume: c.volume, init: init.init, verifyMs: c.volume.verifyMs };
  }

  /** `update rollback`: cancel the update on trial, or return to the previous good configuration. */
  rollback(pin: (config: BootConfig) => string | null = () => null): ApplyResult {
    const refuse = (reason: string): ApplyResult => ({ ok: false, reason });
    if (this.next) {
      const dropped = this.next.config.label;
      this.next = null;
      const message = `Update ${dropped} cancelled before it booted; ${this.good.label} stays.`;
      this.emit('update.rollback', message, { reason: 'manual', bundle: dropped, to: this.good.label });
      return { ok: true, message };
    }
    if (!this.previous) return refuse(`there is no previous configuration: ${this.good.label} is the only one this image has booted`);
    const pinned = pin(this.previous);
    if (pinned) return refuse(pinned);
    const from = this.good;
    this.good = this.previous;
    this.previous = from;
    const message = `Rolled back from ${from.label} to ${this.good.label}; it boots at the next start.`;
    this.emit('update.rollback', message, { reason: 'manual', bundle: from.label, to: this.good.label });
    return { ok: true, message };
  }

  /** `update list` lines for this image. */
  describe(): string[] {
    const names = (c: BootConfig) => c.fragments.map((f) => { try { return parseManifest(f.manifest).name; } catch { return '(unreadable)'; } }).join(', ');
    const lines = [`${this.vm} image: ${this.good.label} (last known-good): ${names(this.good)}`];
    if (this.next) lines.push(`  next: ${this.next.config.label}, boot attempt ${this.next.attempts} of ${this.maxAttempts} used: ${names(this.next.config)}`);
    if (this.previous) lines.push(`  previous: ${this.previous.label}`);
    return lines;
  }
}

/**
 * Both images of a device. They update independently, but the application
 * image pins the system-OS versions it runs on (`requires.system-os`): an
 * update of either that would break the pin is refused with the reason.
 */
export class UpdateService {
  readonly system: UpdateManager;
  readonly app: UpdateManager;

  constructor(factory: { system: BootConfig; app: BootConfig }, env: Env) {
    this.system = new UpdateManager('system', factory.system, env);
    this.app = new UpdateManager('app', factory.app, env);
  }

  private pinFor(vm: ImageVm): (config: BootConfig) => string | null {
    return (config) => {
      const pairs = vm === 'system'
        ? this.app.candidates().map((a) => [a, config] as const)
        : this.system.candidates().map((s) => [config, s] as const);
      for (const [app, sys] of pairs) {
        const pin = configSettings(app)['requires.system-os'];
        if (pin && !satisfies(sys.version, pin)) {
          return `${app.label} pins the system OS to ${pin}, and ${sys.label} is version ${sys.version}`;
        }
      }
      return null;
    };
  }

  /** `update apply <name>`: an unknown name is refused like a bad bundle, listing the ones on offer. */
  applyNamed(name: string, offered: Map<string, BootConfig & { name?: string }>): ApplyResult {
    const bundle = offered.get(name);
    if (bundle) return this.apply(bundle);
    // A name that is on no bundle is a mistyped request, not an image verified and refused: no
    // update.rejected (a lesson step waiting for a tampered bundle's rejection would take a typo for it).
    return { ok: false, reason: `there is no bundle named ${name} (on offer: ${[...offered.keys()].join(', ')})` };
  }

  apply(bundle: BootConfig & { name?: string }): ApplyResult {
    return (bundle.target === 'system' ? this.system : this.app).apply(bundle, this.pinFor(bundle.target));
  }

  rollback(vm: ImageVm): ApplyResult {
    return (vm === 'system' ? this.system : this.app).rollback(this.pinFor(vm));
  }
}
