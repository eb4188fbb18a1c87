// The built-in images and update bundles. System OS 1.0 and Device Maker OS 5.2
// are the images the system and application VMs boot today (same files as the
// narrated images had), now as signed fragments; the bundles exercise every
// path of an update: valid, bad signature, overlapping fragments, a build that
// cannot start init, and version pins between the two images.

import { bytesOf, keyFromName, type Bytes } from '../crypto/signing.ts';
import type { BootConfig } from './compose.ts';
import { makeFragment, type Fragment, type ImageTarget } from './fragment.ts';
import { KINDS } from '../../model/catalog.ts';
import type { Board, ComponentKind } from '../../model/types.ts';
import { profile } from '../../model/profiles.ts';
import { virtioType } from '../devices.ts';

export const VENDOR_KEY_NAME = 'vendor release key';

/** The system kernel's panic= timeout (its /boot/cmdline): seconds from a panic to the reset it makes. */
export const SYSTEM_PANIC_S = 2;
/** panic= on each Linux VM's kernel command line (its /boot/cmdline): the system VM's resets itself, the application VM's has none and waits for the VMM. */
export function panicTimeoutS(vm: 'system' | 'app'): number {
  return vm === 'system' ? SYSTEM_PANIC_S : 0;
}
/** How the system VM's console and events say it (kernel-parameters.txt, panic=). */
export const SYSTEM_PANIC_WORDS = `after ${SYSTEM_PANIC_S} s (panic=${SYSTEM_PANIC_S} on its command line)`;

/** A bundle on offer: a complete boot configuration for one image. */
export interface Bundle extends BootConfig {
  name: string;
  summary: string;
}

/**
 * The application cores' architecture, as uname -m says it: the images are built for it (a 32-bit
 * Arm kernel runs only 32-bit Arm programs, an arm64 one is booted from an arm64 Image).
 */
export type Arch = 'armv7l' | 'aarch64';

/** The architecture a board's images are built for: its SoC's application cores'. */
export function imagesArch(board: Board): Arch {
  return profile(board.soc).arch.application === 'armv7l' ? 'armv7l' : 'aarch64';
}

/** ELF e_type of each kind of file (ELF specification): a program, a shared library, a kernel module. */
const ELF_TYPES = { executable: 2, 'shared object': 3, relocatable: 1 } as const;

/**
 * A deterministic stand-in for a compiled program, library or kernel module: an ELF header for the
 * architecture (EI_CLASS 1 and e_machine EM_ARM, 40, for armv7l; 2 and EM_AARCH64, 183, for
 * aarch64; little-endian; e_version 1), then, past the 64 bytes of the largest header, a line
 * saying what it is, padded.
 */
function elf(arch: Arch, what: string, size = 6 * 1024, type: keyof typeof ELF_TYPES = 'executable'): Bytes {
  const out = new Uint8Array(size);
  const wide = arch === 'aarch64';
  out.set([0x7f, 0x45, 0x4c, 0x46, wide ? 2 : 1, 1, 1, 0]); // magic, class, little-endian, version 1
  const machine = wide ? 183 : 40;
  out.set([ELF_TYPES[type], 0, machine, 0, 1, 0, 0, 0], 16); // e_type, e_machine, e_version
  const text = bytesOf(`\n${wide ? 'aarch64' : 'arm'} ${type}: ${what}\n`);
  out.set(text.subarray(0, size - 64), 64);
  xorshiftFill(out, 64 + text.length, what);
  return out;
}

/**
 * When each kernel was built: its UTS_VERSION, "#<build number> SMP PREEMPT <date>", which the
 * build fixes into the image's banner and uname(2) returns as `version` (init/version-timestamp.c,
 * scripts/mkcompile_h; the date is `LC_ALL=C date` at build time). Every build has CONFIG_SMP, as
 * the multi_v7 and arm64 defconfigs do, so a one-core SoC says SMP too.
 */
const KERNEL_BUILT: Record<string, string> = {
  '6.6.30-sys': 'Fri May 17 10:21:44 UTC 2024',
  '6.6.45-sys': 'Wed Aug 14 08:02:19 UTC 2024',
  '6.12.8-sys': 'Fri Jan 10 16:40:03 UTC 2025',
  '5.15.148-devicemaker': 'Thu Feb 15 14:07:52 UTC 2024',
  '5.15.160-devicemaker': 'Thu Jun 20 11:35:27 UTC 2024',
  '6.1.90-devicemaker': 'Thu May 16 09:12:58 UTC 2024',
};

/** A kernel release's UTS_VERSION (`uname -v`). */
export function kernelVersion(release: string): string {
  return `#1 SMP PREEMPT ${KERNEL_BUILT[release] ?? 'Thu Feb 15 14:07:52 UTC 2024'}`;
}

/**
 * A kernel image for the architecture. arm64's Image carries the magic "ARM\x64" at offset 0x38
 * (Documentation/arch/arm64/booting.rst), and here the kernel's banner after its header. A 32-bit
 * Arm zImage carries the magic 0x016F2818 at offset 0x24, then its start and end addresses
 * (Documentation/arch/arm/booting.rst); the kernel and its banner are compressed inside it.
 */
function kernelImage(arch: Arch, release: string): Bytes {
  // 1 MiB each, and the 2.0 variants share one kernel: made once per release (fragment contents are never written).
  const key = `${arch} ${release}`;
  let out = kernels.get(key);
  if (out) return out;
  out = new Uint8Array(1 << 20);
  if (arch === 'aarch64') {
    out.set([0x41, 0x52, 0x4d, 0x64], 0x38);
    out.set(bytesOf(`Linux version ${release} (builder@devicemaker) ${kernelVersion(release)}\n`), 0x40);
    xorshiftFill(out, 0x100, release);
  } else {
    const le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
    out.set([...le(0x016f2818), ...le(0), ...le(out.length)], 0x24);
    xorshiftFill(out, 0x30, release);
  }
  kernels.set(key, out);
  return out;
}
const kernels = new Map<string, Bytes>();

/** Is this machine little-endian (a Uint32Array's first byte in memory its lowest)? */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Filler bytes from xorshift32 seeded by the name: same program, same bytes, every run. One
 * step per byte, its low 8 bits; the aligned middle is stored four steps to a 32-bit word (the
 * same bytes on a little-endian machine, at a quarter of the stores: the two 1 MiB kernels are
 * filled at every start of `lab`, on its first boot).
 */
export function xorshiftFill(out: Uint8Array, from: number, seedText: string): void {
  let x = 2166136261;
  for (const c of seedText) x = Math.imul(x ^ c.charCodeAt(0), 16777619) >>> 0;
  x ||= 1;
  let i = from;
  if (LITTLE_ENDIAN) {
    for (; i < out.length && ((out.byteOffset + i) & 3) !== 0; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      out[i] = x & 0xff;
    }
    const n = (out.length - i) >> 2;
    if (n > 0) {
      const words = new Uint32Array(out.buffer, out.byteOffset + i, n);
      for (let w = 0; w < n; w++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        let v = x & 0xff;
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        v |= (x & 0xff) << 8;
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        v |= (x & 0xff) << 16;
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        words[w] = v | (x << 24);
      }
      i += n * 4;
    }
  }
  for (; i < out.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
}

const SYSTEM_README = 'This is the system VM. It owns the security processor, flash and the primary\nnetwork, and runs the VMM, networkd, the update service and the security monitor.\nTry: vmm list, lsdev, cat /etc/networkd/egress.conf\n';
const APP_README = 'This is the application VM: the device maker\'s own OS and code. Peripherals are\npassed through directly; shared ones appear as paravirtual devices served by the\nsystem VM. Files outside /data are reset when the VM is refreshed.\nTry: lsdev, ifconfig, ping updates.vendor.example, attack malware\n';
export const DEFAULT_EGRESS = [
  '# networkd egress policy for the application VM (one rule a line)',
  '# allow <host>            the host may be reached',
  '# block <pattern> <cat>   hosts matching the pattern are refused (category)',
  'allow updates.vendor.example', 'allow api.vendor.example', 'allow time.example',
  'block *.ads.example ads', 'block *.tracking.example tracking', '',
].join('\n');

function osRelease(name: string, version: string, id: string): string {
  return `NAME="${name}"\nVERSION="${version}"\nID=${id}\nVERSION_ID=${version}\n`;
}

interface SystemBuild {
  version: string;
  kernel: string;
  key?: string;
  /** Fragment names whose signature is made with another key. */
  badSignature?: string;
  /** The base fragment also carries a file the net fragment has. */
  overlap?: boolean;
  /** The base fragment's init and shell are truncated to 0 bytes. */
  brokenInit?: boolean;
}

function systemFragments(b: SystemBuild, arch: Arch): Fragment[] {
  const vendor = keyFromName(VENDOR_KEY_NAME);
  const keyFor = (name: string) => (b.badSignature === name ? keyFromName('attacker') : vendor);
  const v = b.version;
  const frag = (name: string, files: Record<string, string | Bytes>, settings?: Record<string, string>) =>
    makeFragment(keyFor(name), { name, version: v, target: 'system', files, settings });
  const base: Record<string, string | Bytes> = {
    '/sbin/init': b.brokenInit ? '' : elf(arch, `init (system OS ${v})`),
    '/bin/sh': b.brokenInit ? '' : elf(arch, `sh (system OS ${v})`),
    '/lib/libc.so': elf(arch, `libc (system OS ${v})`, 12 * 1024, 'shared object'),
    '/etc/os-release': osRelease('System OS', v, 'system-os'),
    '/etc/hostname': 'system-vm\n',
    '/root/README': SYSTEM_README,
    '/var/log/vmm.log': 'vmm: started\n',
  };
  if (b.overlap) base['/usr/lib/libnet.so'] = elf(arch, `libnet (system OS ${v}, duplicate)`, undefined, 'shared object');
  return [
    frag(`system-kernel-${b.kernel}`, { '/boot/Image': kernelImage(arch, b.kernel), '/boot/cmdline': `console=ttyAMA0 ro panic=${SYSTEM_PANIC_S}\n` }, { 'kernel.release': b.kernel }),
    frag(`system-base-${v}`, base, { 'os.id': 'system-os', 'os.version': v }),
    frag(`system-net-${v}`, {
      '/usr/sbin/networkd': elf(arch, `networkd ${v}`), '/usr/lib/libnet.so': elf(arch, `libnet ${v}`, undefined, 'shared object'),
      '/etc/networkd/egress.conf': DEFAULT_EGRESS,
    }),
    frag(`system-services-${v}`, {
      '/usr/sbin/vmm': elf(arch, `vmm ${v}`), '/usr/sbin/updated': elf(arch, `updated ${v}`), '/usr/sbin/secmon': elf(arch, `secmon ${v}`),
    }),
  ];
}

/**
 * The module file that drives a device in the application VM: a passed-through
 * device has the device maker's own driver, built out of tree and installed
 * where kbuild puts external modules (/lib/modules/<release>/extra,
 * Documentation/kbuild/modules.rst); a paravirtual one the kernel's virtio
 * front end (virtio_net, virtio_blk), or the virtio vsock transport its
 * requests go over.
 */
export function driverModule(kind: ComponentKind, access: 'direct' | 'paravirtual', release: string): string {
  const dir = `/lib/modules/${release}`;
  if (access === 'direct') return `${dir}/extra/devicemaker-${kind}.ko`;
  const virtio = virtioType(kind);
  if (virtio === 'virtio-net') return `${dir}/kernel/drivers/net/virtio_net.ko`;
  if (virtio === 'virtio-blk') return `${dir}/kernel/drivers/block/virtio_blk.ko`;
  return `${dir}/kernel/net/vmw_vsock/vmw_vsock_virtio_transport.ko`;
}

/** Every module the application VM's kernel ships: one per kind of device it can be given, either way. */
function appModules(arch: Arch, release: string): Record<string, Bytes> {
  const out: Record<string, Bytes> = {};
  for (const kind of Object.keys(KINDS) as ComponentKind[]) {
    for (const access of ['direct', 'paravirtual'] as const) {
      const path = driverModule(kind, access, release);
      out[path] ??= elf(arch, `kernel module ${path.slice(path.lastIndexOf('/') + 1)} for Linux ${release}`, 2 * 1024, 'relocatable');
    }
  }
  return out;
}

function appFragments(version: string, kernel: string, requires: string, arch: Arch): Fragment[] {
  const vendor = keyFromName(VENDOR_KEY_NAME);
  const frag = (name: string, files: Record<string, string | Bytes>, settings?: Record<string, string>) =>
    makeFragment(vendor, { name, version, target: 'app', files, settings });
  return [
    frag(`app-kernel-${kernel}`, { '/boot/Image': kernelImage(arch, kernel), '/boot/cmdline': 'console=hvc0 ro\n', ...appModules(arch, kernel) }, { 'kernel.release': kernel }),
    frag(`app-base-${version}`, {
      '/sbin/init': elf(arch, `init (Device Maker OS ${version})`), '/bin/sh': elf(arch, `sh (Device Maker OS ${version})`),
      '/lib/libc.so': elf(arch, `libc (Device Maker OS ${version})`, 12 * 1024, 'shared object'),
      '/etc/os-release': osRelease('Device Maker OS', version, 'devicemaker'), '/etc/hostname': 'app-vm\n',
      '/root/README': APP_README, '/var/log/app.log': 'app: started\n', '/tmp/.keep': '',
    }, { 'os.id': 'devicemaker', 'os.version': version, 'requires.system-os': requires }),
    frag(`app-device-${version}`, { '/usr/bin/device-app': elf(arch, `device-app ${version}`, 24 * 1024) }),
  ];
}

/**
 * A bundle whose fragments are made (files built, hashed, signed) when first read: a run that
 * never lists or applies an update pays only for the two factory images. Made once, then the
 * same objects every time (signing and hashing are deterministic).
 */
function lazyBundle(head: Omit<Bundle, 'fragments'>, make: () => Fragment[]): Bundle {
  let fragments: Fragment[] | undefined;
  return { ...head, get fragments() { return (fragments ??= make()); } };
}

const caches = new Map<Arch, Map<string, Bundle>>();

/** Every built-in bundle by name, built for the application cores' architecture (a board's: imagesArch; arm64 where none is given). */
export function builtinBundles(arch: Arch = 'aarch64'): Map<string, Bundle> {
  const cached = caches.get(arch);
  if (cached) return cached;
  const all: Bundle[] = [];
  const sys = (name: string, summary: string, b: SystemBuild) =>
    all.push(lazyBundle({ name, summary, target: 'system', label: name, version: b.version }, () => systemFragments(b, arch)));
  const app = (name: string, summary: string, version: string, kernel: string, requires: string) =>
    all.push(lazyBundle({ name, summary, target: 'app', label: name, version }, () => appFragments(version, kernel, requires, arch)));
  sys('system-os-1.0', 'System OS 1.0, the factory image', { version: '1.0', kernel: '6.6.30-sys' });
  sys('system-os-2.0', 'System OS 2.0: a valid update', { version: '2.0', kernel: '6.6.45-sys' });
  sys('system-os-2.0-badsig', 'System OS 2.0 whose network fragment is signed with another key', { version: '2.0', kernel: '6.6.45-sys', badSignature: 'system-net-2.0' });
  sys('system-os-2.0-overlap', 'System OS 2.0 whose base fragment also carries /usr/lib/libnet.so', { version: '2.0', kernel: '6.6.45-sys', overlap: true });
  sys('system-os-2.0-badboot', 'System OS 2.0, validly signed, but its init and shell are truncated: the kernel panics', { version: '2.0', kernel: '6.6.45-sys', brokenInit: true });
  sys('system-os-3.0', 'System OS 3.0: valid, but outside the OS versions the application image pins', { version: '3.0', kernel: '6.12.8-sys' });
  app('app-os-5.2', 'Device Maker OS 5.2, the factory image', '5.2', '5.15.148-devicemaker', '>=1.0 <3.0');
  app('app-os-5.3', 'Device Maker OS 5.3: a valid application-image update', '5.3', '5.15.160-devicemaker', '>=1.0 <3.0');
  app('app-os-6.0', 'Device Maker OS 6.0: needs System OS 2.0 or later', '6.0', '6.1.90-devicemaker', '>=2.0 <4.0');
  const bundles = new Map(all.map((b) => [b.name, b]));
  caches.set(arch, bundles);
  return bundles;
}

export function builtinBundle(name: string, arch: Arch = 'aarch64'): Bundle | undefined {
  return builtinBundles(arch).get(name);
}

/** The factory boot configuration of each image. */
export function factoryConfig(target: ImageTarget, arch: Arch = 'aarch64'): Bundle {
  return builtinBundle(target === 'system' ? 'system-os-1.0' : 'app-os-5.2', arch)!;
}

const appCaches = new Map<Arch, Fragment[]>();

/** The apps' own packages, installed into the application VM's image at each refresh. */
export function builtinApps(arch: Arch = 'aarch64'): Fragment[] {
  const cached = appCaches.get(arch);
  if (cached) return cached;
  const vendor = keyFromName(VENDOR_KEY_NAME);
  const pkg = (app: string, version: string, trusted: boolean) => makeFragment(vendor, {
    name: `app-${app}-${version}`, version, target: 'app',
    files: { [`/opt/apps/${app}/bin/${app}`]: elf(arch, `${app} ${version}`, 16 * 1024), [`/opt/apps/${app}/app.conf`]: `name=${app}\nversion=${version}\ntrusted=${trusted}\n` },
    settings: { [`app.${app}`]: version },
  });
  const apps = [pkg('browser', '1.4', false), pkg('media-player', '2.1', true)];
  appCaches.set(arch, apps);
  return apps;
}
