// `update` in the system VM: a thin adapter over the update mechanism (updates.ts).

import type { Shell } from './context.ts';
import { BUNDLES, validate } from '../updates.ts';

export function updateCommand(sh: Shell, args: string[]): void {
  const sim = sh.sim;
  const [sub, name] = args;
  if (sub === 'list' || sub === undefined) {
    const lines = ['Bundles on offer:'];
    for (const b of BUNDLES) lines.push(`  ${b.name.padEnd(24)} ${b.target} OS ${b.version} (${b.fragments.length} fragments)`);
    for (const vm of ['system', 'app'] as const) {
      lines.push(`Boot configuration of the ${vm === 'system' ? 'system VM' : 'application VM'} (OS ${sim.osVersion[vm]}):`);
      for (const f of sim.bootFragments[vm]) lines.push(`  ${f.name}  [${f.files.length} files, signed]`);
    }
    return sh.print(lines.join('\n'));
  }
  if (sub !== 'apply') return sh.error(`update: unknown subcommand '${sub}' — update list | update apply <bundle>`);
  const bundle = BUNDLES.find((b) => b.name === name);
  if (!bundle) return sh.error(`update: no bundle '${name ?? ''}' — see update list`);
  sh.print(`updated: checking ${bundle.fragments.length} fragments of ${bundle.name} (signatures, no overlap)`);
  sh.guest.after(300, () => {
    const problem = validate(bundle);
    if (problem) {
      sim.emit('update.rejected', 'system', `The update service rejected ${bundle.name}: ${problem.detail}; the last known-good boot configuration is unchanged.`,
        ['system'], { bundle: bundle.name, reason: problem.reason, fragment: problem.fragment });
      sh.error(`updated: REJECTED — ${problem.detail}\nupdated: boot configuration unchanged (still ${sim.bootFragments[bundle.target].map((f) => f.name).join(', ')})`);
      return;
    }
    const previous = sim.bootFragments[bundle.target].map((f) => f.name);
    sim.bootFragments[bundle.target] = bundle.fragments;
    sim.osVersion[bundle.target] = bundle.version;
    sim.kernelOverride[bundle.target] = bundle.kernel;
    const other = bundle.target === 'system' ? 'application VM' : 'system VM';
    sim.emit('update.applied', bundle.target,
      `${bundle.name} was validated and installed: the boot configuration now lists ${bundle.fragments.map((f) => f.name).join(', ')}; the ${other} is untouched.`,
      [bundle.target], { bundle: bundle.name, version: bundle.version, previous });
    sh.print(`updated: boot configuration switched to ${bundle.fragments.map((f) => f.name).join(', ')} (previous list kept as last known-good)`);
    sh.print(`updated: restarting the ${bundle.target === 'system' ? 'system VM' : 'application VM'}; the ${other} keeps running`);
    const target = bundle.target;
    sh.guest.after(200, () => sim.rebootVm(target));
  });
}
