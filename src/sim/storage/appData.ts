// Where the application VM's /data lives, decided by the board (DOMAIN.md §1:
// flash access is one of the paravirtualized resources):
// - flash shared (paravirtual): /data is a file system on the guest's virtio-blk
//   device `vda`; each block request is written into the virtqueue in the
//   paravirtual buffers by the application VM's CPU, picked up by storaged in
//   the system VM, which drives the flash controller. While the system VM is
//   down nobody answers: the request waits until it is back (storage/wait.ts).
// - no flash shared with the application VM (every SoC profile keeps the flash
//   in the system VM or shared: whoever drives it can rewrite the OS): /data
//   is a RAM file system, lost at power off.
// The engine keeps one AppData for its lifetime, so /data outlives every
// refresh (flash) or every refresh but not a power cycle (RAM).

import type { Bytes } from '../crypto/signing.ts';
import type { Board } from '../../model/types.ts';
import { devicesOf } from '../devices.ts';
import { initialUserData } from '../images.ts';
import { BLOCK, BlockFs, Flash, VirtioBlk, type BlockRequest, type DataStore } from '../fragments/index.ts';

/** The /data partition of the flash: 1 MiB (256 blocks of 4 KiB), small enough to hexdump. */
export const DATA_PARTITION_BYTES = 1024 * 1024;

/** How often a waiting request looks again whether storaged answers. */
export const IO_POLL_MS = 250;

/** Where the virtqueue's block requests sit in the paravirtual buffers (after the network's). */
const VIRTQ_OFFSET = 0x200;

/** A /data access that cannot be served now: the caller waits (the shell) or reports it. */
export class IoWait extends Error {
  constructor(readonly path: string) {
    super(`${path}: Input/output error (vda: storaged in the system VM does not answer)`);
  }
}

/** /data in RAM: a tmpfs, empty (but for the factory file) after each power on. */
class RamData extends Map<string, Bytes> implements DataStore {
  readonly fsType = 'tmpfs';
  readonly device = 'tmpfs';
  readonly capacity = DATA_PARTITION_BYTES;
}

export type DataMode =
  | { kind: 'paravirtual'; flash: string; dev: string }
  | { kind: 'ram'; why: string };

/** Which of the three the board gives the application VM. */
export function dataModeOf(board: Board): DataMode {
  const flash = devicesOf(board, 'app').filter((d) => d.kind === 'flash');
  const pv = flash.find((d) => d.access === 'paravirtual');
  if (pv) return { kind: 'paravirtual', flash: pv.id, dev: pv.devName };
  return { kind: 'ram', why: 'no flash is shared with the application VM' };
}

/** What /data needs of the engine: the board, the bus, and whether the system VM runs. */
export interface StorageHost {
  readonly board: Board;
  busAccess(master: string, target: string, op: 'read' | 'write', offset?: number, value?: number): unknown;
  readonly guests: { readonly system: { readonly state: string } };
}

export class AppData {
  readonly mode: DataMode;
  readonly store: DataStore;
  readonly flash: Flash | null = null;
  readonly blk: VirtioBlk | null = null;
  private requests = 0;
  /** Until the factory has written the partition, requests are the programmer's, not the system VM's. */
  private atFactory = true;

  constructor(private readonly sim: StorageHost) {
    this.mode = dataModeOf(sim.board);
    if (this.mode.kind === 'ram') {
      this.store = new RamData(initialUserData());
      return;
    }
    const mode = this.mode;
    this.flash = new Flash(mode.flash, DATA_PARTITION_BYTES);
    this.blk = new VirtioBlk(this.flash, () => {}, () => this.served);
    // Provisioned at the factory: mkfs and the default settings, programmed before the board ever runs.
    const fs = new BlockFs(this.blk);
    fs.device = `/dev/${mode.dev}`;
    for (const [p, b] of initialUserData()) fs.set(p, b);
    this.blk.onRequest = (r) => this.transport(r);
    this.atFactory = false;
    this.store = fs;
  }

  /** Does a /data request get an answer now? Through the system VM only while it runs. */
  get served(): boolean {
    return this.atFactory || this.mode.kind !== 'paravirtual' || this.sim.guests.system.state === 'running';
  }

  /** The device node of /data (/dev/vda), or null when it is in RAM. */
  get deviceNode(): string | null {
    return this.mode.kind === 'ram' ? null : `/dev/${this.mode.dev}`;
  }

  /** One block request as the bus sees it. */
  private transport(r: BlockRequest): void {
    const mode = this.mode as Exclude<DataMode, { kind: 'ram' }>;
    const slot = VIRTQ_OFFSET + (this.requests++ % 16) * 16;
    const reg = r.op === 'read' ? 0x0 : 0x8;
    // The guest's driver puts the request in the virtqueue; storaged takes it and drives the flash controller.
    this.sim.busAccess('cpu:app', 'pv-buffers', 'write', slot, r.sector);
    this.sim.busAccess('cpu:system', 'pv-buffers', 'read', slot);
    this.sim.busAccess('cpu:system', mode.flash, r.op, reg, r.sector);
  }

  /** Every byte of the device, block by block (each block a request): `hexdump -C /dev/vda`. */
  readDevice(offset = 0, length = DATA_PARTITION_BYTES): Bytes {
    if (!this.blk) return new Uint8Array(0);
    const end = Math.min(DATA_PARTITION_BYTES, offset + length);
    const out = new Uint8Array(Math.max(0, end - offset));
    for (let b = Math.floor(offset / BLOCK); b * BLOCK < end; b++) {
      const block = this.blk.readBlock(b);
      const from = Math.max(offset, b * BLOCK);
      const to = Math.min(end, (b + 1) * BLOCK);
      out.set(block.subarray(from - b * BLOCK, to - b * BLOCK), from - offset);
    }
    return out;
  }

  /** Power is cut: flash keeps its bits, RAM does not. */
  powerLost(): void {
    if (!(this.store instanceof RamData)) return;
    this.store.clear();
    for (const [p, b] of initialUserData()) this.store.set(p, b);
  }
}

/** `cat` of a block device: the bytes a terminal can show (printable ASCII and line ends); control bytes and erased 0xFF show nothing. */
export function printable(bytes: Bytes): string {
  let out = '';
  for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || b === 0x0a) out += String.fromCharCode(b);
  return out;
}
