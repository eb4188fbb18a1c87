// What the page keeps of the engine's events, and for how long: bounded, and said so on screen.
//
// A board that refreshes its application VM every second, run at 100×, makes hundreds of events
// a second. The timeline shows the newest; an export keeps more; everything since power on is
// at least counted by type, so nothing happened without a trace.
import type { SimEvent } from '../../sim/types.ts';

/** Events the timeline can show (the newest). */
export const TIMELINE_LIMIT = 2000;
/** Events a "Download events" file holds (the newest). */
export const EXPORT_LIMIT = 10_000;

export class EventLog {
  private kept: SimEvent[] = [];
  /** Events seen since power on, by type (never dropped: a handful of numbers). */
  readonly counts = new Map<string, number>();
  total = 0;

  record(events: readonly SimEvent[]): void {
    for (const e of events) this.counts.set(e.type, (this.counts.get(e.type) ?? 0) + 1);
    this.total += events.length;
    this.kept.push(...events);
    // Trim in steps, not per event: one copy per EXPORT_LIMIT / 4 events.
    if (this.kept.length > EXPORT_LIMIT * 1.25) this.kept = this.kept.slice(-EXPORT_LIMIT);
  }

  reset(): void {
    this.kept = [];
    this.counts.clear();
    this.total = 0;
  }

  /** The kept events, oldest first. */
  exported(): SimEvent[] {
    return this.kept.slice(-EXPORT_LIMIT);
  }

  /**
   * JSON lines: a first line that says what the file holds (and how many older events are
   * only counted), then one event per line.
   */
  toJsonLines(): string {
    const events = this.exported();
    const header = {
      format: 'isolation-lab/events',
      version: 1,
      events: events.length,
      since_power_on: this.total,
      not_kept: this.total - events.length,
      counts: Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b))),
    };
    return [header, ...events].map((x) => JSON.stringify(x)).join('\n') + '\n';
  }
}

/** The page's one log (the engine store feeds it; the timeline reads and exports it). */
export const eventLog = new EventLog();
