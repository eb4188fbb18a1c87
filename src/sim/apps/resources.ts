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

import { withArticle } from '../../model/catalog.ts';
import type { Board, ComponentKind, SocId } from '../../model/types.ts';
import { allowedDomains, instanceCount, profile } from '../../model/profiles.ts';
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

/** How the advice names each kind of block that gives a resource. */
const SOURCE_WORDS: Partial<Record<ComponentKind, string>> = {
  dsp: 'DSP', display: 'display', audio: 'audio block', camera: 'camera', ethernet: 'Ethernet', wifi: 'Wi-Fi', cellular: 'cellular',
};

const orList = (words: string[]) => (words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0] ?? '');

/**
 * What to do when a board gives the application VM none of a resource: assign a
 * block that gives it — naming only kinds this SoC has and lets the application
 * VM use (its profile) — or, when it has none, say that the SoC cannot.
 */
function noneAdvice(soc: SocId, kind: ResourceKind): string {
  const p = profile(soc);
  const all = (Object.keys(RESOURCES_PER_COMPONENT) as ComponentKind[]).filter((k) => RESOURCES_PER_COMPONENT[k]!.kind === kind);
  const usable = all.filter((k) => instanceCount(p, k) > 0 && allowedDomains(p, k).some((d) => d === 'app' || d === 'shared'));
  if (usable.length === 0) {
    return `this SoC (${p.name}) has no ${orList(all.map((k) => SOURCE_WORDS[k]!))} the application VM could use, so an app that needs one cannot run on it`;
  }
  const words = usable.map((k) => SOURCE_WORDS[k]!);
  return `assign ${kind === 'socket' ? `a network adapter (${orList(words)})` : withArticle(words[0]!)} to the application VM`;
}

export type Refusal = { resource: ResourceKind; message: string };

export class ResourceManager {
  readonly total: Record<ResourceKind, number>;
  private held = new Map<string, ResourceKind[]>();

  private readonly soc: SocId;

  constructor(board: Pick<Board, 'components' | 'soc'>) {
    this.soc = board.soc;
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
        ? `no ${kind} on this board for the application VM: ${noneAdvice(this.soc, kind)}`
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
