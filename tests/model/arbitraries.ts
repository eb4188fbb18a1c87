// Generated board files for the fuzz tests: valid boards, and files made from
// them by hostile or clumsy mutations (deleted keys, swapped types,
// __proto__/constructor keys, duplicate ids, huge strings, deep nesting, cut text).

import fc from 'fast-check';
import { serializeBoard } from '../../src/model/boardFile.ts';
import { RESERVED_COMPONENT_IDS } from '../../src/model/board.ts';
import { EXAMPLES } from '../../src/model/examples.ts';
import { COMPONENT_KINDS, DMA_PROTECTIONS, DOMAINS, SOC_IDS, type Board } from '../../src/model/types.ts';

// Ids the board file reserves for memory regions and VMs are left out: they are refused on purpose.
const idArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/).filter((id) => !RESERVED_COMPONENT_IDS.includes(id));
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

export const validBoardArb: fc.Arbitrary<Board> = fc.record({
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
export const mutatedFileArb = fc.record({
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
