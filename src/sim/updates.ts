// Updates from signed image fragments (DOMAIN.md §5): an OS image is a list
// of signed fragments merged into one read-only volume. An update checks
// every fragment's signature and that no two fragments hold the same file,
// then switches the boot configuration's list; a bad bundle changes nothing,
// so the last known-good list stays in place.

import type { Shell } from './shell.ts';

export interface ImageFragment {
  name: string;
  files: string[];
  /** Whether the signature verifies against the vendor key. */
  signatureValid: boolean;
}

export interface UpdateBundle {
  name: string;
  target: 'system' | 'app';
  version: string;
  kernel: string;
  fragments: ImageFragment[];
}

const frag = (name: string, files: string[], signatureValid = true): ImageFragment => ({ name, files, signatureValid });

export const INITIAL_FRAGMENTS: Record<'system' | 'app', ImageFragment[]> = {
  system: [
    frag('system-base-1.0', ['/bin/sh', '/lib/libc.so', '/etc/os-release']),
    frag('system-net-1.0', ['/usr/sbin/networkd', '/usr/lib/libnet.so']),
    frag('system-services-1.0', ['/usr/sbin/vmm', '/usr/sbin/updated', '/usr/sbin/secmon']),
  ],
  app: [
    frag('app-base-5.2', ['/bin/sh', '/lib/libc.so', '/etc/os-release']),
    frag('app-oven-5.2', ['/usr/bin/oven-control']),
  ],
};

export const BUNDLES: UpdateBundle[] = [
  {
    name: 'system-os-2.0', target: 'system', version: '2.0', kernel: '6.6.45-sys',
    fragments: [
      frag('system-base-2.0', ['/bin/sh', '/lib/libc.so', '/etc/os-release']),
      frag('system-net-2.0', ['/usr/sbin/networkd', '/usr/lib/libnet.so']),
      frag('system-services-2.0', ['/usr/sbin/vmm', '/usr/sbin/updated', '/usr/sbin/secmon']),
    ],
  },
  {
    name: 'system-os-2.0-badsig', target: 'system', version: '2.0', kernel: '6.6.45-sys',
    fragments: [
      frag('system-base-2.0', ['/bin/sh', '/lib/libc.so', '/etc/os-release']),
      frag('system-net-2.0', ['/usr/sbin/networkd', '/usr/lib/libnet.so'], false),
      frag('system-services-2.0', ['/usr/sbin/vmm', '/usr/sbin/updated', '/usr/sbin/secmon']),
    ],
  },
  {
    name: 'system-os-2.0-overlap', target: 'system', version: '2.0', kernel: '6.6.45-sys',
    fragments: [
      frag('system-base-2.0', ['/bin/sh', '/lib/libc.so', '/etc/os-release', '/usr/lib/libnet.so']),
      frag('system-net-2.0', ['/usr/sbin/networkd', '/usr/lib/libnet.so']),
      frag('system-services-2.0', ['/usr/sbin/vmm', '/usr/sbin/updated', '/usr/sbin/secmon']),
    ],
  },
  {
    name: 'app-os-5.3', target: 'app', version: '5.3', kernel: '5.15.160-devicemaker',
    fragments: [
      frag('app-base-5.3', ['/bin/sh', '/lib/libc.so', '/etc/os-release']),
      frag('app-oven-5.3', ['/usr/bin/oven-control']),
    ],
  },
];

/** Validates a bundle; returns why it must be rejected, or null. */
export function validate(bundle: UpdateBundle): { reason: 'bad-signature' | 'overlap'; detail: string; fragment: string } | null {
  for (const f of bundle.fragments) {
    if (!f.signatureValid) return { reason: 'bad-signature', detail: `fragment ${f.name}: signature does not verify against the vendor key`, fragment: f.name };
  }
  const owner = new Map<string, string>();
  for (const f of bundle.fragments) {
    for (const file of f.files) {
      const other = owner.get(file);
      if (other) return { reason: 'overlap', detail: `${file} is in both ${other} and ${f.name}`, fragment: f.name };
      owner.set(file, f.name);
    }
  }
  return null;
}

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
