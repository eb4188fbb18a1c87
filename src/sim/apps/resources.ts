// The resource manager (seed 003): an app acquires every resource it needs
// before it is launched, and gives them back when it ends. What exists is
// derived from the board: components assigned to the application VM, or
// shared with it through a paravirtual device.
//
// Mapping (one component gives):
//   display                  → 2 display ports (graphics display planes a compositor mixes, as in seed 003)
//   dsp                      → 1 decoder (audio/video decoding offloaded to the DSP)
//   audio                    → 1 audio output
//   camera                   → 1 camera (one app at a time)
//   ethernet, wifi, cellular → 8 network sockets each

import type { Board, ComponentKind } from '../../model/types.ts';
import { RESOURCE_KINDS, type ResourceKind } from './packages.ts';

export const RESOURCES_PER_COMPONENT: Partial<Record<ComponentKind, { kind: ResourceKind; count: number }>> = {
  display: { kind: 'display-port', count: 2 },
  dsp: { kind: 'decoder', count: 1 },
  audio: { kind: 'audio', count: 1 },
  camera: { kind: 'camera', count: 1 },
  ethernet: { kind: 'socket', count: 8 },
  wifi: { kind: 'socket', count: 8 },
  cellular: { kind: 'socket', count: 8 },
};

/** Which components give each resource, for the reason when none exist. */
const SOURCES: Record<ResourceKind, string> = {
  decoder: 'a DSP', 'display-port': 'a display', audio: 'an audio block', camera: 'a camera', socket: 'a network adapter (Ethernet, Wi-Fi or cellular)',
};

export type Refusal = { resource: ResourceKind; message: string };

export class ResourceManager {
  readonly total: Record<ResourceKind, number>;
  private held = new Map<string, ResourceKind[]>();

  constructor(board: Pick<Board, 'components'>) {
    this.total = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, 0])) as Record<ResourceKind, number>;
    for (const c of board.components) {
      const r = RESOURCES_PER_COMPONENT[c.kind];
      if (r && (c.domain === 'app' || c.domain === 'shared')) this.total[r.kind] += r.count;
    }
  }

  inUse(kind: ResourceKind): number {
    let n = 0;
    for (const list of this.held.values()) n += list.filter((k) => k === kind).length;
    return n;
  }

  free(kind: ResourceKind): number { return this.total[kind] - this.inUse(kind); }

  /** Gives `holder` everything in `needs`, or nothing and the reason. */
  acquire(holder: string, needs: ResourceKind[]): Refusal | null {
    for (const kind of RESOURCE_KINDS) {
      const want = needs.filter((k) => k === kind).length;
      if (want === 0 || this.free(kind) >= want) continue;
      const message = this.total[kind] === 0
        ? `no ${kind} on this board for the application VM: assign ${SOURCES[kind]} to the application VM`
        : `all ${this.total[kind]} ${kind}${this.total[kind] > 1 ? 's are' : ' is'} in use by running apps: stop one first`;
      return { resource: kind, message };
    }
    this.held.set(holder, [...(this.held.get(holder) ?? []), ...needs]);
    return null;
  }

  /** Takes back everything `holder` holds; returns what it held. */
  release(holder: string): ResourceKind[] {
    const list = this.held.get(holder) ?? [];
    this.held.delete(holder);
    return list;
  }

  heldBy(holder: string): ResourceKind[] { return this.held.get(holder) ?? []; }
}
