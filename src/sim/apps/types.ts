// What the apps module needs from the engine around it, passed in so the module
// stays pure and deterministic: simulated time, a seeded random source and an
// event sink. Nothing here reads the wall clock or Math.random.

/** Simulated time in milliseconds, and a way to run something later in it. */
export interface Clock {
  now(): number;
  schedule(delayMs: number, fn: () => void): void;
}

/** A seeded random source: a float in [0, 1), the same sequence for the same seed. */
export interface Rng {
  next(): number;
}

/** CONTRACT §5 app events this module emits. */
export type AppEventType = 'app.launch' | 'app.timeout' | 'app.exit' | 'app.oom' | 'app.rejected';

export interface AppEvent {
  type: AppEventType;
  vm: 'app';
  /** The package name. */
  app: string;
  /** The unique application id, where one was given. */
  appId?: string;
  /** One sentence saying what the engine did. */
  message: string;
  /** Event details (pids, container, reason, resources…). */
  [detail: string]: unknown;
}

export type EventSink = (event: AppEvent) => void;

/** An integer in [lo, hi] from the seeded source. */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

/**
 * A minimal deterministic clock: callbacks run in time order (ties in the
 * order they were scheduled) only when `advance` moves time past them. For
 * tests and for callers without an event queue of their own.
 */
export class ManualClock implements Clock {
  private time = 0;
  private seq = 0;
  private queue: { at: number; seq: number; fn: () => void }[] = [];

  now(): number { return this.time; }

  schedule(delayMs: number, fn: () => void): void {
    this.queue.push({ at: this.time + Math.max(0, delayMs), seq: this.seq++, fn });
  }

  /** Runs everything due up to now + ms, including what those callbacks schedule in that span. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const first = this.queue[0];
      if (!first || first.at > end) break;
      this.queue.shift();
      this.time = first.at;
      first.fn();
    }
    this.time = end;
  }
}
