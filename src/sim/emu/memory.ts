// A paged address space. Pages are plain byte arrays held by reference, so a
// shared mapping of one file in two address spaces really is the same memory:
// what one process writes, the other reads.

export const PAGE_SIZE = 4096;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

/** The CPU touched memory it may not: the kernel would deliver SIGSEGV. */
export class MemoryFault extends Error {
  constructor(readonly address: number, readonly access: 'read' | 'write' | 'fetch') {
    super(`${access} of 0x${address.toString(16).padStart(8, '0')} (not mapped ${access === 'fetch' ? 'executable' : access === 'write' ? 'writable' : 'readable'})`);
  }
}

/** A mapped page; its bytes are allocated when first written (until then it reads as zeros, as a fresh anonymous page does). */
interface PageEntry { data: Uint8Array | null; prot: number }

const ZERO_PAGE = new Uint8Array(4096);

export interface Region { start: number; end: number; prot: number }

export const pageUp = (a: number) => Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;

export class AddressSpace {
  private pages = new Map<number, PageEntry>();
  /** Called when a page that holds code is written (the CPU drops what it decoded). */
  onCodeWrite: (() => void) | null = null;

  /** Maps [addr, addr+len) with fresh zeroed pages, or with the given pages (a shared mapping). */
  map(addr: number, len: number, prot: number, shared?: Uint8Array[]): void {
    const first = addr / PAGE_SIZE;
    const n = pageUp(len) / PAGE_SIZE;
    for (let i = 0; i < n; i++) this.pages.set(first + i, { data: shared?.[i] ?? null, prot });
  }

  unmap(addr: number, len: number): void {
    const first = addr / PAGE_SIZE;
    for (let i = 0; i < pageUp(len) / PAGE_SIZE; i++) this.pages.delete(first + i);
  }

  /** True when every byte of [addr, addr+len) is mapped with at least `prot`. */
  accessible(addr: number, len: number, prot: number): boolean {
    if (len === 0) return true;
    for (let p = Math.floor(addr / PAGE_SIZE); p <= Math.floor((addr + len - 1) / PAGE_SIZE); p++) {
      const e = this.pages.get(p);
      if (!e || (e.prot & prot) !== prot) return false;
    }
    return true;
  }

  /** True when no byte of [addr, addr+len) is mapped. */
  free(addr: number, len: number): boolean {
    return this.highestUsed(addr, len) === null;
  }

  /** The address of the highest mapped page in [addr, addr+len), or null when none is. */
  highestUsed(addr: number, len: number): number | null {
    for (let p = Math.ceil((addr + len) / PAGE_SIZE) - 1; p >= Math.floor(addr / PAGE_SIZE); p--) if (this.pages.has(p)) return p * PAGE_SIZE;
    return null;
  }

  /** The mapped ranges, merged where neighbours have the same protection (like /proc/self/maps). */
  regions(): Region[] {
    const out: Region[] = [];
    for (const p of [...this.pages.keys()].sort((a, b) => a - b)) {
      const prot = this.pages.get(p)!.prot;
      const last = out[out.length - 1];
      if (last && last.end === p * PAGE_SIZE && last.prot === prot) last.end += PAGE_SIZE;
      else out.push({ start: p * PAGE_SIZE, end: (p + 1) * PAGE_SIZE, prot });
    }
    return out;
  }

  private page(addr: number, prot: number, access: MemoryFault['access']): Uint8Array {
    const e = this.pages.get(Math.floor(addr / PAGE_SIZE));
    if (!e || (e.prot & prot) !== prot) throw new MemoryFault(addr, access);
    if (access !== 'write') return e.data ?? ZERO_PAGE;
    if (e.prot & PROT_EXEC) this.onCodeWrite?.();
    return (e.data ??= new Uint8Array(PAGE_SIZE));
  }

  read8(addr: number): number {
    return this.page(addr, PROT_READ, 'read')[addr % PAGE_SIZE];
  }

  write8(addr: number, v: number): void {
    this.page(addr, PROT_WRITE, 'write')[addr % PAGE_SIZE] = v;
  }

  fetch8(addr: number): number {
    return this.page(addr, PROT_EXEC, 'fetch')[addr % PAGE_SIZE];
  }

  /** Little-endian 32-bit read, unsigned. */
  read32(addr: number): number {
    const o = addr % PAGE_SIZE;
    if (o <= PAGE_SIZE - 4) {
      const d = this.page(addr, PROT_READ, 'read');
      return (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;
    }
    return (this.read8(addr) | (this.read8(addr + 1) << 8) | (this.read8(addr + 2) << 16) | (this.read8(addr + 3) << 24)) >>> 0;
  }

  write32(addr: number, v: number): void {
    for (let i = 0; i < 4; i++) this.write8(addr + i, (v >>> (8 * i)) & 0xff);
  }

  /** Little-endian 64-bit read as a BigInt (native structures on a 64-bit host). */
  read64(addr: number): bigint {
    return BigInt(this.read32(addr)) | (BigInt(this.read32(addr + 4)) << 32n);
  }

  write64(addr: number, v: bigint): void {
    this.write32(addr, Number(BigInt.asUintN(32, v)));
    this.write32(addr + 4, Number(BigInt.asUintN(32, v >> 32n)));
  }

  readBytes(addr: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.read8(addr + i);
    return out;
  }

  writeBytes(addr: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.write8(addr + i, bytes[i]);
  }

  /** A NUL-terminated string of at most `max` bytes, or null when it is not all readable. */
  readCString(addr: number, max = 4096): string | null {
    let s = '';
    for (let i = 0; i < max; i++) {
      if (!this.accessible(addr + i, 1, PROT_READ)) return null;
      const c = this.read8(addr + i);
      if (c === 0) return s;
      s += String.fromCharCode(c);
    }
    return null;
  }
}
