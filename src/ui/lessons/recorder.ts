// The lesson builder's recorder: while it runs, every registry action that a
// lesson can replay (board edits, the power switch, attacks, commands typed
// through the builder) is written down as a lesson action, in order.
import { create } from 'zustand';
import type { LessonAction } from '../../lessons/types.ts';
import type { Board, ComponentKind, DmaProtection, Domain, SocId } from '../../model/types.ts';
import type { VmId } from '../../sim/types.ts';

export const useRecorder = create<{ recording: boolean; start: Board | null; actions: LessonAction[] }>(() => ({
  recording: false,
  start: null,
  actions: [],
}));

type Payload = Record<string, unknown>;

/** The lesson action a registry action stands for, or null when it is not one a lesson replays. */
export function asLessonAction(name: string, payload: unknown): LessonAction | null {
  const p = (payload ?? {}) as Payload;
  switch (name) {
    case 'addComponent': return { do: 'add', kind: p.kind as ComponentKind, domain: p.domain as Domain | null };
    case 'moveComponent':
    case 'assignDomain': return { do: 'assign', id: p.id as string, domain: p.domain as Domain | null };
    case 'removeComponent': return typeof payload === 'string' ? { do: 'remove', id: payload } : null;
    case 'setDmaProtection': return { do: 'protect', id: p.id as string, protection: p.protection as DmaProtection };
    case 'setVmMemory': return { do: 'memory', vm: p.vm as 'system' | 'app', mib: p.memoryMiB as number };
    case 'switchProfile': return { do: 'soc', soc: payload as SocId };
    case 'setFirewallEnforce': return { do: 'firewall', enforce: payload as boolean };
    case 'setHotSpare': return { do: 'hot-spare', on: payload as boolean };
    case 'setRefreshPolicy': return { do: 'refresh-policy', ...(p as object) } as LessonAction;
    case 'powerOn': return { do: 'power-on' };
    case 'powerOff': return { do: 'power-off' };
    case 'restart': return { do: 'restart' };
    case 'attack': return { do: 'type', vm: p.vm as VmId, line: `attack ${String(p.name)}` };
    case 'typeCommand': return { do: 'type', vm: p.vm as VmId, line: p.line as string };
    case 'step': return { do: 'wait', ms: payload as number };
    default: return null;
  }
}

/** Called by runAction for every action it runs. */
export function record(name: string, payload: unknown, selectedId: string | null): void {
  if (!useRecorder.getState().recording) return;
  // "Delete" removes the selected component: record which one.
  const a = asLessonAction(name, name === 'removeComponent' && payload === undefined ? selectedId : payload);
  if (a) useRecorder.setState((s) => ({ actions: [...s.actions, a] }));
}
