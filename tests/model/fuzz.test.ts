// Hostile and broken files, generated: start from valid boards, mutate them
// (delete keys, swap types, insert __proto__/constructor keys, duplicate ids,
// huge strings, deep nesting, cut the text) and feed them to the parser.
// The parser must never throw and must only accept boards that satisfy the
// schema; the editor's side of a refusal (its board unchanged) is in tests/ui/import.test.ts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBoard, parseBoardFile, serializeBoard, type ParseResult } from '../../src/model/boardFile.ts';
import { COMPONENT_ID_PATTERN } from '../../src/model/board.ts';
import { check } from '../../src/model/check.ts';
import { COMPONENT_KINDS, DMA_PROTECTIONS, DOMAINS, SOC_IDS, type Board } from '../../src/model/types.ts';
import { mutatedFileArb, validBoardArb } from './arbitraries.ts';

// ------------------------------------------------------------ the schema, checked independently

function expectValidBoard(b: Board): void {
  expect(Object.getPrototypeOf(b)).toBe(Object.prototype);
  expect(b.format).toBe('isolation-lab/board');
  expect(b.version).toBe(1);
  const chars = [...b.name].length;
  expect(chars >= 1 && chars <= 80).toBe(true);
  expect(SOC_IDS).toContain(b.soc);
  const ids = new Set<string>();
  for (const c of b.components) {
    expect(c.id).toMatch(COMPONENT_ID_PATTERN);
    expect(ids.has(c.id)).toBe(false);
    ids.add(c.id);
    expect(COMPONENT_KINDS).toContain(c.kind);
    expect(c.domain === null || (DOMAINS as readonly string[]).includes(c.domain)).toBe(true);
    if (c.dmaProtection !== undefined) {
      expect(c.kind).toBe('dma');
      expect(DMA_PROTECTIONS).toContain(c.dmaProtection);
    }
  }
  for (const vm of [b.vms.system, b.vms.app]) {
    expect(Number.isInteger(vm.memoryMiB) && vm.memoryMiB > 0).toBe(true);
  }
  for (const key of Object.keys(b.layout ?? {})) expect(ids.has(key)).toBe(true);
  for (const key of Object.keys(b)) expect(key in Object.prototype).toBe(false); // no shadowed methods, no __proto__
}

function expectWellFormed(r: ParseResult): void {
  if (r.ok) {
    expectValidBoard(r.board);
    // Accepted boards are stable: what we save, we read back unchanged.
    const again = parseBoardFile(serializeBoard(r.board));
    expect(again.ok && again.board).toEqual(r.board);
    expect(() => check(r.board)).not.toThrow();
  } else {
    expect(typeof r.error).toBe('string');
    expect(r.error.length).toBeGreaterThan(0);
    expect(r.path.startsWith('$')).toBe(true);
    expect(r.error.startsWith(r.path)).toBe(true);
  }
}

// ------------------------------------------------------------ properties

describe('fuzzing the board file parser', () => {
  it('reads back every valid board exactly', () => {
    fc.assert(fc.property(validBoardArb, (b) => {
      expect(parseBoardFile(serializeBoard(b))).toEqual({ ok: true, board: b, warnings: [] });
      expect(() => check(b)).not.toThrow();
    }), { numRuns: 1000 });
  });

  it('never throws on 10,000 mutated files, and accepts only boards that satisfy the schema', () => {
    let accepted = 0;
    let total = 0;
    fc.assert(fc.property(mutatedFileArb, (text) => {
      let r: ParseResult | undefined;
      expect(() => { r = parseBoardFile(text); }).not.toThrow();
      expectWellFormed(r!);
      total++;
      if (r!.ok) accepted++;
    }), { numRuns: 10_000 });
    // The mutations should produce both outcomes, or the fuzzing proves little.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(9_900);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('never changes the value it is given, accepted or refused', () => {
    fc.assert(fc.property(mutatedFileArb, (text) => {
      let value: unknown;
      try { value = JSON.parse(text); } catch { value = text; }
      const copy = JSON.stringify(value); // text, since values may be nested thousands deep
      parseBoard(value);
      expect(JSON.stringify(value)).toBe(copy);
    }), { numRuns: 1000 });
  });
});
