// The board's diagnostics, worked out once per board: the diagram, the inspector, the diagnostics
// list and Power on all show them, and on a 256-component board each check took ~5 ms.
// Boards are never changed in place (every edit makes a new one), so the board itself is the key.
import { check } from '../../model/check.ts';
import type { Board, Diagnostic } from '../../model/types.ts';

const cache = new WeakMap<Board, Diagnostic[]>();

export function diagnosticsOf(board: Board): Diagnostic[] {
  let found = cache.get(board);
  if (!found) cache.set(board, (found = check(board)));
  return found;
}
