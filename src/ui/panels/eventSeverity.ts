// How bad a timeline event is, for its colour AND its word (colour is never the only signal).
import type { SimEvent } from '../../sim/types.ts';

export type EventSeverity = 'bad' | 'failed' | 'stopped' | 'info';

/** An attack got through: a write past the isolation, data out, a VM found compromised. */
const GOT_THROUGH = /escape|exfiltrat|compromise/;
/**
 * Something broke, attacker or not: a crash (a boot that failed after an update too), a hang. What
 * recovers it (a watchdog, a refresh, a rollback) has events of its own.
 */
const FAILED = /crash|hang/;
/**
 * A mechanism did its job: the firewall denied, a fault was caught, the supervisor's timeout
 * (`app.timeout`) stopped an app that stopped answering, a container's memory limit (`app.oom`)
 * ended the process that passed it while the VM ran on. (`storage.timeout` is not one: the kernel
 * reports a task still waiting on /data, and nothing was stopped.)
 */
const STOPPED = /deny|blocked|fault|rejected|app\.timeout|app\.oom/;

export function severityOf(e: Pick<SimEvent, 'type'>): EventSeverity {
  if (STOPPED.test(e.type) && !/escape/.test(e.type)) return 'stopped';
  if (GOT_THROUGH.test(e.type)) return 'bad';
  return FAILED.test(e.type) ? 'failed' : 'info';
}

/** The word shown beside the colour, and read by a screen reader. */
export const SEVERITY_WORDS: Record<EventSeverity, string> = {
  bad: 'got through',
  failed: 'failed',
  stopped: 'stopped',
  info: 'info',
};
