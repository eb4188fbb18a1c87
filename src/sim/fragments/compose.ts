// Boot-time composition (seed 004): verify every fragment of a boot
// configuration, then merge them in memory into one read-only root volume.
// A single failure refuses the whole configuration: nothing half-merged boots.

import { sha256Hex, verify, type Bytes } from '../crypto/signing.ts';
import { claimedName, parseManifest, type Fragment, type ImageTarget, type Manifest } from './fragment.ts';

/** What the device trusts: the vendor's public key as held by the security processor. */
export interface Trust {
  publicKey: Bytes;
  /** Where the key lives, for messages ("security processor sec0"). */
  keyHolder: string;
  /** Whether a crypto accelerator does the hashing and signature checks. */
  accelerator: boolean;
}

// Simulated verification cost. Assumed figures, order of magnitude for a small
// application core (Cortex-A7/A53 class near 1 GHz, software without the ARMv8
// crypto extensions): SHA-256 about 20 MiB/s and an Ed25519 verification about
// 1.5 ms; a SoC hash/PKA engine streams SHA-256 around 200 MiB/s and verifies a
// signature in about 0.1 ms. Only the ratio matters to the lessons: boot is
// visibly slower without an accelerator.
export const VERIFY_COST = {
  software: { bytesPerMs: (20 * 1048576) / 1000, signatureMs: 1.5 },
  accelerator: { bytesPerMs: (200 * 1048576) / 1000, signatureMs: 0.1 },
} as const;

export function verifyCostMs(bytes: number, signatures: number, accelerator: boolean): number {
  const c = accelerator ? VERIFY_COST.accelerator : VERIFY_COST.software;
  return Math.round((bytes / c.bytesPerMs + signatures * c.signatureMs) * 10) / 10;
}

export interface BootConfig {
  target: ImageTarget;
  /** The label shown in lists (the bundle it came from, e.g. "system-os-1.0"). */
  label: string;
  version: string;
  fragments: Fragment[];
}

export interface VolumeFile {
  bytes: Bytes;
  sha256: string;
  /** The fragment that provides it. */
  fragment: string;
}

export interface RootVolume {
  target: ImageTarget;
  label: string;
  version: string;
  fragments: { name: string; version: string }[];
  files: Map<string, VolumeFile>;
  /** Settings of all fragments, later fragments last (a key set twice is refused). */
  settings: Record<string, string>;
  bytes: number;
  /** Simulated time the verification took. */
  verifyMs: number;
}

export type Composed = { ok: true; volume: RootVolume } | { ok: false; fragment: string; reason: string; verifyMs: number };

export function compose(config: BootConfig, trust: Trust): Composed {
  const files = new Map<string, VolumeFile>();
  const settings: Record<string, string> = {};
  const settingFrom = new Map<string, string>();
  const fragments: RootVolume['fragments'] = [];
  let hashed = 0;
  let checked = 0;
  const refuse = (fragment: string, reason: string): Composed =>
    ({ ok: false, fragment, reason, verifyMs: verifyCostMs(hashed, checked, trust.accelerator) });
  if (config.fragments.length === 0) return refuse(config.label, 'the boot configuration lists no fragment');
  for (const f of config.fragments) {
    checked++;
    hashed += f.manifest.length;
    if (!verify(trust.publicKey, f.manifest, f.signature)) {
      return refuse(claimedName(f), `its signature does not verify against the vendor key held by the ${trust.keyHolder} (tampered, or signed by another key)`);
    }
    let m: Manifest;
    try {
      m = parseManifest(f.manifest);
    } catch (e) {
      return refuse(claimedName(f), (e as Error).message);
    }
    if (m.target !== config.target) return refuse(m.name, `it is built for the ${m.target} image, not the ${config.target} image`);
    const listed = new Set(m.files.map((x) => x.path));
    for (const path of f.contents.keys()) {
      if (!listed.has(path)) return refuse(m.name, `it carries ${path}, which its signed manifest does not list`);
    }
    for (const entry of m.files) {
      const bytes = f.contents.get(entry.path);
      if (!bytes) return refuse(m.name, `${entry.path} is listed in its manifest but missing`);
      hashed += bytes.length;
      if (bytes.length !== entry.size) return refuse(m.name, `${entry.path} is ${bytes.length} bytes, its manifest says ${entry.size}`);
      const sha = sha256Hex(bytes);
      if (sha !== entry.sha256) return refuse(m.name, `${entry.path} does not match its SHA-256 in the manifest (content changed after signing)`);
      const owner = files.get(entry.path);
      if (owner) return refuse(m.name, `${entry.path} is also provided by ${owner.fragment}: fragments may not overlap`);
      files.set(entry.path, { bytes, sha256: sha, fragment: m.name });
    }
    for (const [k, v] of Object.entries(m.settings)) {
      const other = settingFrom.get(k);
      if (other !== undefined) return refuse(m.name, `setting ${k} is also set by ${other}: fragments may not overlap`);
      settingFrom.set(k, m.name);
      settings[k] = v;
    }
    fragments.push({ name: m.name, version: m.version });
  }
  let bytes = 0;
  for (const f of files.values()) bytes += f.bytes.length;
  return {
    ok: true,
    volume: {
      target: config.target, label: config.label, version: config.version, fragments, files, settings, bytes,
      verifyMs: verifyCostMs(hashed, checked, trust.accelerator),
    },
  };
}

/** Executable content as the kernel's exec would accept it: an ELF image or a `#!` script. */
export function isExecutable(bytes: Bytes): boolean {
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return true;
  return bytes.length >= 2 && bytes[0] === 0x23 && bytes[1] === 0x21;
}

/**
 * What the kernel does after mounting the root volume: Linux (init/main.c,
 * kernel_init) tries /sbin/init, /etc/init, /bin/init and /bin/sh in turn and
 * panics when none of them can be executed. Each that exists but does not
 * execute is logged (try_to_run_init_process(): exec of a file with no ELF or
 * `#!` header fails with ENOEXEC, error -8).
 */
export function startInit(volume: RootVolume): { ok: true; init: string } | { ok: false; panic: string; log: string[] } {
  if (!volume.files.has('/boot/Image')) return { ok: false, panic: 'no kernel image /boot/Image in the root volume', log: [] };
  const log: string[] = [];
  for (const path of ['/sbin/init', '/etc/init', '/bin/init', '/bin/sh']) {
    const f = volume.files.get(path);
    if (f && isExecutable(f.bytes)) return { ok: true, init: path };
    if (f) log.push(`Starting init: ${path} exists but couldn't execute it (error -8)`);
  }
  return { ok: false, panic: 'Kernel panic - not syncing: No working init found.  Try passing init= option to kernel. See Linux Documentation/admin-guide/init.rst for guidance.', log };
}
