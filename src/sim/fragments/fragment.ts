// An image fragment (seed 004, "Boot and update from runtime merged image
// fragments", US 11,886,868 B2): a signed unit made of a manifest — name,
// version, target image, every file with its size and SHA-256, settings — and
// the file contents. The signature covers the manifest's exact bytes and the
// manifest pins every content by hash, so one signature check plus one hash per
// file proves the whole fragment.

import { bytesOf, sha256Hex, sign, type Bytes, type SigningKey } from '../crypto/signing.ts';
import { textOf } from './text.ts';

export type ImageTarget = 'system' | 'app';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  name: string;
  version: string;
  target: ImageTarget;
  files: ManifestFile[];
  settings: Record<string, string>;
}

export interface Fragment {
  /** The manifest exactly as signed (UTF-8 text, one record a line). */
  manifest: Bytes;
  /** Ed25519 signature over `manifest`, hex. */
  signature: string;
  /** Who signed it, for messages only: trust comes from the key, never from this name. */
  signer: string;
  contents: Map<string, Bytes>;
}

export interface FragmentSpec {
  name: string;
  version: string;
  target: ImageTarget;
  files: Record<string, string | Bytes>;
  settings?: Record<string, string>;
}

const HEADER = 'isolation-lab fragment 1';
const TOKEN = /^[^\s]+$/;

export function manifestText(m: Manifest): string {
  const lines = [HEADER, `name ${m.name}`, `version ${m.version}`, `target ${m.target}`];
  for (const [k, v] of Object.entries(m.settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) lines.push(`setting ${k}=${v}`);
  for (const f of m.files) lines.push(`file ${f.path} ${f.size} ${f.sha256}`);
  return lines.join('\n') + '\n';
}

/** Builds and signs a fragment. Paths and names are single tokens so the manifest parses back unambiguously. */
export function makeFragment(key: SigningKey, spec: FragmentSpec): Fragment {
  const contents = new Map<string, Bytes>();
  const files: ManifestFile[] = [];
  for (const path of Object.keys(spec.files).sort()) {
    if (!path.startsWith('/') || !TOKEN.test(path)) throw new Error(`fragment ${spec.name}: bad path "${path}" (absolute, no spaces)`);
    const bytes = bytesOf(spec.files[path]);
    contents.set(path, bytes);
    files.push({ path, size: bytes.length, sha256: sha256Hex(bytes) });
  }
  for (const [k, v] of Object.entries(spec.settings ?? {})) {
    if (!TOKEN.test(k) || k.includes('=') || /\n/.test(v)) throw new Error(`fragment ${spec.name}: bad setting "${k}"`);
  }
  const text = manifestText({ name: spec.name, version: spec.version, target: spec.target, files, settings: spec.settings ?? {} });
  const manifest = bytesOf(text);
  return { manifest, signature: sign(key, manifest), signer: key.name, contents };
}

/** Parses a manifest; throws with the offending line when it is not well formed. */
export function parseManifest(bytes: Bytes): Manifest {
  const text = textOf(bytes);
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error('manifest does not end with a newline');
  if (lines[0] !== HEADER) throw new Error('manifest header is not "isolation-lab fragment 1"');
  const m: Partial<Manifest> & { files: ManifestFile[]; settings: Record<string, string> } = { files: [], settings: {} };
  for (const line of lines.slice(1)) {
    const [word, ...rest] = line.split(' ');
    if (word === 'name' && rest.length === 1) m.name = rest[0];
    else if (word === 'version' && rest.length === 1) m.version = rest[0];
    else if (word === 'target' && (rest[0] === 'system' || rest[0] === 'app') && rest.length === 1) m.target = rest[0];
    else if (word === 'setting' && rest.length >= 1 && rest[0].includes('=')) {
      const s = rest.join(' ');
      m.settings[s.slice(0, s.indexOf('='))] = s.slice(s.indexOf('=') + 1);
    } else if (word === 'file' && rest.length === 3 && /^\d+$/.test(rest[1]) && /^[0-9a-f]{64}$/.test(rest[2])) {
      m.files.push({ path: rest[0], size: Number(rest[1]), sha256: rest[2] });
    } else throw new Error(`manifest line not understood: "${line.slice(0, 60)}"`);
  }
  if (!m.name || !m.version || !m.target) throw new Error('manifest lacks its name, version or target');
  return m as Manifest;
}

/** The name a fragment gives itself, read without trusting it (for messages about unverified fragments). */
export function claimedName(f: Fragment): string {
  const line = textOf(f.manifest).split('\n').find((l) => l.startsWith('name '));
  return line ? line.slice(5).slice(0, 60) : '(unnamed fragment)';
}

// Layout of a composite image file (seed 004, FIG. 2): a root file describing the
// region files; a metadata region (file attributes and where each content lies);
// data regions for contents of 1 KiB or more, each content starting on a 4 KiB
// page; a small-data region packing contents under 1 KiB unaligned to save space.
export const PAGE = 4096;
export const SMALL_LIMIT = 1024;
/** Bytes of one metadata record besides its path: attributes, size, region number and offset, hash. */
const METADATA_RECORD = 64;
const ROOT_FILE = 512;

export interface Layout {
  rootFile: number;
  metadata: { bytes: number; records: number };
  data: { bytes: number; files: number; pages: number; padding: number };
  smallData: { bytes: number; files: number };
  total: number;
}

export function layoutOf(m: Manifest): Layout {
  let meta = 0, dataBytes = 0, dataFiles = 0, pages = 0, small = 0, smallFiles = 0;
  for (const f of m.files) {
    meta += METADATA_RECORD + bytesOf(f.path).length;
    if (f.size >= SMALL_LIMIT) {
      dataFiles++;
      dataBytes += f.size;
      pages += Math.ceil(f.size / PAGE);
    } else {
      smallFiles++;
      small += f.size;
    }
  }
  const dataRegion = pages * PAGE;
  return {
    rootFile: ROOT_FILE,
    metadata: { bytes: meta, records: m.files.length },
    data: { bytes: dataRegion, files: dataFiles, pages, padding: dataRegion - dataBytes },
    smallData: { bytes: small, files: smallFiles },
    total: ROOT_FILE + meta + dataRegion + small,
  };
}

/** `describe`: a fragment's identity and regions, one fact a line. */
export function describeFragment(f: Fragment): string[] {
  const m = parseManifest(f.manifest);
  const l = layoutOf(m);
  const settings = Object.entries(m.settings).map(([k, v]) => `${k}=${v}`).join(', ');
  return [
    `fragment ${m.name} ${m.version} for the ${m.target} image, signed by the ${f.signer}`,
    `  root file        ${l.rootFile} B (describes the region files)`,
    `  metadata region  ${l.metadata.bytes} B, ${l.metadata.records} records (attributes, sizes, hashes, content offsets)`,
    `  data region      ${l.data.bytes} B, ${l.data.files} files ≥ ${SMALL_LIMIT} B in ${l.data.pages} pages of ${PAGE} B (${l.data.padding} B alignment padding)`,
    `  small-data       ${l.smallData.bytes} B, ${l.smallData.files} files < ${SMALL_LIMIT} B packed unaligned`,
    `  total            ${l.total} B` + (settings ? `; settings: ${settings}` : ''),
  ];
}
