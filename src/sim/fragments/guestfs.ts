// A guest's file tree as Linux would mount it: the read-only root volume merged
// from fragments, a writable overlay on top (overlayfs: reads fall through to the
// volume, writes and deletions stay in the overlay, a deletion of a volume file
// is a whiteout), and in the application VM /data, the user-data store that
// survives a refresh. A refresh is a new GuestFs over the same /data.

import type { Bytes } from '../crypto/signing.ts';
import type { RootVolume } from './compose.ts';
import { bytesOf } from './text.ts';

/**
 * Where /data lives: a Map in memory, or files stored in blocks on the virtual
 * block device (`BlockFs`). `set` may throw (disk full, I/O error); the message
 * is shown to the user.
 */
export interface DataStore {
  get(path: string): Bytes | undefined;
  has(path: string): boolean;
  set(path: string, bytes: Bytes): unknown;
  delete(path: string): boolean;
  keys(): Iterable<string>;
  values(): Iterable<Bytes>;
  [Symbol.iterator](): Iterator<[string, Bytes]>;
  /** The mount line's type (default ext4-like Map store: "ext4"). */
  readonly fsType?: string;
  /** The device it is mounted from (default "/dev/vda"). */
  readonly device?: string;
  /** Bytes it can hold, when it knows. */
  readonly capacity?: number;
  /** Whether it allocates space itself and refuses a write that does not fit (labfs: blocks from its bitmap). */
  readonly allocates?: boolean;
  /** Bytes in use, when it can tell without reading every file (a file system reads its own metadata). */
  readonly used?: number;
}

/** A deleted lower file: overlayfs records it as a whiteout (a 0/0 character device) in the upper layer. */
export const WHITEOUT = null;
type Upper = Bytes | typeof WHITEOUT;

export interface GuestFsOptions {
  /** Mount /data (the application VM). */
  data?: DataStore;
  overlayCapacity?: number;
  dataCapacity?: number;
}

export type WriteResult = { ok: true } | { ok: false; error: string };

const MiB = 1048576;

export class GuestFs {
  readonly overlay = new Map<string, Upper>();
  readonly data: DataStore | undefined;
  readonly overlayCapacity: number;
  readonly dataCapacity: number;

  constructor(readonly volume: RootVolume, opts: GuestFsOptions = {}) {
    this.data = opts.data;
    this.overlayCapacity = opts.overlayCapacity ?? 16 * MiB;
    this.dataCapacity = opts.dataCapacity ?? opts.data?.capacity ?? 64 * MiB;
  }

  private isData(path: string): boolean {
    return this.data !== undefined && (path === '/data' || path.startsWith('/data/'));
  }

  /** A file's content; reading /data from a block device that does not answer throws its I/O error. */
  read(path: string): Bytes | undefined {
    if (this.isData(path)) return this.data!.get(path);
    if (this.overlay.has(path)) return this.overlay.get(path) ?? undefined;
    return this.volume.files.get(path)?.bytes;
  }

  /** Where a path's content comes from, for `ls -l`-style listings and for the lessons. */
  layerOf(path: string): 'data' | 'overlay' | 'volume' | undefined {
    if (this.isData(path)) return this.data!.has(path) ? 'data' : undefined;
    if (this.overlay.has(path)) return this.overlay.get(path) ? 'overlay' : undefined;
    return this.volume.files.has(path) ? 'volume' : undefined;
  }

  /** Write (or append to) a file; a /data store that fails (I/O error, full) is reported, never thrown. */
  write(path: string, content: string | Bytes, append = false): WriteResult {
    if (!path.startsWith('/') || path.endsWith('/')) return { ok: false, error: `${path}: not a file path (use an absolute path like /tmp/note)` };
    try {
      const old = append ? this.read(path) : undefined;
      const add = bytesOf(content);
      const bytes = old ? concat(old, add) : add;
      const data = this.isData(path);
      // A store with an allocator of its own (labfs) is full when that says so; the others count bytes here.
      if (!(data && this.data!.allocates)) {
        const [used, cap, where] = data
          ? [this.dataUsed() - (this.data!.get(path)?.length ?? 0), this.dataCapacity, '/data']
          : [this.overlayUsed() - (this.overlay.get(path)?.length ?? 0), this.overlayCapacity, 'the writable overlay'];
        if (used + bytes.length > cap) return { ok: false, error: `${path}: No space left on device (${where} is full; delete files to make room)` };
      }
      if (data) this.data!.set(path, bytes);
      else this.overlay.set(path, bytes);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: `${path}: ${(e as Error).message}` };
    }
  }

  /**
   * Makes a directory. A file path names its directories, so only an empty directory needs an entry
   * of its own: its path with a "/" at the end, holding nothing (in the overlay, or in /data).
   */
  mkdir(path: string): WriteResult {
    try {
      if (this.isData(path)) this.data!.set(path + '/', new Uint8Array(0));
      else this.overlay.set(path + '/', new Uint8Array(0));
      return { ok: true };
    } catch (e) {
      return { ok: false, error: `${path}: ${(e as Error).message}` };
    }
  }

  remove(path: string): WriteResult {
    if (this.isData(path)) {
      try {
        if (!this.data!.delete(path)) return { ok: false, error: `${path}: No such file or directory` };
      } catch (e) {
        return { ok: false, error: `${path}: ${(e as Error).message}` };
      }
      return { ok: true };
    }
    if (this.read(path) === undefined) return { ok: false, error: `${path}: No such file or directory` };
    if (this.volume.files.has(path)) this.overlay.set(path, WHITEOUT);
    else this.overlay.delete(path);
    return { ok: true };
  }

  /** Every visible file path, sorted. */
  paths(): string[] {
    const out = new Set<string>();
    for (const p of this.volume.files.keys()) if (!this.isData(p)) out.add(p);
    for (const [p, v] of this.overlay) {
      if (v === WHITEOUT) out.delete(p);
      else out.add(p);
    }
    if (this.data) for (const p of this.data.keys()) out.add(p);
    return [...out].sort();
  }

  /** The names directly under a directory (sub-directories end with "/"), or undefined if there is none. */
  list(dir: string): string[] | undefined {
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    const names = new Set<string>();
    const paths = this.paths();
    for (const p of paths) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      if (rest === '') continue; // the directory's own entry (mkdir)
      const slash = rest.indexOf('/');
      names.add(slash < 0 ? rest : rest.slice(0, slash + 1));
    }
    if (names.size === 0 && !paths.includes(prefix) && !(this.data && dir.replace(/\/$/, '') === '/data')) return undefined;
    return [...names].sort();
  }

  overlayUsed(): number {
    let n = 0;
    for (const v of this.overlay.values()) n += v ? v.length : 0;
    return n;
  }

  dataUsed(): number {
    if (this.data?.used !== undefined) return this.data.used;
    let n = 0;
    if (this.data) for (const v of this.data.values()) n += v.length;
    return n;
  }

  /** `mount`: the root volume, the overlay over it, /data. */
  mounts(): string[] {
    const frags = this.volume.fragments.map((f) => f.name).join(':');
    const lines = [
      `fragments on /sysroot type merged (ro,verified,fragments=${frags})`,
      'tmpfs on /overlay type tmpfs (rw,nosuid,nodev)',
      'overlay on / type overlay (rw,lowerdir=/sysroot,upperdir=/overlay/upper,workdir=/overlay/work)',
    ];
    if (this.data) lines.push(`${this.data.device ?? '/dev/vda'} on /data type ${this.data.fsType ?? 'ext4'} (rw,nosuid,nodev,noexec)`);
    return lines;
  }

  /** `df`: sizes in 1K blocks, as df prints them. */
  df(): string[] {
    const rows: string[][] = [['Filesystem', '1K-blocks', 'Used', 'Available', 'Use%', 'Mounted on']];
    const row = (fs: string, size: number, used: number, at: string) => {
      const [s, u] = [Math.ceil(size / 1024), Math.ceil(used / 1024)];
      rows.push([fs, String(s), String(u), String(Math.max(0, s - u)), `${s ? Math.ceil((u / s) * 100) : 0}%`, at]);
    };
    row('fragments', this.volume.bytes, this.volume.bytes, '/sysroot');
    row('overlay', this.overlayCapacity, this.overlayUsed(), '/');
    if (this.data) row(this.data.device ?? '/dev/vda', this.dataCapacity, this.dataUsed(), '/data');
    const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((c, i) => (i === 0 || i === 5 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' ').trimEnd());
  }
}

function concat(a: Bytes, b: Bytes): Bytes {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
