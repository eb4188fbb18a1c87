// The application supervisor (DOMAIN.md §4): trusted apps run directly,
// untrusted ones in a container with limited resources. Inside a container
// PIDs are unique only to the container, so launches are serialised: the next
// app waits until the current one's first PID is captured and it has a unique
// application ID — or until it times out after ten seconds.

import type { Shell } from './commands/context.ts';

export interface AppSpec {
  name: string;
  trusted: boolean;
  /** Resources the resource manager must hand out before launch. */
  needs: ('decoder' | 'display-port')[];
  /** False for an app that never captures a PID. */
  capturesPid: boolean;
  rssKiB: number;
}

export const APP_CATALOG: AppSpec[] = [
  { name: 'browser', trusted: false, needs: ['display-port'], capturesPid: true, rssKiB: 3200 },
  { name: 'media-player', trusted: true, needs: ['decoder', 'display-port'], capturesPid: true, rssKiB: 2600 },
  { name: 'recipe-book', trusted: true, needs: [], capturesPid: true, rssKiB: 900 },
  { name: 'stuck-app', trusted: false, needs: [], capturesPid: false, rssKiB: 300 },
];

export const LAUNCH_TIMEOUT_MS = 10_000;

/** Resources on offer: display ports exist only when a display is passed to the application VM. */
function resources(sh: Shell): Record<'decoder' | 'display-port', number> {
  const displays = sh.sim.board.components.filter((c) => c.kind === 'display' && c.domain === 'app').length;
  return { decoder: 1, 'display-port': displays * 2 };
}

export function launchCommand(sh: Shell, args: string[]): void {
  if (args.length === 0) {
    return sh.print('usage: launch <app> [<app> …]\napps: ' + APP_CATALOG.map((a) => `${a.name} (${a.trusted ? 'trusted' : 'untrusted'})`).join(', '));
  }
  const specs: AppSpec[] = [];
  for (const name of args) {
    const spec = APP_CATALOG.find((a) => a.name === name);
    if (!spec) return sh.error(`launch: no app '${name}' — one of ${APP_CATALOG.map((a) => a.name).join(', ')}`);
    specs.push(spec);
  }
  const sim = sh.sim;
  const state = sim.supervisor;
  const total = resources(sh);
  const free = { ...total };
  for (const [k, n] of Object.entries(state.inUse)) free[k as keyof typeof free] -= n;

  // Launches run one after another: each step schedules the next.
  const launchNext = (i: number) => {
    if (i >= specs.length) return;
    const spec = specs[i];
    const missing = spec.needs.find((r) => free[r] <= 0);
    if (missing) {
      const why = total[missing] === 0
        ? (missing === 'display-port' ? 'no display is passed to the application VM' : `this board has no ${missing}`)
        : `all ${total[missing]} in use by running apps`;
      sh.error(`supervisor: cannot launch ${spec.name}: no ${missing} free (${why})`);
      return launchNext(i + 1);
    }
    const n = ++state.nextAppId;
    const appId = `app-${String(n).padStart(4, '0')}`;
    const container = `c${n}`;
    const where = spec.trusted ? 'directly (trusted: valid certificate)' : `in container ${container} (untrusted)`;
    sh.print(`supervisor: launching ${spec.name} ${where} as ${appId}; later launches wait for its first PID`);
    if (!spec.capturesPid) {
      sh.guest.after(LAUNCH_TIMEOUT_MS, () => {
        sim.emit('app.timeout', 'app', `${spec.name} (${appId}) captured no PID within ${LAUNCH_TIMEOUT_MS / 1000} s, so the supervisor stopped it and let the next launch go.`,
          ['app'], { app: spec.name, appId });
        sh.error(`supervisor: ${spec.name} (${appId}) captured no PID within ${LAUNCH_TIMEOUT_MS / 1000} s — stopped`);
        launchNext(i + 1);
      });
      return;
    }
    sh.guest.after(150 + sim.rng.int(0, 600), () => {
      for (const r of spec.needs) {
        free[r]--;
        state.inUse[r] = (state.inUse[r] ?? 0) + 1;
      }
      const proc = sh.guest.spawn(spec.trusted ? spec.name : `${spec.name} [${container}]`, spec.rssKiB);
      const inner = spec.trusted ? '' : ' (PID 1 inside its container)';
      sim.emit('app.launch', 'app', `The supervisor launched ${spec.name} ${spec.trusted ? 'directly' : 'in a container'} and tied PID ${proc.pid} to ${appId}.`,
        ['app'], { app: spec.name, appId, pid: proc.pid, trusted: spec.trusted, ...(spec.trusted ? {} : { container }), ...(spec.needs.length ? { resources: spec.needs } : {}) });
      sh.print(`supervisor: ${spec.name} is ${appId}, PID ${proc.pid}${inner}${spec.needs.length ? `, holding ${spec.needs.join(' + ')}` : ''}`);
      launchNext(i + 1);
    });
  };
  launchNext(0);
}
