// Which devices each environment can use, and how (CONTRACT §6 `lsdev`):
// `app` components are passed through to the application VM, `shared` ones
// are driven by the system VM and offered to the application VM as
// paravirtual devices, `rt` ones belong to the real-time container, `system`
// ones to the system VM; unassigned components belong to nobody.

import { NETWORK_KINDS } from '../model/catalog.ts';
import type { Board, Component, ComponentKind } from '../model/types.ts';
import type { VmId } from './types.ts';

export const STORAGE_KINDS: readonly ComponentKind[] = ['flash', 'sdcard'];

/**
 * The virtio device type a paravirtualized kind is offered as, each with its own
 * virtqueues (virtio 1.2 §5.1 network device, §5.2 block device); null for the
 * others, whose requests go to the system VM over vsock (§5.10).
 */
export function virtioType(kind: ComponentKind): 'virtio-net' | 'virtio-blk' | null {
  if (NETWORK_KINDS.includes(kind)) return 'virtio-net';
  if (STORAGE_KINDS.includes(kind)) return 'virtio-blk';
  return null;
}

export interface DeviceView {
  id: string;
  kind: ComponentKind;
  access: 'direct' | 'paravirtual';
  /** The name the guest kernel gives it (eth0, wlan0, vda, mtd0, …). */
  devName: string;
  component: Component;
}

const byId = (a: Component, b: Component) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function devicesOf(board: Board, vm: VmId): DeviceView[] {
  const sorted = [...board.components].sort(byId);
  const counters = new Map<string, number>();
  const next = (prefix: string) => {
    const n = counters.get(prefix) ?? 0;
    counters.set(prefix, n + 1);
    return prefix === 'vd' ? `vd${String.fromCharCode(97 + n)}` : `${prefix}${n}`;
  };
  const out: DeviceView[] = [];
  for (const c of sorted) {
    let access: 'direct' | 'paravirtual' | null = null;
    if (vm === 'app' && c.domain === 'app') access = 'direct';
    else if (vm === 'app' && c.domain === 'shared') access = 'paravirtual';
    else if (vm === 'rt' && c.domain === 'rt') access = 'direct';
    else if (vm === 'system' && (c.domain === 'system' || c.domain === 'shared')) access = 'direct';
    if (!access) continue;
    out.push({ id: c.id, kind: c.kind, access, devName: devName(c.kind, access, next), component: c });
  }
  return out;
}

function devName(kind: ComponentKind, access: 'direct' | 'paravirtual', next: (p: string) => string): string {
  if (access === 'paravirtual') {
    if (NETWORK_KINDS.includes(kind)) return next('eth');
    if (STORAGE_KINDS.includes(kind)) return next('vd');
    return next(`virtio-${kind}`);
  }
  switch (kind) {
    case 'wifi': return next('wlan');
    case 'ethernet': return next('end');
    case 'cellular': return next('wwan');
    case 'flash': return next('mtd');
    case 'sdcard': return next('mmcblk');
    default: return next(kind.replace(/-/g, ''));
  }
}

/** Network interfaces of the application VM: paravirtual (through networkd) and direct (unfiltered). */
export function appNetwork(board: Board): { paravirtual: DeviceView[]; direct: DeviceView[] } {
  const devs = devicesOf(board, 'app').filter((d) => NETWORK_KINDS.includes(d.kind));
  return { paravirtual: devs.filter((d) => d.access === 'paravirtual'), direct: devs.filter((d) => d.access === 'direct') };
}
