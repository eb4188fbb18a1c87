// `update` in the system VM: a thin adapter over the update service
// (fragments/updates.ts): list the bundles and the boot slots, apply a bundle
// (verified whole, version pins checked; the VM then reboots into it on trial),
// roll back.

import { refuseExtra, type Shell } from './context.ts';
import { builtinBundles, imagesArch, type ImageVm } from '../fragments/index.ts';
import { vsockTransfer } from '../net/hostNet.ts';
import { VM_NAMES } from '../types.ts';

/** The forms of update in the system VM, and in the application VM (help shows them: registry.ts). */
export const UPDATE_USAGE = 'update list | update apply <bundle> | update rollback [system|app] | update timing';
export const APP_TIMING = 'update timing [hold <minutes>|release]';

/** The longest hold updated grants the application VM: updates must still land the same day. */
export const MAX_HOLD_MINUTES = 240;
/** Until when (simulated ms) the application VM asked updated to hold restarts, per engine. */
const HOLD = new WeakMap<object, number>();

function holdLeftMs(sh: Shell): number {
  return Math.max(0, (HOLD.get(sh.sim) ?? 0) - sh.sim.now);
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * `update timing [hold <minutes>|release]`. In the application VM a request to
 * updated over vsock (the application VM cannot update or restart anything
 * itself; it asks when restarts may happen, e.g. not in the middle of a bake),
 * which updated grants up to MAX_HOLD_MINUTES; in the system VM, what is held
 * (no arguments there: holds are the application VM's to ask for).
 */
function timing(sh: Shell, args: string[]): void {
  const [op, n] = args;
  const request = ['timing', ...args].join(' ');
  const status = () => {
    const left = holdLeftMs(sh);
    return left > 0 ? `restarts for updates held until ${clock(sh.sim.now + left)} (${Math.ceil(left / 60000)} min) at the application VM's request`
      : 'no hold: an applied update restarts its VM at once';
  };
  if (sh.vm === 'system') {
    // Holds are the application VM's to ask for; the system VM only reads them.
    if (op === 'hold' || op === 'release') {
      return sh.error(`update: a hold is the application VM's request — type 'update ${request}' in the ${VM_NAMES.app} console; `
        + `in the ${VM_NAMES.system} 'update timing' takes no arguments and shows what updated holds`);
    }
    if (op !== undefined) return sh.error(`update: 'update timing' takes no arguments in the ${VM_NAMES.system} (it shows what updated holds) — not '${args.join(' ')}'`);
    return sh.print(`updated: ${status()}`);
  }
  // A request that is not one is refused here, before it is sent: only updated decides how long a hold may be.
  if ((op === 'hold' || op === 'release') && refuseExtra(sh, 'update timing', args, op === 'hold' ? 2 : 1, APP_TIMING, true)) return;
  if (op === 'hold' && !/^\d+$/.test(n ?? '')) {
    return sh.error(`update timing hold: ${n === undefined ? 'for how many minutes?' : `'${n}' is not a whole number of minutes`} `
      + `— e.g. 'update timing hold 30' (updated grants 1 to ${MAX_HOLD_MINUTES})`);
  }
  const sys = sh.sim.guests.system;
  if (sys.state !== 'running') {
    sh.sim.emit('vsock.request', 'app', `The application VM asked updated "${request}": no answer, the system VM is ${sys.state}.`,
      ['app', 'pv-buffers'], { op: 'update-timing', request, verdict: 'no-answer' });
    return sh.error(`update: updated unreachable over vsock: the system VM is ${sys.state}`);
  }
  vsockTransfer(sh.sim);
  let verdict: 'ok' | 'refused' = 'ok';
  let answer: string;
  if (op === undefined) answer = status();
  else if (op === 'release') {
    HOLD.delete(sh.sim);
    answer = 'hold released: an applied update restarts its VM at once';
  } else if (op === 'hold') {
    const minutes = Number(n);
    if (!(minutes >= 1 && minutes <= MAX_HOLD_MINUTES)) {
      verdict = 'refused';
      answer = `refused: a hold is 1 to ${MAX_HOLD_MINUTES} minutes (the system decides when updates land; the application VM may only ask to wait)`;
    } else {
      HOLD.set(sh.sim, sh.sim.now + minutes * 60_000);
      answer = status();
    }
  } else {
    return sh.error(`update: in the application VM only '${APP_TIMING}' — updates are applied by the system VM`);
  }
  sh.sim.emit('vsock.request', 'app', `The application VM asked updated "${request}": ${verdict === 'ok' ? answer : answer.replace(/^refused: /, 'refused, ')}.`,
    ['app', 'pv-buffers'], { op: 'update-timing', request, verdict });
  if (verdict === 'ok') sh.print(`updated (system VM): ${answer}`);
  else sh.error(`updated (system VM): ${answer}`);
}

const NAMES: Record<ImageVm, string> = { system: 'system VM', app: 'application VM' };

export function updateCommand(sh: Shell, args: string[]): void {
  const service = sh.sim.updates;
  const [sub, name] = args;
  if (sub === 'timing') return timing(sh, args.slice(1));
  if (sh.vm !== 'system') return sh.error(`update: in the application VM only '${APP_TIMING}' — updates are applied by the system VM`);
  // Checked first: `update apply <bundle> --dry-run` would otherwise apply it, and reboot into it.
  if (refuseExtra(sh, 'update', args, sub === 'apply' || sub === 'rollback' ? 2 : 1, UPDATE_USAGE)) return;
  // Built for this SoC's application cores.
  const bundles = builtinBundles(imagesArch(sh.sim.board));
  if (sub === 'list' || sub === undefined) {
    const lines = ['Bundles on offer:'];
    for (const b of bundles.values()) lines.push(`  ${b.name.padEnd(22)} ${b.summary}`);
    lines.push('Boot configurations:', ...service.system.describe().map((l) => '  ' + l), ...service.app.describe().map((l) => '  ' + l));
    return sh.print(lines.join('\n'));
  }
  if (sub === 'rollback') {
    const vm: ImageVm | undefined = name === undefined || name === 'system' ? 'system' : name === 'app' ? 'app' : undefined;
    if (!vm) return sh.error(`update: rollback which image? '${name}' is neither system nor app — update rollback [system|app]`);
    const r = service.rollback(vm);
    if (!r.ok) return sh.error(`updated: rollback refused: ${r.reason}`);
    return sh.print(`updated: ${r.message}`);
  }
  if (sub !== 'apply') return sh.error(`update: unknown subcommand '${sub}' — ${UPDATE_USAGE}`);
  if (!name) return sh.error('update: apply which bundle? — see update list');
  const bundle = bundles.get(name);
  // A name on no bundle: nothing to verify or refuse (and no update.rejected event).
  if (!bundle) return sh.error(`update: there is no bundle named ${name} — update list shows the ${bundles.size} on offer (${[...bundles.keys()].join(', ')})`);
  sh.print(`updated: verifying ${bundle.fragments.length} fragments of ${bundle.name} (signatures, file hashes, overlap, version pins)`);
  sh.guest.after(300, () => {
    const r = service.applyNamed(name, bundles);
    if (!r.ok) return sh.error(`updated: REJECTED — ${r.reason}\nupdated: boot configurations unchanged (see update list)`);
    const target = bundle.target;
    sh.print(`updated: ${r.message}`);
    const held = holdLeftMs(sh);
    if (held > 0) {
      // The restart waits for the hold the application VM asked for; a reboot before then boots the update anyway.
      sh.print(`updated: the application VM asked to hold restarts until ${clock(sh.sim.now + held)}: the ${NAMES[target]} restarts into it then (update timing)`);
      sh.sim.schedule(held, () => {
        if (sh.sim.updates[target].next) sh.sim.rebootVm(target);
      });
      return;
    }
    sh.print(`updated: restarting the ${NAMES[target]} to boot it; the ${NAMES[target === 'system' ? 'app' : 'system']} keeps running`);
    sh.guest.after(200, () => sh.sim.rebootVm(target));
  });
}
