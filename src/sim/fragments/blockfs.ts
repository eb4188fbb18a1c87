// /data for real: files stored in blocks on the application VM's virtual block
// device `vda`, whose requests the system VM's storage service (storaged) serves
// from the flash chip `flash0`. Flash cannot overwrite in place: programming only
// clears bits (1 → 0) and an erase sets a whole erase block back to 0xFF, so the
// storage service rewrites a block as read, erase, program, and the erase count
// (wear) is visible.

import type { Bytes } from '../crypto/signing.ts';
import type { DataStore } from './guestfs.ts';
import { bytesOf, textOf } from './text.ts';

export const BLOCK = 4096;

/** NOR-style flash: erase blocks of `eraseSize` bytes, erased state 0xFF, programming clears bits. */
export class Flash {
  readonly bytes: Uint8Array;
  readonly eraseCounts: Uint32Array;

  constructor(readonly id: string, readonly size: number, readonly eraseSize = BLOCK) {
    this.bytes = new Uint8Array(size).fill(0xff);
    this.eraseCounts = new Uint32Array(size / eraseSize);
  }

  read(offset: number, length: number): Bytes {
    return this.bytes.slice(offset, offset + length);
  }

  erase(block: number): void {
    this.bytes.fill(0xff, block * this.eraseSize, (block + 1) * this.eraseSize);
    this.eraseCounts[block]++;
  }

  /**
   * Program: each bit can only go from 1 to 0 (a real chip ANDs the data in). Whole aligned
   * words are ANDed 32 bits at a time (the same bits: AND is bitwise), a quarter of the steps
   * of a 4 KiB block write.
   */
  program(offset: number, data: Bytes): void {
    const at = this.bytes.byteOffset + offset;
    if (((at | data.byteOffset | data.length) & 3) === 0) {
      const dst = new Uint32Array(this.bytes.buffer, at, data.length >> 2);
      const src = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
      for (let i = 0; i < dst.length; i++) dst[i] &= src[i];
      return;
    }
    for (let i = 0; i < data.length; i++) this.bytes[offset + i] &= data[i];
  }
}

/** One request of the paravirtual block device, for the trace and the timeline. */
export interface BlockRequest {
  op: 'read' | 'write';
  /** First 512-byte sector, as virtio-blk addresses them. */
  sector: number;
  bytes: number;
}

/**
 * The application VM's `vda` (virtio-blk): requests go over the paravirtual
 * channel to storaged in the system VM, which reads or rewrites flash0. When the
 * system VM is down nobody serves them and the guest sees an I/O error.
 */
export class VirtioBlk {
  /** Whether storaged in the system VM is up to serve requests. */
  served = true;
  readonly log: BlockRequest[] = [];

  constructor(
    readonly flash: Flash,
    /** Called for each request (the engine makes it bus transactions); replaceable, e.g. none while the flash is provisioned at the factory. */
    public onRequest: (r: BlockRequest) => void = () => {},
    /** Whether the serving side is up, asked at each request (the engine: is the system VM running?). */
    private readonly up: () => boolean = () => true,
  ) {}

  get blocks(): number {
    return this.flash.size / BLOCK;
  }

  private request(r: BlockRequest): void {
    if (!this.served || !this.up()) throw new Error('Input/output error (vda: storaged in the system VM does not answer; /data waits for the system VM)');
    if (this.log.length >= 4096) this.log.splice(0, 2048);
    this.log.push(r);
    this.onRequest(r);
  }

  readBlock(n: number): Bytes {
    this.request({ op: 'read', sector: n * (BLOCK / 512), bytes: BLOCK });
    return this.flash.read(n * BLOCK, BLOCK);
  }

  writeBlock(n: number, data: Bytes): void {
    this.request({ op: 'write', sector: n * (BLOCK / 512), bytes: BLOCK });
    const block = new Uint8Array(BLOCK);
    block.set(data.subarray(0, BLOCK));
    const per = this.flash.eraseSize / BLOCK;
    const eb = Math.floor(n / per);
    // Read-modify-erase-program of the erase block holding this block.
    const whole = this.flash.read(eb * this.flash.eraseSize, this.flash.eraseSize);
    whole.set(block, (n % per) * BLOCK);
    this.flash.erase(eb);
    this.flash.program(eb * this.flash.eraseSize, whole);
  }
}

// The on-disk format, small enough to read in a hexdump:
//   block 0          superblock: "LABFS1", block size, block count, inode count
//   block 1          allocation bitmap, one bit a block
//   blocks 2..2+I/16 inode table: 256-byte inodes (path, size, block pointers)
//   the rest         file data
const MAGIC = 'LABFS1';
const INODE = 256;
const PATH_MAX = 120;
const POINTERS = 32;
const INODES = 64;
const TABLE = 2;
const TABLE_BLOCKS = (INODES * INODE) / BLOCK;
const FIRST_DATA = TABLE + TABLE_BLOCKS;

const u32 = (b: Bytes, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const put32 = (b: Bytes, at: number, v: number) => { b[at] = v & 0xff; b[at + 1] = (v >>> 8) & 0xff; b[at + 2] = (v >>> 16) & 0xff; b[at + 3] = v >>> 24; };

interface Inode { slot: number; path: string; size: number; blocks: number[] }

/** Files stored in blocks on a block device: the /data store of the application VM. */
export class BlockFs implements DataStore {
  readonly fsType = 'labfs';
  readonly allocates = true;
  /** The device node it is mounted from, for `mount` and `df`. */
  device = '/dev/vda';

  constructor(readonly dev: VirtioBlk) {
    const sb = dev.readBlock(0);
    if (textOf(sb.subarray(0, 6)) !== MAGIC) this.format();
  }

  get capacity(): number {
    return (this.dev.blocks - FIRST_DATA) * BLOCK;
  }

  /** Bytes in use: the data blocks the inodes hold, whole blocks (as statfs counts them), from the inode table alone. */
  get used(): number {
    return this.inodes().reduce((n, i) => n + i.blocks.length * BLOCK, 0);
  }

  /** mkfs: superblock, an empty bitmap with the metadata blocks taken, an empty inode table. */
  format(): void {
    const sb = new Uint8Array(BLOCK);
    sb.set(bytesOf(MAGIC));
    put32(sb, 8, BLOCK);
    put32(sb, 12, this.dev.blocks);
    put32(sb, 16, INODES);
    this.dev.writeBlock(0, sb);
    const bitmap = new Uint8Array(BLOCK);
    for (let i = 0; i < FIRST_DATA; i++) bitmap[i >> 3] |= 1 << (i & 7);
    this.dev.writeBlock(1, bitmap);
    for (let i = 0; i < TABLE_BLOCKS; i++) this.dev.writeBlock(TABLE + i, new Uint8Array(BLOCK));
  }

  private inodes(): Inode[] {
    const out: Inode[] = [];
    for (let t = 0; t < TABLE_BLOCKS; t++) {
      const b = this.dev.readBlock(TABLE + t);
      for (let i = 0; i < BLOCK / INODE; i++) {
        const at = i * INODE;
        if (b[at] === 0) continue;
        const end = b.subarray(at, at + PATH_MAX).indexOf(0);
        const path = textOf(b.subarray(at, at + (end < 0 ? PATH_MAX : end)));
        const size = u32(b, at + PATH_MAX);
        const n = u32(b, at + PATH_MAX + 4);
        const blocks = Array.from({ length: n }, (_, k) => u32(b, at + PATH_MAX + 8 + 4 * k));
        out.push({ slot: t * (BLOCK / INODE) + i, path, size, blocks });
      }
    }
    return out;
  }

  private writeInode(slot: number, inode: Omit<Inode, 'slot'> | null): void {
    const t = TABLE + Math.floor(slot / (BLOCK / INODE));
    const b = this.dev.readBlock(t);
    const at = (slot % (BLOCK / INODE)) * INODE;
    b.fill(0, at, at + INODE);
    if (inode) {
      b.set(bytesOf(inode.path), at);
      put32(b, at + PATH_MAX, inode.size);
      put32(b, at + PATH_MAX + 4, inode.blocks.length);
      inode.blocks.forEach((n, k) => put32(b, at + PATH_MAX + 8 + 4 * k, n));
    }
    this.dev.writeBlock(t, b);
  }

  private find(path: string): Inode | undefined {
    return this.inodes().find((i) => i.path === path);
  }

  get(path: string): Bytes | undefined {
    const inode = this.find(path);
    if (!inode) return undefined;
    const out = new Uint8Array(inode.size);
    inode.blocks.forEach((n, k) => out.set(this.dev.readBlock(n).subarray(0, Math.min(BLOCK, inode.size - k * BLOCK)), k * BLOCK));
    return out;
  }

  has(path: string): boolean {
    return this.find(path) !== undefined;
  }

  set(path: string, bytes: Bytes): this {
    const p = bytesOf(path);
    if (p.length > PATH_MAX - 1) throw new Error(`File name too long (at most ${PATH_MAX - 1} bytes on labfs)`);
    const need = Math.ceil(bytes.length / BLOCK);
    if (need > POINTERS) throw new Error(`File too large (at most ${POINTERS * BLOCK / 1024} KiB a file on labfs)`);
    const all = this.inodes();
    const old = all.find((i) => i.path === path);
    const bitmap = this.dev.readBlock(1);
    if (old) for (const n of old.blocks) bitmap[n >> 3] &= ~(1 << (n & 7));
    const blocks: number[] = [];
    for (let n = FIRST_DATA; n < this.dev.blocks && blocks.length < need; n++) if (!(bitmap[n >> 3] & (1 << (n & 7)))) blocks.push(n);
    if (blocks.length < need) throw new Error('No space left on device (/data is full; delete files to make room)');
    let slot = old?.slot;
    if (slot === undefined) {
      const used = new Set(all.map((i) => i.slot));
      slot = Array.from({ length: INODES }, (_, i) => i).find((i) => !used.has(i));
      if (slot === undefined) throw new Error(`No space left on device (all ${INODES} inodes of /data are used)`);
    }
    for (const n of blocks) bitmap[n >> 3] |= 1 << (n & 7);
    blocks.forEach((n, k) => this.dev.writeBlock(n, bytes.subarray(k * BLOCK, (k + 1) * BLOCK)));
    this.dev.writeBlock(1, bitmap);
    this.writeInode(slot, { path, size: bytes.length, blocks });
    return this;
  }

  delete(path: string): boolean {
    const inode = this.find(path);
    if (!inode) return false;
    const bitmap = this.dev.readBlock(1);
    for (const n of inode.blocks) bitmap[n >> 3] &= ~(1 << (n & 7));
    this.dev.writeBlock(1, bitmap);
    this.writeInode(inode.slot, null);
    return true;
  }

  keys(): string[] {
    return this.inodes().map((i) => i.path).sort();
  }

  values(): Bytes[] {
    return this.keys().map((p) => this.get(p)!);
  }

  [Symbol.iterator](): Iterator<[string, Bytes]> {
    return this.keys().map((p): [string, Bytes] => [p, this.get(p)!])[Symbol.iterator]();
  }
}

/** Each byte's two hex digits and its text-column character, as character codes. */
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const TEXT_CODE = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x20 && b < 0x7f ? b : 0x2e));

function sameRow(bytes: Bytes, a: number, b: number): boolean {
  for (let k = 0; k < 16; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}

/** Writes an offset as hexdump shows it: at least eight hex digits. Returns the next position. */
function putOffset(out: Uint8Array, at: number, offset: number): number {
  const hex = offset.toString(16);
  for (let k = hex.length; k < 8; k++) out[at++] = 0x30;
  for (let k = 0; k < hex.length; k++) out[at++] = hex.charCodeAt(k);
  return at;
}

/**
 * `hexdump -C` of some bytes as one text, lines joined by "\n": offset, 16 bytes in hex, the
 * printable ones as text; repeated rows folded into "*". Written as character codes into one buffer
 * and made text once: a 64 KiB dump is 4,097 lines, and building them as strings left the engine
 * collecting their garbage.
 */
export function hexdumpCText(bytes: Bytes, base = 0): string {
  const offsetWidth = Math.max(8, (base + bytes.length).toString(16).length);
  const rowWidth = offsetWidth + 1 + 49 + 2 + 18 + 1; // offset, a space, 16 × ' xx' and the mid gap, two spaces, |text|, \n
  const out = new Uint8Array(Math.ceil(bytes.length / 16) * rowWidth + offsetWidth);
  let at = 0;
  let last = -1;
  let starred = false;
  for (let i = 0; i < bytes.length; i += 16) {
    const end = Math.min(i + 16, bytes.length);
    // A row equal to the one before (and not the last) is folded into a "*" line.
    if (last >= 0 && end - i === 16 && end < bytes.length && sameRow(bytes, last, i)) {
      if (!starred) {
        out[at++] = 0x2a;
        out[at++] = 0x0a;
      }
      starred = true;
      continue;
    }
    starred = false;
    last = i;
    at = putOffset(out, at, base + i);
    out[at++] = 0x20;
    for (let k = 0; k < 16; k++) {
      if (k === 8) out[at++] = 0x20;
      out[at++] = 0x20;
      if (i + k < end) {
        const b = bytes[i + k]!;
        out[at++] = HEX_DIGITS[b >> 4]!;
        out[at++] = HEX_DIGITS[b & 15]!;
      } else {
        out[at++] = 0x20;
        out[at++] = 0x20;
      }
    }
    out[at++] = 0x20;
    out[at++] = 0x20;
    out[at++] = 0x7c;
    for (let j = i; j < end; j++) out[at++] = TEXT_CODE[bytes[j]!]!;
    out[at++] = 0x7c;
    out[at++] = 0x0a;
  }
  at = putOffset(out, at, base + bytes.length);
  return textOf(out.subarray(0, at)); // ASCII only: UTF-8 reads it as it is
}
