// The file tree a console sees. The system VM and the application VM see their
// root file system as Linux mounts it (fragments/guestfs.ts: the verified
// read-only volume merged from image fragments, a writable overlay, /data in
// the application VM) plus /dev, the device nodes the kernel's devtmpfs makes
// for the devices this environment has. The real-time container has no Linux
// root file system: its RTOS keeps a small table of files in RAM.

import type { Bytes } from './crypto/signing.ts';
import { GuestFs as RootFs, WHITEOUT, type DataStore, type RootVolume, type WriteResult } from './fragments/index.ts';
import { textOf } from './fragments/text.ts';
import { IoWait, printable } from './storage/appData.ts';

export interface Files {
  read(path: string): string | undefined;
  /** Writes a file; returns why it could not, or null. */
  write(path: string, content: string): string | null;
  isDir(path: string): boolean;
  /** Makes a directory (the Linux guests); returns why it could not, or null. */
  mkdir?(path: string): string | null;
  /** Removes a file, or with `dir` an empty directory (the Linux guests); returns why it could not, or null. */
  remove?(path: string, dir?: boolean): string | null;
  /** Entries directly under a directory; directories end in "/". */
  list(dir: string): string[];
  /** Reload from the image: drop every change outside /data. */
  resetToImage(): void;
}

export function normalizePath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

function childrenOf(paths: Iterable<string>, dir: string): Set<string> {
  const prefix = dir === '/' ? '/' : dir + '/';
  const names = new Set<string>();
  for (const f of paths) {
    if (!f.startsWith(prefix)) continue;
    const rest = f.slice(prefix.length);
    if (rest === '') continue; // the directory's own entry (mkdir)
    const slash = rest.indexOf('/');
    names.add(slash < 0 ? rest : rest.slice(0, slash) + '/');
  }
  return names;
}

/** The application VM's /data as the VMM provides it (storage/appData.ts). */
export interface DataMount {
  readonly store: DataStore;
  /** Whether a block request gets an answer now. */
  readonly served: boolean;
  /** Its block device node (/dev/vda), or null for a RAM file system. */
  readonly deviceNode: string | null;
  /** The device's bytes (all, or `length` from `offset`), block by block. */
  readDevice(offset?: number, length?: number): Bytes;
}

const inData = (path: string) => path === '/data' || path.startsWith('/data/');

/** A Linux guest's tree: the mounted root file system (none before the first boot) and /dev. */
export class RootFiles implements Files {
  root: RootFs | null = null;

  constructor(
    /** Device nodes by path (/dev/...), with what each one is. */
    private readonly devices: ReadonlyMap<string, string>,
    /** The application VM's /data, owned by the VMM so it outlives every refresh. */
    private readonly data?: DataMount,
    /** The overlay's tmpfs size in bytes: tmpfs defaults to half of RAM (Documentation/filesystems/tmpfs.rst). */
    private readonly overlayCapacity?: number,
  ) {}

  /**
   * Mounts a newly verified volume at a boot, over a new, empty overlay: the overlay's upper layer is
   * a tmpfs, kernel memory, which no boot keeps. Only /data outlives it.
   */
  mount(volume: RootVolume): void {
    this.root = new RootFs(volume, { ...(this.data ? { data: this.data.store } : {}), ...(this.overlayCapacity ? { overlayCapacity: this.overlayCapacity } : {}) });
  }

  resetToImage(): void {
    this.root?.overlay.clear();
  }

  /** Before any block request for `path`: throws IoWait when nobody would answer it. */
  private io(path: string): void {
    if (this.data && !this.data.served) throw new IoWait(path);
  }

  read(path: string): string | undefined {
    if (this.data?.deviceNode && path === this.data.deviceNode) {
      this.io(path);
      return printable(this.data.readDevice());
    }
    const dev = this.devices.get(path);
    if (dev !== undefined) return dev.endsWith('\n') ? dev : dev + '\n';
    if (this.data && inData(path)) this.io(path);
    const bytes = this.root?.read(path);
    return bytes && textOf(bytes);
  }

  /** A file's bytes (for hexdump), device nodes of block devices included (of which only the blocks asked for are read). */
  readBytes(path: string, range?: { offset: number; length: number }): Bytes | undefined {
    if (this.data?.deviceNode && path === this.data.deviceNode) {
      this.io(path);
      if (!range) return this.data.readDevice();
      // The caller slices from `offset`: keep the device's offsets by padding in front.
      const part = this.data.readDevice(range.offset, range.length);
      const out = new Uint8Array(range.offset + part.length);
      out.set(part, range.offset);
      return out;
    }
    if (this.data && inData(path)) this.io(path);
    return this.root?.read(path);
  }

  write(path: string, content: string): string | null {
    return this.change(path, (root) => root.write(path, content));
  }

  mkdir(path: string): string | null {
    return this.change(path, (root) => root.mkdir(path));
  }

  remove(path: string, dir = false): string | null {
    // A directory's entry is its path and a "/" (GuestFs.mkdir); its errors name the directory.
    return this.change(path, (root) => root.remove(dir ? path + '/' : path));
  }

  /** A change to the tree: none to /dev or before a root is mounted; /data's only while its storage answers. */
  private change(path: string, how: (root: RootFs) => WriteResult): string | null {
    if (path === '/dev' || path.startsWith('/dev/')) return `${path}: Permission denied (device nodes are made by the kernel)`;
    if (!this.root) return `${path}: Read-only file system (no root file system is mounted)`;
    if (this.data && inData(path)) this.io(path);
    const r = how(this.root);
    return r.ok ? null : r.error.replace(`${path}/: `, `${path}: `);
  }

  /** The root volume and the overlay, without /data (whose listing is block I/O). */
  private rootPaths(): string[] {
    if (!this.root) return [];
    const out = new Set<string>();
    for (const p of this.root.volume.files.keys()) if (!(this.data && inData(p))) out.add(p);
    for (const [p, v] of this.root.overlay) {
      if (v === WHITEOUT) out.delete(p);
      else out.add(p);
    }
    return [...out];
  }

  private paths(dir: string): string[] {
    const data = this.data && inData(dir) ? (this.io(dir), [...this.data.store.keys()]) : [];
    return [...this.rootPaths(), ...data, ...this.devices.keys()];
  }

  isDir(path: string): boolean {
    if (path === '/' || path === '/dev' || (this.data && path === '/data')) return true;
    const prefix = path + '/';
    return this.paths(path).some((f) => f.startsWith(prefix));
  }

  list(dir: string): string[] {
    const names = childrenOf(this.paths(dir), dir);
    if (dir === '/') {
      names.add('dev/');
      if (this.data) names.add('data/');
    }
    return [...names].sort();
  }
}

/** The real-time container's files: a fixed table, with changes kept in RAM until a refresh. */
export class PlainFiles implements Files {
  private overlay = new Map<string, string>();

  constructor(private readonly image: ReadonlyMap<string, string>) {}

  resetToImage(): void {
    this.overlay.clear();
  }

  read(path: string): string | undefined {
    return this.overlay.get(path) ?? this.image.get(path);
  }

  write(path: string, content: string): string | null {
    this.overlay.set(path, content);
    return null;
  }

  private paths(): string[] {
    return [...new Set([...this.image.keys(), ...this.overlay.keys()])];
  }

  isDir(path: string): boolean {
    if (path === '/') return true;
    const prefix = path + '/';
    return this.paths().some((f) => f.startsWith(prefix));
  }

  list(dir: string): string[] {
    return [...childrenOf(this.paths(), dir)].sort();
  }
}
