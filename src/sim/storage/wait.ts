// A command that touches /data while nobody serves its block requests does
// not fail at once: the process waits on the request (as a Linux process in
// D state on a block device), and the command goes on when storaged answers
// again, or fails with EIO when the block layer's timeout runs out.

import type { Shell } from '../commands/context.ts';
import { IO_POLL_MS, IO_TIMEOUT_MS, IoWait } from './appData.ts';

/**
 * Runs a command; if it hits /data while the system VM is down, runs it again
 * when storaged answers (no request was served, so nothing of it happened yet),
 * or prints an I/O error after IO_TIMEOUT_MS. What the command printed before it
 * blocked stays on the console and is not printed again by the retry (`shown`:
 * the characters of its output already there).
 */
export function runWaitingForStorage(sh: Shell, name: string, run: () => void, waitedMs = 0, shown = 0): void {
  const attempt = { written: 0 };
  try {
    sh.guest.rerun(shown, attempt, run);
  } catch (e) {
    if (!(e instanceof IoWait)) throw e;
    if (waitedMs >= IO_TIMEOUT_MS) {
      const state = sh.sim.guests.system.state;
      sh.sim.emit('storage.timeout', 'app',
        `A /data request of the ${sh.guest.name} timed out after ${IO_TIMEOUT_MS / 1000} s: storaged in the system VM did not answer (the system VM is ${state}).`,
        ['app', 'pv-buffers'], { path: e.path, waitedMs, systemState: state });
      sh.error(`${name}: ${e.path}: Input/output error — vda: no answer from storaged in the system VM for ${IO_TIMEOUT_MS / 1000} s `
        + `(the system VM is ${state}); /data works again once the system VM is back`
        + (state === 'hung' && !sh.sim.systemWatchdog() ? ', but no hardware watchdog is assigned to it, so nothing will reset it' : ''));
      return;
    }
    const seen = Math.max(shown, attempt.written);
    sh.guest.after(IO_POLL_MS, () => runWaitingForStorage(sh, name, run, waitedMs + IO_POLL_MS, seen));
  }
}
