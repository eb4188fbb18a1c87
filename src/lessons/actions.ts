// A lesson's actions as data: the board edit each one is, and a line that says it.
// Pure (no engine), so the page can show and count actions without loading the engine.

import * as B from '../model/board.ts';
import type { Board } from '../model/types.ts';
import type { LessonAction } from './types.ts';

/** The board after a board edit; null when the action is not one (power, console, time). */
export function editBoard(board: Board, action: LessonAction): Board | null {
  switch (action.do) {
    case 'add': return B.addComponent(board, action.kind, action.domain).board;
    case 'assign': return B.assignDomain(board, action.id, action.domain);
    case 'remove': return B.removeComponent(board, action.id);
    case 'protect': return B.setDmaProtection(board, action.id, action.protection);
    case 'memory': return B.setVmMemory(board, action.vm, action.mib);
    case 'soc': return B.switchProfile(board, action.soc).board;
    case 'firewall': return B.setFirewallEnforce(board, action.enforce);
    case 'refresh-policy': {
      const { do: _, ...change } = action;
      return B.setRefreshPolicy(board, 'app', { ...B.refreshPolicyOf(board, 'app'), ...change });
    }
    case 'hot-spare': return B.setHotSpare(board, action.on);
    default: return null;
  }
}

/** Board edits in a solution: what a challenge's score counts. */
export function boardChanges(actions: readonly LessonAction[]): number {
  return actions.filter((a) => editBoard(B.emptyBoard(), a) !== null).length;
}

/** One line a participant can read: what the action does. */
export function describeAction(a: LessonAction): string {
  switch (a.do) {
    case 'add': return `add a ${a.kind} to ${a.domain ?? 'no domain'}`;
    case 'assign': return `assign ${a.id} to ${a.domain ?? 'no domain'}`;
    case 'remove': return `remove ${a.id}`;
    case 'protect': return `set ${a.id}'s DMA protection to ${a.protection}`;
    case 'memory': return `give the ${a.vm} VM ${a.mib} MiB`;
    case 'soc': return `switch the SoC to ${a.soc}`;
    case 'firewall': return `${a.enforce ? 'enforce' : 'switch off'} the firewall`;
    case 'refresh-policy': return `set the refresh policy (${Object.entries(a).filter(([k]) => k !== 'do').map(([k, v]) => `${k}: ${String(v)}`).join(', ')})`;
    case 'hot-spare': return `${a.on ? 'keep' : 'stop keeping'} a hot spare of the application VM`;
    case 'power-on': return 'power on';
    case 'power-off': return 'power off';
    case 'restart': return 'apply the board and reboot';
    case 'type': return `${a.vm}: ${a.line}`;
    case 'wait': return `let ${a.ms} ms of simulated time pass`;
  }
}
