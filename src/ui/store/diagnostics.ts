// The board's diagnostics, worked out once per board: the diagram, the inspector, the diagnostics
// list and Power on all show them, and on a 256-component board each check took ~5 ms.
// Boards are never changed in place (every edit makes a new one), so the board itself is the key.
import { check } from '../../model/check.ts';
import type { Board, Diagnostic } from '../../model/types.ts';

const cache = new WeakMap<Board, Diagnostic[]>();
const byComponent = new WeakMap<Board, Map<string, Diagnostic[]>>();
const NONE: Diagnostic[] = [];

export function diagnosticsOf(board: Board): Diagnostic[] {
  let found = cache.get(board);
  if (!found) cache.set(board, (found = check(board)));
  return found;
}

/**
 * The diagnostics about one component, in the board's order. Filed once per board: the diagram asks
 * for each of its blocks, and filtering the whole list for each made an edit cost blocks × diagnostics.
 */
export function diagnosticsAbout(board: Board, id: string): Diagnostic[] {
  let filed = byComponent.get(board);
  if (!filed) {
    filed = new Map();
    for (const d of diagnosticsOf(board)) {
      if (d.component === undefined) continue;
      const list = filed.get(d.component);
      if (list) list.push(d);
      else filed.set(d.component, [d]);
    }
    byComponent.set(board, filed);
  }
  return filed.get(id) ?? NONE;
}
