// A guest's file system: a read-only image (what a refresh reloads) under a
// writable overlay, plus an optional user-data store mounted at /data that
// survives a refresh (DOMAIN.md §2).

export class GuestFs {
  private overlay = new Map<string, string>();

  constructor(
    private readonly image: ReadonlyMap<string, string>,
    /** The persistent store for /data, owned by the VMM so it outlives the guest. */
    private readonly data: Map<string, string> | null,
  ) {}

  /** Reload from the master image: drop every change outside /data. */
  resetToImage(): void {
    this.overlay.clear();
  }

  static normalize(cwd: string, path: string): string {
    const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
    const out: string[] = [];
    for (const p of parts) {
      if (p === '' || p === '.') continue;
      if (p === '..') out.pop();
      else out.push(p);
    }
    return '/' + out.join('/');
  }

  private isData(path: string): boolean {
    return this.data !== null && (path === '/data' || path.startsWith('/data/'));
  }

  read(path: string): string | undefined {
    if (this.isData(path)) return this.data!.get(path);
    return this.overlay.get(path) ?? this.image.get(path);
  }

  write(path: string, content: string): void {
    if (this.isData(path)) this.data!.set(path, content);
    else this.overlay.set(path, content);
  }

  private allFiles(): string[] {
    const files = new Set<string>();
    for (const p of this.image.keys()) files.add(p);
    for (const p of this.overlay.keys()) files.add(p);
    if (this.data) {
      for (const p of [...files]) if (this.isData(p)) files.delete(p);
      for (const p of this.data.keys()) files.add(p);
    }
    return [...files];
  }

  isDir(path: string): boolean {
    if (path === '/') return true;
    if (this.isData(path) && path === '/data') return true;
    const prefix = path + '/';
    return this.allFiles().some((f) => f.startsWith(prefix));
  }

  /** Entries directly under a directory; directories end in "/". */
  list(dir: string): string[] {
    const prefix = dir === '/' ? '/' : dir + '/';
    const names = new Set<string>();
    for (const f of this.allFiles()) {
      if (!f.startsWith(prefix)) continue;
      const rest = f.slice(prefix.length);
      const slash = rest.indexOf('/');
      names.add(slash < 0 ? rest : rest.slice(0, slash) + '/');
    }
    if (dir === '/' && this.data) names.add('data/');
    return [...names].sort();
  }
}
