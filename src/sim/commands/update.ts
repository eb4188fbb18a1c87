// `update` in the system VM: a thin adapter over the update service
// (fragments/updates.ts): list the bundles and the boot slots, apply a bundle
// (verified whole, version pins checked; the VM then reboots into it on trial),
// roll back.

import type { Shell } from './context.ts';
import { builtinBundles, type ImageVm } from '../fragments/index.ts';

const NAMES: Record<ImageVm, string> = { system: 'system VM', app: 'application VM' };

export function updateCommand(sh: Shell, args: string[]): void {
  const service = sh.sim.updates;
  const [sub, name] = args;
  if (sub === 'list' || sub === undefined) {
    const lines = ['Bundles on offer:'];
    for (const b of builtinBundles().values()) lines.push(`  ${b.name.padEnd(22)} ${b.summary}`);
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
  if (sub !== 'apply') return sh.error(`update: unknown subcommand '${sub}' — update list | update apply <bundle> | update rollback [system|app]`);
  if (!name) return sh.error('update: apply which bundle? — see update list');
  const bundle = builtinBundles().get(name);
  if (bundle) sh.print(`updated: verifying ${bundle.fragments.length} fragments of ${bundle.name} (signatures, file hashes, overlap, version pins)`);
  sh.guest.after(300, () => {
    const r = service.applyNamed(name, builtinBundles());
    if (!r.ok) return sh.error(`updated: REJECTED — ${r.reason}\nupdated: boot configurations unchanged (see update list)`);
    const target = bundle!.target;
    sh.print(`updated: ${r.message}`);
    sh.print(`updated: restarting the ${NAMES[target]} to boot it; the ${NAMES[target === 'system' ? 'app' : 'system']} keeps running`);
    sh.guest.after(200, () => sh.sim.rebootVm(target));
  });
}
