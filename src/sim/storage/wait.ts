// A command that touches /data while nobody serves its block requests does
// not fail: its process waits on the request in D state (labfs reads its
// blocks through buffer heads, whose wait is uninterruptible). virtio-blk has
// no timeout handler (drivers/block/virtio_blk.c: virtio_mq_ops sets none, so
// blk_mq_rq_timed_out() in block/blk-mq.c re-arms the timer), so the request
// waits as long as storaged does not answer. The kernel's hung-task detector
// reports the waiting task every hung_task_timeout_secs; Ctrl-C only marks
// SIGINT pending, and the command dies of it once the request completes.

import type { Shell } from '../commands/context.ts';
import { IO_POLL_MS, IoWait } from './appData.ts';

/** The kernel's hung_task_timeout_secs (CONFIG_DEFAULT_HUNG_TASK_TIMEOUT, 120), in ms: khungtaskd checks every task this often. */
export const HUNG_TASK_TIMEOUT_MS = 120_000;

/**
 * Runs a command; if it hits /data while the system VM is down, runs it again
 * when storaged answers (no request was served, so nothing of it happened yet).
 * What the command printed before it blocked stays on the console and is not
 * printed again by the retry (`shown`: the characters of its output already there).
 */
export function runWaitingForStorage(sh: Shell, run: () => void, shown = 0, blockedAt?: number): void {
  const attempt = { written: 0 };
  const g = sh.guest;
  try {
    g.rerun(shown, attempt, run);
    g.uninterruptible = false;
  } catch (e) {
    if (!(e instanceof IoWait)) throw e;
    const seen = Math.max(shown, attempt.written);
    if (blockedAt === undefined) {
      blockedAt = sh.sim.now;
      g.uninterruptible = true;
      watchForHungTask(sh, e.path, blockedAt);
    }
    const since = blockedAt;
    const poll = () => {
      // A SIGINT that came while the process waited kills it as the request completes, before it goes on.
      if (!g.sigintPending) runWaitingForStorage(sh, run, seen, since);
      else if (sh.sim.storage.served) g.dieOfPendingSignal();
      else g.after(IO_POLL_MS, poll);
    };
    g.after(IO_POLL_MS, poll);
  }
}

/**
 * khungtaskd checks every HUNG_TASK_TIMEOUT_MS from boot. The first check after
 * the task blocked sees it has switched since the last one and notes the time;
 * each later check that finds it still blocked reports it (kernel/hung_task.c:
 * check_hung_task(), whose pr_err lines are below; sched_show_task()'s stack dump
 * that follows them is left out).
 */
function watchForHungTask(sh: Shell, path: string, blockedAt: number): void {
  const g = sh.guest;
  const command = g.commandId;
  const sinceBoot = blockedAt - g.bootedAt;
  const firstCheck = g.bootedAt + (Math.floor(sinceBoot / HUNG_TASK_TIMEOUT_MS) + 1) * HUNG_TASK_TIMEOUT_MS;
  const check = () => {
    if (g.commandId !== command || !g.uninterruptible || g.hungTaskWarnings <= 0) return;
    g.hungTaskWarnings--;
    const task = g.processes.find((p) => p.name === 'sh') ?? { pid: 1, name: 'init' };
    const u = sh.sim.utsname(sh.vm);
    const lines = [
      `INFO: task ${task.name}:${task.pid} blocked for more than ${HUNG_TASK_TIMEOUT_MS / 1000} seconds.`,
      `      Not tainted ${u.release} ${u.version.split(' ')[0]}`,
      '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
    ];
    if (g.hungTaskWarnings === 0) lines.push('Future hung task reports are suppressed, see sysctl kernel.hung_task_warnings');
    for (const line of lines) g.logKernel(sh.sim.now, line);
    g.write(lines.join('\r\n') + '\r\n');
    const state = sh.sim.guests.system.state;
    const waitedMs = sh.sim.now - blockedAt;
    sh.sim.emit('storage.timeout', 'app',
      `The ${g.name}'s ${task.name} (PID ${task.pid}) has waited ${Math.round(waitedMs / 1000)} s on a /data block request that storaged in the system VM does not answer (the system VM is ${state}); `
      + 'the kernel\'s hung-task detector reports it. virtio-blk does not time requests out: the task waits until the system VM is back'
      + (state === 'hung' && !sh.sim.systemWatchdog() ? ', and no hardware watchdog is assigned to the system VM, so nothing will reset it.' : '.'),
      ['app', 'pv-buffers'], { path, waitedMs, systemState: state, pid: task.pid, comm: task.name });
    g.inThisLife(HUNG_TASK_TIMEOUT_MS, check);
  };
  g.inThisLife(firstCheck + HUNG_TASK_TIMEOUT_MS - sh.sim.now, check);
}
