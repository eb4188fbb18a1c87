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
 * The diagnostics about one component, in the board's order: those that name it, as their component
 * or one of their others (both sides of a pin conflict). Filed once per board: the diagram asks for
 * each of its blocks, and filtering the whole list for each made an edit cost blocks × diagnostics.
 */
export function diagnosticsAbout(board: Board, id: string): Diagnostic[] {
  let filed = byComponent.get(board);
  if (!filed) {
    filed = new Map();
    for (const d of diagnosticsOf(board)) {
      for (const id of aboutWhom(d)) {
        const list = filed.get(id);
        if (list) list.push(d);
        else filed.set(id, [d]);
      }
    }
    byComponent.set(board, filed);
  }
  return filed.get(id) ?? NONE;
}

/** The components a diagnostic is about: its component, then its others. */
function aboutWhom(d: Diagnostic): string[] {
  return [...(d.component === undefined ? [] : [d.component]), ...(d.others ?? [])];
}

/**
 * What a block's badge says in words, for its tooltip and a screen reader: how many problems, and
 * each one's rule with the other blocks it involves ("pin-conflict with sd0").
 */
export function problemsInWords(about: readonly Diagnostic[], id: string): string {
  const errors = about.some((d) => d.severity === 'error');
  const count = errors
    ? `${about.length} ${about.length === 1 ? 'problem, an error' : 'problems, at least one error'}`
    : `${about.length} ${about.length === 1 ? 'warning' : 'warnings'}`;
  const each = about.map((d) => {
    const others = aboutWhom(d).filter((x) => x !== id);
    return others.length ? `${d.rule} with ${others.join(', ')}` : d.rule;
  });
  return `${count}: ${each.join('; ')}`;
}
