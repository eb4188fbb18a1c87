// Updates from signed image fragments (DOMAIN.md §5): an OS image is a list
// of signed fragments merged into one read-only volume. An update checks
// every fragment's signature and that no two fragments hold the same file,
// then switches the boot configuration's list; a bad bundle changes nothing,
// so the last known-good list stays in place.

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
