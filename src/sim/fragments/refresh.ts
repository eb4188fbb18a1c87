// Refresh planning (seed 001): besides the full refresh, parts of the
// application VM are reloaded from the master image on their own schedules —
// the kernel, one driver, one app — fixed or drawn from the seeded random
// source (an attacker cannot time around a schedule it cannot predict). A hot
// spare, a second instance already booted from the master image, turns a
// refresh into a switch-over instead of a boot.

import type { Clock, Random } from './events.ts';
import type { GuestFs } from './guestfs.ts';

export type RefreshPart = 'full' | 'kernel' | `driver:${string}` | `app:${string}`;

/** Parse `--part kernel|driver:<id>|app:<name>`; the error says what is accepted. */
export function parsePart(text: string, known: { drivers: string[]; apps: string[] }): { ok: true; part: RefreshPart } | { ok: false; error: string } {
  if (text === 'kernel' || text === 'full') return { ok: true, part: text };
  const [kind, id] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
  if (kind === 'driver') {
    if (known.drivers.includes(id)) return { ok: true, part: `driver:${id}` };
    return { ok: false, error: `no driver ${id} in this VM (drivers: ${known.drivers.join(', ') || 'none'})` };
  }
  if (kind === 'app') {
    if (known.apps.includes(id)) return { ok: true, part: `app:${id}` };
    return { ok: false, error: `no app ${id} installed (apps: ${known.apps.join(', ') || 'none'})` };
  }
  return { ok: false, error: `unknown part "${text}": use kernel, driver:<id> or app:<name>` };
}

/** The paths a part's refresh reloads from the image (a driver's: its module file, which `driverModule` names). */
export function partPaths(part: RefreshPart, driverModule: (id: string) => string): string[] {
  if (part === 'full') return ['/'];
  if (part === 'kernel') return ['/boot/', '/lib/modules/'];
  if (part.startsWith('driver:')) return [driverModule(part.slice(7))];
  return [`/opt/apps/${part.slice(4)}/`];
}

/** Drop the overlay's changes (writes and whiteouts) under a part's paths, so they read from the image again. */
export function refreshPart(fs: GuestFs, part: RefreshPart, driverModule: (id: string) => string): string[] {
  const prefixes = partPaths(part, driverModule);
  const reset = [...fs.overlay.keys()].filter((p) => prefixes.some((x) => p.startsWith(x))).sort();
  for (const p of reset) fs.overlay.delete(p);
  return reset;
}

// Assumed outage of each part, for the timeline: a kernel reload is a reboot of
// the VM; a driver reload (unbind, reload the module, probe) takes the device
// away for tens of ms; an app restart stops only that app while it starts again.
export const DRIVER_RELOAD_MS = 30;
export const APP_RESTART_MS = 200;

export function partDowntimeMs(part: RefreshPart, bootMs: number): number {
  if (part === 'full' || part === 'kernel') return bootMs;
  return part.startsWith('driver:') ? DRIVER_RELOAD_MS : APP_RESTART_MS;
}

export interface PartSchedule {
  part: RefreshPart;
  /** A fixed period. */
  everyMs?: number;
  /** Or a random interval, drawn uniformly in [minMs, maxMs] from the seeded source for each refresh. */
  random?: { minMs: number; maxMs: number };
}

export function scheduleError(s: PartSchedule): string | null {
  if (s.everyMs !== undefined && s.random) return `${s.part}: give either a period or a random interval, not both`;
  if (s.everyMs !== undefined && !(s.everyMs > 0)) return `${s.part}: the period must be more than 0 ms`;
  if (s.random && !(s.random.minMs > 0 && s.random.maxMs >= s.random.minMs)) return `${s.part}: the random interval needs 0 < min ≤ max`;
  if (s.everyMs === undefined && !s.random) return `${s.part}: give a period or a random interval`;
  return null;
}

/** Runs every part's schedule on the engine's clock; calls `refresh` when one is due. */
export class RefreshPlanner {
  private generation = 0;
  /** When each part is next due (simulated ms). */
  readonly due = new Map<RefreshPart, number>();

  constructor(
    private readonly schedules: PartSchedule[],
    private readonly env: { clock: Clock; random: Random; refresh(part: RefreshPart): void },
  ) {
    for (const s of schedules) {
      const e = scheduleError(s);
      if (e) throw new Error(e);
    }
  }

  private interval(s: PartSchedule): number {
    if (s.everyMs !== undefined) return s.everyMs;
    const { minMs, maxMs } = s.random!;
    return minMs + Math.floor(this.env.random.next() * (maxMs - minMs + 1));
  }

  private arm(s: PartSchedule, gen: number): void {
    const delay = this.interval(s);
    this.due.set(s.part, this.env.clock.now() + delay);
    this.env.clock.schedule(delay, () => {
      if (gen !== this.generation) return;
      this.env.refresh(s.part);
      this.arm(s, gen);
    });
  }

  start(): void {
    const gen = ++this.generation;
    for (const s of this.schedules) this.arm(s, gen);
  }

  /** Stop every schedule (VM stopped, settings changed); start() again re-arms them. */
  stop(): void {
    this.generation++;
    this.due.clear();
  }

  /** Upcoming refreshes, soonest first. */
  upcoming(): { part: RefreshPart; at: number }[] {
    return [...this.due].map(([part, at]) => ({ part, at })).sort((a, b) => a.at - b.at || (a.part < b.part ? -1 : 1));
  }
}

/**
 * The hot spare: a second instance of the application VM, booted from the master
 * image and kept ready (its memory counts in the budget). A refresh switches to it
 * at once; the old instance then reboots from the master image and becomes the
 * spare. Without a ready spare, the refresh is a full boot.
 */
export class HotSpare {
  state: 'off' | 'booting' | 'ready' = 'off';
  /** When the spare that is ready finished booting (its uptime counts from then). */
  private readyAt = 0;
  private generation = 0;

  constructor(readonly enabled: boolean, readonly bootMs: number, private readonly clock: Clock) {}

  /** Memory the application VM takes with its spare. */
  memoryMiB(vmMiB: number): number {
    return this.enabled ? 2 * vmMiB : vmMiB;
  }

  private bootSpare(): void {
    const gen = ++this.generation;
    this.state = 'booting';
    this.clock.schedule(this.bootMs, () => {
      if (gen !== this.generation) return;
      this.state = 'ready';
      this.readyAt = this.clock.now();
    });
  }

  /** At power-on: boot the spare alongside the active instance. */
  start(): void {
    if (this.enabled) this.bootSpare();
  }

  stop(): void {
    this.generation++;
    this.state = 'off';
  }

  /** A refresh: how long the application VM is out of service, and whether the spare took over (booted when). */
  refresh(): { downtimeMs: number; switched: boolean; bootedAt?: number } {
    if (!this.enabled) return { downtimeMs: this.bootMs, switched: false };
    if (this.state === 'ready') {
      const bootedAt = this.readyAt;
      this.bootSpare();
      return { downtimeMs: 0, switched: true, bootedAt };
    }
    // The spare is still booting: the active instance reboots too; the spare restarts with it.
    this.bootSpare();
    return { downtimeMs: this.bootMs, switched: false };
  }
}
