import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesOf } from '../../../src/sim/crypto/signing.ts';
import {
  BLOCK, BlockFs, compose, factoryConfig, Flash, GuestFs, hexdumpCText, Refresher, VirtioBlk, type BlockRequest,
} from '../../../src/sim/fragments/index.ts';
import { text, trust } from './helpers.ts';

function disk(size = 256 * 1024) {
  const flash = new Flash('flash0', size);
  const requests: BlockRequest[] = [];
  const vda = new VirtioBlk(flash, (r) => requests.push(r));
  return { flash, vda, requests, fs: new BlockFs(vda) };
}

describe('/data stored in blocks on vda, served from flash0', () => {
  it('files written through the block device read back, also after a remount', () => {
    const { fs, vda, flash } = disk();
    fs.set('/data/settings.conf', bytesOf('temperature.unit=C\n'));
    const big = new Uint8Array(3 * BLOCK + 17).map((_, i) => i & 0xff);
    fs.set('/data/log.bin', big);
    const again = new BlockFs(vda);
    expect(text(again.get('/data/settings.conf'))).toBe('temperature.unit=C\n');
    expect(again.get('/data/log.bin')).toEqual(big);
    expect(again.keys()).toEqual(['/data/log.bin', '/data/settings.conf']);
    expect(flash.bytes.subarray(0, 6)).toEqual(bytesOf('LABFS1'));
  });

  it('the blocks are real: the file content is on the flash, and cat /dev/vda shows it', () => {
    const { fs, flash, vda } = disk();
    fs.set('/data/note', bytesOf('hello from the app VM'));
    const at = [...flash.bytes].findIndex((_, i) => text(flash.bytes.subarray(i, i + 5)) === 'hello');
    expect(at % BLOCK).toBe(0);
    const dump = hexdumpCText(vda.readBlock(at / BLOCK), at).split('\n');
    expect(dump[0]).toMatch(/^[0-9a-f]{8}  68 65 6c 6c 6f 20 66 72  6f 6d 20 74 68 65 20 61  \|hello from the a\|$/);
    expect(dump).toContain('*');
  });

  it('every rewrite erases the flash block first, and the wear shows', () => {
    const { fs, flash } = disk();
    const before = flash.eraseCounts[1];
    fs.set('/data/a', bytesOf('1'));
    fs.set('/data/a', bytesOf('2'));
    expect(flash.eraseCounts[1]).toBeGreaterThan(before);
    expect(text(fs.get('/data/a'))).toBe('2');
  });

  it('deleting frees the blocks; a full disk says so and changes nothing', () => {
    const { fs } = disk(12 * BLOCK);
    fs.set('/data/a', new Uint8Array(4 * BLOCK));
    expect(() => fs.set('/data/b', new Uint8Array(5 * BLOCK))).toThrow(/No space left on device/);
    expect(fs.has('/data/b')).toBe(false);
    expect(fs.delete('/data/a')).toBe(true);
    fs.set('/data/b', new Uint8Array(5 * BLOCK));
    expect(fs.get('/data/b')!.length).toBe(5 * BLOCK);
  });

  it('block requests are visible, and without storaged /data fails with the reason', () => {
    const { fs, vda, requests } = disk();
    fs.set('/data/big', new Uint8Array(8 * BLOCK));
    requests.length = 0;
    fs.set('/data/x', bytesOf('x'));
    expect(requests.some((r) => r.op === 'write')).toBe(true);
    expect(fs.used).toBe(9 * BLOCK); // whole blocks, as statfs counts them: the 1-byte file takes one
    vda.served = false;
    const v = compose(factoryConfig('app'), trust());
    if (!v.ok) throw new Error(v.reason);
    const guest = new GuestFs(v.volume, { data: fs });
    expect(guest.write('/data/y', 'y')).toMatchObject({ ok: false, error: expect.stringContaining('storaged in the system VM does not answer') });
    vda.served = true;
    requests.length = 0;
    expect(guest.write('/data/y', 'y')).toEqual({ ok: true });
    // The space check reads metadata only (superblock, bitmap, inode table: blocks 0-5), never the blocks of /data/big.
    const reads = requests.filter((r) => r.op === 'read');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.sector < 6 * (BLOCK / 512))).toBe(true);
    expect(guest.mounts()).toContain('/dev/vda on /data type labfs (rw,nosuid,nodev,noexec)');
  });

  it('a refresh keeps /data on the block device and scans it there', () => {
    const { fs } = disk();
    fs.set('/data/autorun.sh', bytesOf('#!/bin/sh\n'));
    fs.set('/data/keep.txt', bytesOf('keep'));
    const r = new Refresher(fs, [], { trust: trust(), clock: { now: () => 0 }, emit: () => {} });
    const out = r.refresh(factoryConfig('app'));
    expect(out.ok && text(out.fs.read('/data/keep.txt'))).toBe('keep');
    expect(fs.keys()).toEqual(['/data/keep.txt']);
  });
});

describe('hexdump -C', () => {
  /** The dump as first written, a byte at a time: the oracle for the table-driven one. */
  function oracle(bytes: Uint8Array, base = 0): string[] {
    const out: string[] = [];
    let last = '';
    let starred = false;
    for (let i = 0; i < bytes.length; i += 16) {
      const row = bytes.subarray(i, i + 16);
      const hex = [...row].map((b) => b.toString(16).padStart(2, '0'));
      const key = hex.join(' ');
      if (key === last && i + 16 < bytes.length) {
        if (!starred) out.push('*');
        starred = true;
        continue;
      }
      starred = false;
      last = key;
      const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      out.push(`${(base + i).toString(16).padStart(8, '0')}  ${hex.slice(0, 8).join(' ').padEnd(23)}  ${hex.slice(8).join(' ').padEnd(23)}  |${ascii}|`);
    }
    out.push((base + bytes.length).toString(16).padStart(8, '0'));
    return out;
  }

  it('prints what a byte-at-a-time dump prints, repeated rows folded, for any bytes and offset', () => {
    // Few distinct byte values, so that repeated rows (the "*" lines) are common.
    // Rows from two that differ in one byte only (any of the 16), so near-repeats are common too.
    const rowsArb = fc.tuple(fc.nat(15), fc.array(fc.boolean(), { maxLength: 12 }), fc.nat(15)).map(([at, picks, tail]) => {
      const out: number[] = [];
      for (const p of picks) for (let k = 0; k < 16; k++) out.push(p && k === at ? 0x42 : 0x41);
      for (let k = 0; k < tail; k++) out.push(0x41);
      return Uint8Array.from(out);
    });
    const bytesArb = fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.array(fc.constantFrom(0, 0x41, 0xff), { maxLength: 200 }).map((a) => Uint8Array.from(a)), rowsArb);
    // Offsets past 32 bits too, where the offset column grows beyond eight digits.
    const baseArb = fc.oneof(fc.nat(0xffff), fc.integer({ min: 0xffff_ff00, max: 0x1_0000_0100 }));
    fc.assert(fc.property(bytesArb, baseArb, (bytes, base) => {
      expect(hexdumpCText(bytes, base).split('\n')).toEqual(oracle(bytes, base));
    }), { numRuns: 500 });
  });
});

describe('Flash.program', () => {
  it('only clears bits (ANDs the data in), aligned or not, exactly where it is told', () => {
    // Whole 32-bit words as often as not: those take the word-at-a-time path.
    const aligned = (n: number) => fc.oneof(fc.nat(n).map((x) => x & ~3), fc.nat(n));
    fc.assert(fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), aligned(40), aligned(20), fc.oneof(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ maxLength: 24 })), (before, offset, from, data) => {
      const flash = new Flash('flash0', 64);
      flash.bytes.set(before);
      const view = new Uint8Array(data.length + from);
      view.set(data, from);
      flash.program(offset, view.subarray(from));
      const want = Uint8Array.from(before, (b, i) => (i >= offset && i < offset + data.length ? b & data[i - offset] : b));
      expect(flash.bytes).toEqual(want);
    }), { numRuns: 400 });
  });
});
