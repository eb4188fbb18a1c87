// How bad a timeline event is, for its colour AND its word (colour is never the only signal).
import type { SimEvent } from '../../sim/types.ts';

export type EventSeverity = 'bad' | 'stopped' | 'info';

/** Something got through or broke. */
const GOT_THROUGH = /escape|exfiltrat|crash|compromise|hang|oom/;
/**
 * A mechanism did its job: the firewall denied, a fault was caught, the supervisor's
 * timeout (`app.timeout`) stopped an app that stopped answering. (`storage.timeout` is
 * not one: the kernel reports a task still waiting on /data, and nothing was stopped.)
 */
const STOPPED = /deny|blocked|fault|rejected|app\.timeout/;

export function severityOf(e: Pick<SimEvent, 'type'>): EventSeverity {
  if (STOPPED.test(e.type) && !/escape/.test(e.type)) return 'stopped';
  return GOT_THROUGH.test(e.type) ? 'bad' : 'info';
}

/** The word shown beside the colour, and read by a screen reader. */
export const SEVERITY_WORDS: Record<EventSeverity, string> = {
  bad: 'got through',
  stopped: 'stopped',
  info: 'info',
};
