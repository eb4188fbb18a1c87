// App packages and their certificates, checked with real Ed25519 signatures and
// SHA-256 (signing.ts). As in seed 003, trust is decided by checking the app's
// certificate: a package signed by a developer whose certificate chains to a
// root in the device's trust store is trusted and runs directly; one with no
// certificate or a certificate that does not chain is untrusted and runs in a
// container; a package whose content does not match its manifest hash or its
// signature has been altered and is refused.

import { keyFromName, sha256Hex, sign, toHex, fromHex, verify, type SigningKey } from '../crypto/signing.ts';

export const RESOURCE_KINDS = ['decoder', 'display-port', 'audio', 'camera', 'socket'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** A small certificate: who holds which public key, vouched for by an issuer's signature. */
export interface Certificate {
  subject: string;
  /** Ed25519 public key, hex. */
  publicKey: string;
  issuer: string;
  /** The issuer's signature over certificateMessage(), hex. */
  signature: string;
}

/** A root the device trusts: a name and its public key. */
export interface TrustRoot { name: string; publicKey: string }
export interface TrustStore { roots: TrustRoot[] }

/** What an app does after its first process is up: later processes and memory growth. */
export interface AppStep {
  /** Milliseconds after the previous step (the first: after the first PID is captured). */
  afterMs: number;
  /** Starts another process of the app (a child of its first). */
  spawn?: { command: string; rssKiB: number };
  /** Grows the first process by this many KiB. */
  allocKiB?: number;
  /** Repeats this step forever. */
  repeat?: boolean;
}

export interface AppPackage {
  name: string;
  version: string;
  /** Files and their content; the manifest hash covers them. */
  files: Record<string, string>;
  /** SHA-256 over the files (manifestHashOf), as the package declares it. */
  manifestHash: string;
  resources: ResourceKind[];
  /** The container's memory limit (cgroup memory.max), KiB. */
  memoryLimitKiB: number;
  /** Memory of the first process when it starts, KiB. */
  rssKiB: number;
  /** The first process's command line. */
  command: string;
  /** False for an app whose first process never reports its PID. */
  capturesPid: boolean;
  steps?: AppStep[];
  /** Developer signature over packageMessage(), hex; absent = unsigned. */
  signature?: string;
  certificate?: Certificate;
}

export function certificateMessage(c: Pick<Certificate, 'subject' | 'publicKey' | 'issuer'>): string {
  return `isolation-lab/certificate\nsubject: ${c.subject}\npublic-key: ${c.publicKey}\nissuer: ${c.issuer}\n`;
}

/** SHA-256 over the sorted list of "path sha256(content)" lines. */
export function manifestHashOf(files: Record<string, string>): string {
  return sha256Hex(Object.keys(files).sort().map((f) => `${f} ${sha256Hex(files[f])}\n`).join(''));
}

/** What the developer signs: everything that decides what the app may do. */
export function packageMessage(p: AppPackage): string {
  return `isolation-lab/app-package\nname: ${p.name}\nversion: ${p.version}\nmanifest: ${p.manifestHash}\n`
    + `resources: ${p.resources.join(',')}\nmemory-limit-kib: ${p.memoryLimitKiB}\ncommand: ${p.command}\n`;
}

export function issueCertificate(issuer: SigningKey, subject: SigningKey): Certificate {
  const body = { subject: subject.name, publicKey: toHex(subject.publicKey), issuer: issuer.name };
  return { ...body, signature: sign(issuer, certificateMessage(body)) };
}

export function signPackage(p: AppPackage, developer: SigningKey, certificate: Certificate): AppPackage {
  return { ...p, signature: sign(developer, packageMessage(p)), certificate };
}

export type Verdict =
  | { kind: 'trusted'; developer: string; root: string }
  | { kind: 'untrusted'; why: string }
  | { kind: 'tampered'; why: string };

/**
 * The install-time check: content against the manifest hash, the signature
 * against the certificate's key, the certificate against the trust store.
 */
export function checkPackage(p: AppPackage, store: TrustStore): Verdict {
  const actual = manifestHashOf(p.files);
  if (actual !== p.manifestHash)
    return { kind: 'tampered', why: `its files hash to ${actual.slice(0, 12)}…, not the manifest's ${p.manifestHash.slice(0, 12)}… — a file was changed after packaging` };
  if (!p.certificate) {
    if (p.signature) return { kind: 'untrusted', why: 'it is signed but carries no certificate, so nobody vouches for the key' };
    return { kind: 'untrusted', why: 'it is unsigned' };
  }
  const c = p.certificate;
  let key: Uint8Array;
  try {
    key = fromHex(c.publicKey);
  } catch {
    return { kind: 'untrusted', why: `its certificate's public key is not valid hex` };
  }
  if (!p.signature || !verify(key, packageMessage(p), p.signature))
    return { kind: 'tampered', why: `its manifest does not match the signature by ${c.subject}'s key — the package was altered after signing` };
  const root = store.roots.find((r) => r.name === c.issuer);
  if (!root) return { kind: 'untrusted', why: `its certificate is issued by '${c.issuer}', which is not a root in the device's trust store` };
  if (!verify(fromHex(root.publicKey), certificateMessage(c), c.signature))
    return { kind: 'untrusted', why: `its certificate claims issuer '${c.issuer}' but that root's key did not sign it` };
  return { kind: 'trusted', developer: c.subject, root: root.name };
}

// ---- Built-in keys and packages -------------------------------------------------
// Keys derived from names (keyFromName) so every run has the same ones. Made (keys derived,
// packages signed, certificates issued) when first asked for: a run that never launches an app
// never pays for them, and signing is deterministic, so they are the same whenever they are made.

/** The device vendor's app root: it certifies the developers whose apps the device trusts. */
export function deviceRoot(): SigningKey {
  return keyFromName('device vendor app root');
}

let trustStore: TrustStore | undefined;

/** The device's trust store: the device vendor's app root alone. */
export function defaultTrustStore(): TrustStore {
  return (trustStore ??= { roots: [{ name: deviceRoot().name, publicKey: toHex(deviceRoot().publicKey) }] });
}

function pkg(p: Omit<AppPackage, 'manifestHash'>): AppPackage {
  return { ...p, manifestHash: manifestHashOf(p.files) };
}

let builtin: AppPackage[] | undefined;

/** The built-in packages, one of each kind the supervisor must tell apart. */
export function builtinPackages(): AppPackage[] {
  if (builtin) return builtin;
  const mediaDeveloper = keyFromName('media studio developer');
  const recipeDeveloper = keyFromName('home cooking developer');
  const unknownCa = keyFromName('unlisted certificate authority');
  const mediaPlayer = signPackage(pkg({
    name: 'media-player', version: '2.1.0', command: '/usr/bin/media-player',
    files: { 'bin/media-player': 'ELF media-player 2.1.0', 'share/codecs.conf': 'h264=hw\naac=hw\n' },
    resources: ['decoder', 'display-port', 'audio'], memoryLimitKiB: 8192, rssKiB: 2600, capturesPid: true,
    steps: [{ afterMs: 300, spawn: { command: 'media-player --decode-thread', rssKiB: 700 } }],
  }), mediaDeveloper, issueCertificate(deviceRoot(), mediaDeveloper));
  builtin = [
    // Untrusted: reaches the web, ships unsigned.
    pkg({
      name: 'browser', version: '118.0', command: '/usr/bin/browser',
      files: { 'bin/browser': 'ELF browser 118.0', 'share/home.html': '<p>start page</p>' },
      resources: ['display-port', 'socket'], memoryLimitKiB: 12288, rssKiB: 3200, capturesPid: true,
      steps: [{ afterMs: 400, spawn: { command: 'browser --type=renderer', rssKiB: 1800 } }],
    }),
    // Trusted: signed by a developer whose certificate the device's root signed.
    mediaPlayer,
    // Never reports a PID: the supervisor must time it out.
    pkg({
      name: 'stuck-app', version: '0.1', command: '/usr/bin/stuck-app',
      files: { 'bin/stuck-app': 'ELF stuck-app 0.1' },
      resources: [], memoryLimitKiB: 2048, rssKiB: 300, capturesPid: false,
    }),
    // Untrusted: signed, but its developer's certificate chains to a root the device does not hold.
    signPackage(pkg({
      name: 'recipe-book', version: '3.4', command: '/usr/bin/recipe-book',
      files: { 'bin/recipe-book': 'ELF recipe-book 3.4', 'share/recipes.db': 'pancakes;bread;soup' },
      resources: [], memoryLimitKiB: 4096, rssKiB: 900, capturesPid: true,
    }), recipeDeveloper, issueCertificate(unknownCa, recipeDeveloper)),
    // Untrusted, and leaks: it grows until its container's memory limit stops it.
    pkg({
      name: 'memory-hog', version: '1.0', command: '/usr/bin/memory-hog',
      files: { 'bin/memory-hog': 'ELF memory-hog 1.0' },
      resources: [], memoryLimitKiB: 4096, rssKiB: 512, capturesPid: true,
      steps: [{ afterMs: 1000, allocKiB: 1024, repeat: true }],
    }),
    // Tampered: the media player's signed manifest, with one file swapped afterwards.
    { ...mediaPlayer, name: 'media-player-tampered', files: { ...mediaPlayer.files, 'bin/media-player': 'ELF media-player 2.1.0 + injected payload' } },
  ];
  return builtin;
}

export function findPackage(packages: AppPackage[], name: string): AppPackage | undefined {
  return packages.find((p) => p.name === name);
}
