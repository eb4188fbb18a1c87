// Hostile and broken files, generated: start from valid boards, mutate them
// (delete keys, swap types, insert __proto__/constructor keys, duplicate ids,
// huge strings, deep nesting, cut the text) and feed them to the parser.
// The parser must never throw, must only accept boards that satisfy the
// schema, and must never change the board already loaded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBoard, parseBoardFile, serializeBoard, type ParseResult } from '../../src/model/boardFile.ts';
import { COMPONENT_ID_PATTERN } from '../../src/model/board.ts';
import { check } from '../../src/model/check.ts';
import { EXAMPLES } from '../../src/model/examples.ts';
import { COMPONENT_KINDS, DMA_PROTECTIONS, DOMAINS, SOC_IDS, type Board } from '../../src/model/types.ts';
import { deepFreeze } from './helpers.ts';

// ------------------------------------------------------------ valid boards

const idArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/);
const componentArb = fc.record({
  id: idArb,
  kind: fc.constantFrom(...COMPONENT_KINDS),
  domain: fc.option(fc.constantFrom(...DOMAINS), { nil: null }),
  dmaProtection: fc.constantFrom(...DMA_PROTECTIONS),
}).map((c) => (c.kind === 'dma' ? c : { id: c.id, kind: c.kind, domain: c.domain }));
const vmArb = fc.record({
  memoryMiB: fc.integer({ min: 1, max: 4096 }),
  refresh: fc.record({
    everySeconds: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: null }),
    onCrash: fc.boolean(),
    onCompromise: fc.boolean(),
  }, { requiredKeys: [] }),
}, { requiredKeys: ['memoryMiB'] });

const validBoardArb: fc.Arbitrary<Board> = fc.record({
  name: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  soc: fc.constantFrom(...SOC_IDS),
  components: fc.uniqueArray(componentArb, { selector: (c) => c.id, maxLength: 12 }),
  vms: fc.record({ system: vmArb, app: vmArb }),
  firewall: fc.option(fc.record({ enforce: fc.boolean() }), { nil: undefined }),
  withLayout: fc.boolean(),
  x: fc.integer({ min: -2000, max: 2000 }),
  extra: fc.option(fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer(), { maxLength: 5 })), { nil: undefined }),
}).map(({ withLayout, x, extra, firewall, ...rest }) => {
  const b: Board = { format: 'isolation-lab/board', version: 1, ...rest };
  if (firewall) b.firewall = firewall;
  if (withLayout) b.layout = Object.fromEntries(rest.components.map((c, i) => [c.id, { x: x + i, y: i * 10 }]));
  if (extra !== undefined) b['x-notes'] = extra;
  return b;
});

// ------------------------------------------------------------ mutations

type Json = unknown;
type Mutation =
  | { op: 'delete' | 'swap-type' | 'huge-string' | 'deep'; at: number; n: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'insert-key'; at: number; key: string; value: Json }
  | { op: 'duplicate-component'; at: number }
  | { op: 'version'; value: Json }
  | { op: 'extra-key'; key: string; value: Json };

/** Every object and array in the value, with its parent and key (root has none). */
function nodes(root: Json): { parent: Record<string, Json> | Json[] | null; key: string | number | null; value: Json }[] {
  const out: ReturnType<typeof nodes> = [{ parent: null, key: null, value: root }];
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!.value;
    if (Array.isArray(v)) v.forEach((x, k) => out.push({ parent: v, key: k, value: x }));
    else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) out.push({ parent: v as Record<string, Json>, key: k, value: (v as Record<string, Json>)[k] });
    }
  }
  return out;
}

function set(parent: Record<string, Json> | Json[], key: string | number, value: Json): void {
  Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

function swapType(v: Json): Json {
  if (typeof v === 'string') return v.length;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 0;
  if (v === null || v === undefined) return {};
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  return Object.values(v as object);
}

function mutate(root: Json, m: Mutation): Json {
  const isObject = (v: Json): v is Record<string, Json> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (m.op === 'version') {
    if (isObject(root)) root.version = m.value;
    return root;
  }
  if (m.op === 'extra-key') {
    if (isObject(root)) set(root, m.key, m.value);
    return root;
  }
  const all = nodes(root);
  const target = all[m.at % all.length]!;
  const put = (value: Json): Json => {
    if (target.parent === null) return value;
    set(target.parent, target.key!, value);
    return root;
  };
  switch (m.op) {
    case 'delete':
      if (target.parent === null) return undefined;
      if (Array.isArray(target.parent)) target.parent.splice(target.key as number, 1);
      else delete target.parent[target.key as string];
      return root;
    case 'replace':
      return put(m.value);
    case 'swap-type':
      return put(swapType(target.value));
    case 'huge-string':
      return put('x'.repeat(10_000 + (m.n % 200_000)));
    case 'deep': {
      let v = target.value;
      for (let i = 0; i < 50 + (m.n % 1000); i++) v = i % 2 ? [v] : { a: v };
      return put(v);
    }
    case 'insert-key': {
      const obj = isObject(target.value) ? target.value : isObject(root) ? root : undefined;
      if (obj) set(obj, m.key, m.value);
      return root;
    }
    case 'duplicate-component': {
      const cs = isObject(root) ? root.components : undefined;
      if (Array.isArray(cs) && cs.length > 0) cs.push(cs[m.at % cs.length]); // the same object twice: serialized as two copies
      return root;
    }
  }
}

const smallJson = fc.jsonValue({ maxDepth: 2 });
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete', 'swap-type', 'huge-string', 'deep') as fc.Arbitrary<'delete'>, at: fc.nat(), n: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: smallJson }),
  fc.record({
    op: fc.constant('insert-key' as const), at: fc.nat(),
    key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'x'),
    value: smallJson,
  }),
  fc.record({ op: fc.constant('duplicate-component' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('version' as const), value: fc.oneof(fc.integer({ min: -2, max: 5 }), smallJson) }),
  // Usually harmless: a new top-level key, which must survive the round trip.
  fc.record({ op: fc.constant('extra-key' as const), key: fc.string({ maxLength: 12 }), value: smallJson }),
);

const baseArb = fc.oneof(
  fc.constantFrom(...EXAMPLES.map((e) => e.board)),
  validBoardArb,
);

/** A board file text: a valid board, mutated, stringified, sometimes cut or garbled. */
const mutatedFileArb = fc.record({
  base: baseArb,
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
  // One file in five is also cut short or garbled as text.
  textEdit: fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.record({ at: fc.nat(), insert: fc.constantFrom('', '"', '{', ']', ',', '\\u0000', '\u2028') }) },
  ),
}).map(({ base, mutations, textEdit }) => {
  let value: Json = JSON.parse(serializeBoard(base));
  for (const m of mutations) value = mutate(value, m);
  let text = JSON.stringify(value) ?? 'undefined';
  if (textEdit) {
    const at = textEdit.at % (text.length + 1);
    text = text.slice(0, at) + textEdit.insert + (textEdit.insert === '' ? '' : text.slice(at));
  }
  return text;
});

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
      expect(check(b)).toEqual(check(b));
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
    console.log(`fuzz: ${accepted} of ${total} mutated files accepted`);
    // The mutations should produce both outcomes, or the fuzzing proves little.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(9_900);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('leaves the current board, and the value it was given, unchanged when an import is refused', () => {
    const current = deepFreeze(structuredClone(EXAMPLES[0]!.board));
    const before = structuredClone(current);
    const board: Board = current; // what an editor store holds before the import
    fc.assert(fc.property(mutatedFileArb, (text) => {
      let value: unknown;
      try { value = JSON.parse(text); } catch { value = text; }
      const copy = JSON.stringify(value); // text, since values may be nested thousands deep
      const r = parseBoard(value);
      expect(JSON.stringify(value)).toBe(copy);
      const after = r.ok ? r.board : board; // a refused import keeps the board as it was
      if (!r.ok) {
        expect(after).toBe(current);
        expect(current).toEqual(before);
      }
    }), { numRuns: 1000 });
  });
});
