// Text for the shell's `ps` and `free`: the engine's tables, formatted.

import { HOST_NS } from './processes.ts';
import type { Supervisor } from './supervisor.ts';

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}

/**
 * `ps` from the VM (`ns` = "vm"): every process with its PID in the VM's
 * namespace, its container and PID inside it, the app id it is charged to
 * and the app that really started it. `ps` from inside a container: only
 * that container's processes, numbered as the container sees them.
 */
export function formatPs(sup: Supervisor, ns: string = HOST_NS): string[] {
  const t = sup.table;
  if (ns !== HOST_NS) {
    if (!t.hasNamespace(ns)) return [`ps: no container ${ns}`];
    return table([['PID', 'PPID', 'RSS(KiB)', 'COMMAND'],
      ...t.list(ns).map((p) => {
        const parent = t.get(p.ppid);
        return [String(p.pids[ns]), String(parent && ns in parent.pids ? parent.pids[ns] : 0), String(t.rss(p)), p.command];
      })]);
  }
  return table([['PID', 'CONTAINER', 'NS-PID', 'APP-ID', 'APP', 'RSS(KiB)', 'COMMAND'],
    ...t.list(HOST_NS).map((p) => {
      const charged = p.appId ? sup.apps.find((a) => a.appId === p.appId) : undefined;
      const app = charged ? (charged.appId === p.launchedAs ? charged.pkg.name : `${charged.pkg.name}!=${p.owner}`) : (p.owner ?? '-');
      return [String(p.hostPid), p.ns === HOST_NS ? '-' : p.ns, p.ns === HOST_NS ? '-' : String(p.pids[p.ns]), p.appId ?? '-', app, String(t.rss(p)), p.command];
    })]);
}

/** `free`: the application VM's memory, then each container's memory cgroup charge against its limit. */
export function formatFree(sup: Supervisor, unit: 'KiB' | 'MiB' = 'KiB'): string[] {
  const total = sup.vmMemoryKiB, used = sup.usedKiB();
  // free -m truncates to whole MiB, as procps does.
  const n = (kib: number) => String(unit === 'MiB' ? Math.floor(kib / 1024) : kib);
  const lines = table([['', `TOTAL(${unit})`, 'USED', 'FREE'], ['app VM', n(total), n(used), n(total - used)]]);
  const cs = sup.containers();
  if (cs.length === 0) return [...lines, 'no containers'];
  return [...lines, '', ...table([['CONTAINER', 'APP', 'APP-ID', 'PROCS', `CHARGE(${unit})`, `LIMIT(${unit})`, 'USE'],
    ...cs.map((c) => [c.container, c.app, c.appId, String(c.processes), n(c.chargeKiB), n(c.limitKiB), `${Math.round((100 * c.chargeKiB) / c.limitKiB)}%`])])];
}

/** `supervisor` status: serialisation, launches waiting, and each app with its trust, container, state and resources. */
export function formatApps(sup: Supervisor): string[] {
  const head = [`launches: ${sup.serialize ? 'serialised (each waits for the previous app\'s first PID)' : 'parallel (serialisation off: container PIDs can be mis-charged)'}`,
    `waiting: ${sup.waiting().join(', ') || 'none'}`];
  if (sup.apps.length === 0) return [...head, 'no apps launched'];
  return [...head, ...table([['APP-ID', 'APP', 'TRUST', 'CONTAINER', 'STATE', 'RESOURCES'],
    ...sup.apps.map((a) => [a.appId, a.pkg.name, a.trusted ? 'trusted' : 'untrusted', a.container ?? '-', a.state, sup.resources.heldBy(a.appId).join(',') || '-'])])];
}
