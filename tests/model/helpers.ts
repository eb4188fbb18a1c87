// Shared helpers for the model tests.

import { EXAMPLES } from '../../src/model/examples.ts';
import type { Board } from '../../src/model/types.ts';

/** A deep copy of an example board by id (tests may change it freely). */
export function exampleBoard(id: string): Board {
  const e = EXAMPLES.find((x) => x.id === id);
  if (!e) throw new Error(`no example ${id}`);
  return structuredClone(e.board);
}

/** Freezes a value and everything in it, so any mutation throws (modules are strict). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

export function rules(diagnostics: readonly { rule: string; component?: string }[]): string[] {
  return diagnostics.map((d) => (d.component ? `${d.rule}:${d.component}` : d.rule));
}
