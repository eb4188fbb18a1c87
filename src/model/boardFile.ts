// The board file (CONTRACT §1): parse, validate, migrate and serialize.
//
// A board file is data from anywhere (an import, a share link, autosave, CI),
// so parsing never throws: every input ends as either a fresh, validated board
// or a refusal naming the first problem and its JSON path ("$.components[3].kind").
//
// Decisions worth knowing:
// - Files over MAX_BOARD_FILE_CHARS and values nested deeper than MAX_DEPTH are
//   refused before validation, so hostile input costs little.
// - A key named "__proto__" anywhere is refused: it has no meaning in a board,
//   and refusing it keeps prototype tricks out of every later copy.
// - Unknown top-level keys are kept on round trip (deep-copied as JSON data),
//   except names of Object.prototype members ("constructor", "toString", …):
//   kept on the board they would shadow methods code may call, so they are refused.
//   Deeper inside kept values such keys are plain data and are kept;
//   unknown keys inside components, vms, refresh or firewall are refused, so a
//   typo such as "domian" is reported instead of silently ignored.
// - `layout` entries whose key is not a component id are dropped with a warning
//   (a stale position is harmless and common after hand edits).
// - Optional fields are not filled with defaults, so parse → serialize keeps the
//   file as written.
//
// Version 0 (the pre-release format) is migrated to version 1. Its shape was:
//   {
//     "format": "isolation-lab/board", "version": 0, "name": …, "soc": …,
//     "components": [{ "id": …, "kind": …, "assignment": "app" | "rt" | "system"
//                      | "shared" | "none", "dma": "none" | "firewall-id" | "iommu" }],
//     "vms": [{ "id": "system", "memoryMiB": … }, { "id": "app", "memoryMiB": …, "refresh": … }],
//     "firewallEnforced": true
//   }
// i.e. `assignment` (with "none" for unassigned) instead of `domain`, `dma`
// instead of `dmaProtection`, `vms` as a list, and a boolean `firewallEnforced`
// instead of `firewall: { enforce }`.

import { z } from 'zod';
// Writing a board and the file's limits live in boardJson.ts (no zod): re-exported, so this stays the one module to read files with.
export {
  boardSizeProblem, boardToJson, decodeBoardBytes, type FileKind, MAX_BOARD_FILE_BYTES, MAX_BOARD_FILE_CHARS, MAX_COMPONENTS, MAX_DEPTH,
  MAX_MEMORY_MIB, MAX_NAME_CHARS, MAX_PART_SCHEDULES, serializeBoard,
} from './boardJson.ts';
import { BOARD_FORMAT, BOARD_VERSION, COMPONENT_ID_PATTERN, RESERVED_COMPONENT_IDS } from './board.ts';
import { clip, excerpt, EXCERPT_CHARS, safeJson, safeMessage } from './safeText.ts';
import { isBusMaster } from './catalog.ts';
import {
  boardSizeProblem, copyComponent, copyVm, decodeBoardBytes, KNOWN_KEYS, MAX_BOARD_FILE_CHARS, MAX_COMPONENTS, MAX_DEPTH, MAX_MEMORY_MIB,
  MAX_NAME_CHARS, MAX_PART_SCHEDULES, setOwn,
} from './boardJson.ts';
import type { Board } from './types.ts';
import { COMPONENT_KINDS, DMA_PROTECTIONS, DOMAINS, SOC_IDS } from './types.ts';

/** A refreshable part of the application VM: its kernel, one driver (a component id), or one app. */
const PART_PATTERN = /^(kernel|driver:[a-z][a-z0-9-]{0,31}|app:[a-z][a-z0-9-]{0,31})$/;

export type ParseResult =
  | { ok: true; board: Board; warnings: string[] }
  | { ok: false; error: string; path: string };

type Path = readonly (string | number)[];

/** `$.components[3].kind`; odd keys are quoted: `$.layout["a b"]`. */
export function formatPath(path: Path): string {
  let out = '$';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p)) out += `.${p}`;
    else out += `[${safeJson(clip(p, EXCERPT_CHARS))}]`;
  }
  return out;
}

class Refusal {
  constructor(readonly path: Path, readonly message: string) {}
}

function refuse(path: Path, message: string): never {
  throw new Refusal(path, message);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') {
    return `the text "${excerpt(value)}"`;
  }
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Walks the value without recursion: refuses `__proto__` keys, values nested
 * deeper than MAX_DEPTH, and anything JSON cannot hold (functions, undefined…).
 */
function scan(root: unknown): void {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (path.length > MAX_DEPTH) {
      refuse(path.slice(0, MAX_DEPTH + 1), `the file is nested deeper than ${MAX_DEPTH} levels; a board is shallow, so this is not a board file.`);
    }
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) refuse(path, 'numbers must be finite.');
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    if (typeof value === 'object') {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) refuse(path, 'expected plain JSON data.');
      const keys = Reflect.ownKeys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (typeof key !== 'string') refuse(path, 'expected plain JSON data (symbol keys are not allowed).');
        if (key === '__proto__') {
          refuse([...path, key], 'the key "__proto__" is not allowed in a board file; remove it.');
        }
        const d = Object.getOwnPropertyDescriptor(value, key)!;
        if (!('value' in d)) refuse([...path, key], 'expected plain JSON data (getters are not allowed).');
        stack.push({ value: d.value, path: [...path, key] });
      }
      continue;
    }
    refuse(path, `expected JSON data, found ${typeof value}.`);
  }
}

/** A deep copy of scanned JSON data into fresh plain objects. */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      setOwn(out, key, cloneJson(value[key]));
    }
    return out;
  }
  return value;
}

// ---------------------------------------------------------------- version 1

const partSchema = z.strictObject({
  part: z.string().regex(PART_PATTERN),
  everySeconds: z.number().int().positive().max(1e9).optional(),
  randomSeconds: z.tuple([z.number().int().positive().max(1e9), z.number().int().positive().max(1e9)]).optional(),
});

/** The refresh settings of a VM (also what a lesson's refresh-policy action may set). */
export const refreshSchema = z.strictObject({
  everySeconds: z.number().int().positive().max(1e9).nullable().optional(),
  onCrash: z.boolean().optional(),
  onCompromise: z.boolean().optional(),
  measureEverySeconds: z.number().int().positive().max(1e9).optional(),
  parts: z.array(partSchema).max(MAX_PART_SCHEDULES).optional(),
});

const vmSchema = z.strictObject({
  memoryMiB: z.number().int().positive().max(MAX_MEMORY_MIB),
  refresh: refreshSchema.optional(),
});

/** The application VM's settings add whether its supervisor serialises launches. */
const appVmSchema = vmSchema.extend({ serializeLaunches: z.boolean().optional(), hotSpare: z.boolean().optional() });

const componentSchema = z.strictObject({
  id: z.string().regex(COMPONENT_ID_PATTERN),
  kind: z.enum(COMPONENT_KINDS),
  domain: z.enum(DOMAINS).nullable(),
  dmaProtection: z.enum(DMA_PROTECTIONS).optional(),
});

const positionSchema = z.strictObject({ x: z.number(), y: z.number() });


const boardSchema = z.object({
  format: z.literal(BOARD_FORMAT),
  version: z.literal(BOARD_VERSION),
  name: z.string(),
  soc: z.enum(SOC_IDS),
  components: z.array(componentSchema).max(MAX_COMPONENTS),
  vms: z.strictObject({ system: vmSchema, app: appVmSchema }),
  firewall: z.strictObject({ enforce: z.boolean() }).optional(),
  layout: z.record(z.string(), positionSchema).optional(),
});

/** How to fix a field, by its last key. */
const FIX: Record<string, string> = {
  format: `set "format" to "${BOARD_FORMAT}"`,
  name: `give the board a name of 1 to ${MAX_NAME_CHARS} characters`,
  soc: `use one of ${SOC_IDS.join(', ')}`,
  id: 'use lowercase letters, digits and "-", starting with a letter, at most 32 characters (e.g. "uart0")',
  kind: `use one of ${COMPONENT_KINDS.join(', ')}`,
  domain: `use one of ${DOMAINS.map((d) => `"${d}"`).join(', ')} or null`,
  dmaProtection: `use one of ${DMA_PROTECTIONS.map((d) => `"${d}"`).join(', ')}`,
  memoryMiB: `use a whole number of MiB from 1 to ${MAX_MEMORY_MIB}`,
  everySeconds: 'use a whole number of seconds, or null for no scheduled refresh',
  onCrash: 'use true or false',
  onCompromise: 'use true or false',
  serializeLaunches: 'use true (the supervisor launches one app at a time) or false (in parallel)',
  hotSpare: 'use true (keep a second instance booted) or false',
  measureEverySeconds: 'use a whole number of seconds (how often the security monitor measures the application VM)',
  parts: `list at most ${MAX_PART_SCHEDULES} part schedules`,
  part: 'use "kernel", "driver:<component id>" or "app:<name>"',
  randomSeconds: 'use [min, max], two whole numbers of seconds',
  enforce: 'use true or false',
  components: `list at most ${MAX_COMPONENTS} components`,
  x: 'use a number',
  y: 'use a number',
};

function valueAt(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

const toPath = (p: readonly PropertyKey[]): (string | number)[] =>
  p.map((k) => (typeof k === 'number' ? k : String(k)));

function issueRefusal(root: unknown, issues: readonly z.core.$ZodIssue[]): Refusal {
  const issue = issues[0]!;
  let path = toPath(issue.path);
  const found = valueAt(root, path);
  const last = path[path.length - 1];
  const fix = typeof last === 'string' && Object.hasOwn(FIX, last) ? ` Fix: ${FIX[last]}.` : '';
  if (found === undefined && issue.code !== 'unrecognized_keys') {
    // A missing key next to an unknown one is usually a misspelling: point at the misspelled key.
    const parent = formatPath(path.slice(0, -1));
    const typo = issues.find((i) => i.code === 'unrecognized_keys' && formatPath(toPath(i.path)) === parent);
    if (typo && typo.code === 'unrecognized_keys') {
      const key = typo.keys[0] ?? '';
      return new Refusal([...path.slice(0, -1), key],
        `unknown key "${excerpt(key)}" and "${excerpt(String(last))}" is missing; check the spelling of "${excerpt(key)}".${fix}`);
    }
    return new Refusal(path, `"${excerpt(String(last))}" is missing.${fix}`);
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      path = [...path, key];
      return new Refusal(path, `unknown key "${excerpt(key)}" here; check its spelling or remove it.`);
    }
    case 'invalid_type':
      return new Refusal(path, `expected ${issue.expected}, found ${describe(found)}.${fix}`);
    case 'invalid_value':
      return new Refusal(path, `${describe(found)} is not allowed here.${fix}`);
    case 'invalid_format':
      return new Refusal(path, `${describe(found)} is not a valid ${String(last ?? 'value')}.${fix}`);
    case 'too_big':
    case 'too_small': {
      // In words, not zod's ("Too big: expected array to have <=256 items").
      const big = issue.code === 'too_big';
      const limit = Number(big ? issue.maximum : issue.minimum);
      const what = issue.origin === 'array' ? (n: number) => (n === 1 ? '1 item' : `${n.toLocaleString('en')} items`)
        : issue.origin === 'string' ? (n: number) => (n === 1 ? '1 character' : `${n.toLocaleString('en')} characters`) : (n: number) => String(n);
      const has = Array.isArray(found) ? ` (it has ${what(found.length)})` : typeof found === 'string' ? ` (it has ${what(found.length)})` : `, found ${describe(found)}`;
      return new Refusal(path, `${big ? 'at most' : 'at least'} ${what(limit)} here${has}.${fix}`);
    }
    default:
      return new Refusal(path, `${issue.message}.${fix}`);
  }
}

// ---------------------------------------------------------------- migrations

function migrateV0(raw: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw, version: 1 };
  if (Array.isArray(raw.components)) {
    out.components = raw.components.map((c, i) => {
      if (!isRecord(c)) refuse(['components', i], `expected an object, found ${describe(c)}.`);
      const { assignment, dma, ...rest } = c;
      const next: Record<string, unknown> = { ...rest };
      if (assignment !== undefined) next.domain = assignment === 'none' ? null : assignment;
      if (dma !== undefined) next.dmaProtection = dma;
      return next;
    });
  }
  if (Array.isArray(raw.vms)) {
    const vms: Record<string, unknown> = {};
    raw.vms.forEach((vm, i) => {
      if (!isRecord(vm)) refuse(['vms', i], `expected an object, found ${describe(vm)}.`);
      const { id, ...settings } = vm;
      if (id !== 'system' && id !== 'app') refuse(['vms', i, 'id'], 'a version 0 VM id must be "system" or "app".');
      if (id in vms) refuse(['vms', i, 'id'], `the VM "${id}" is listed twice; keep one.`);
      vms[id] = settings;
    });
    out.vms = vms;
  }
  if ('firewallEnforced' in raw) {
    delete out.firewallEnforced;
    if (typeof raw.firewallEnforced !== 'boolean') refuse(['firewallEnforced'], 'expected true or false.');
    out.firewall = { enforce: raw.firewallEnforced };
  }
  warnings.push('Migrated from board file version 0 to version 1; save the board to keep the new format.');
  return out;
}

// ---------------------------------------------------------------- parse

function build(raw: unknown): { board: Board; warnings: string[] } {
  scan(raw);
  if (!isRecord(raw)) refuse([], `a board file is a JSON object, found ${describe(raw)}.`);
  const warnings: string[] = [];
  if (raw.format !== BOARD_FORMAT) {
    refuse(['format'], raw.format === undefined
      ? `"format" is missing; this is not an Isolation Lab board file. Fix: ${FIX.format}.`
      : `${describe(raw.format)} is not an Isolation Lab board file format. Fix: ${FIX.format}.`);
  }
  let data: Record<string, unknown> = raw;
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    refuse(['version'], version === undefined
      ? `"version" is missing. Fix: set "version" to ${BOARD_VERSION}.`
      : `${describe(version)} is not a board file version. Fix: set "version" to ${BOARD_VERSION}.`);
  }
  if (version > BOARD_VERSION) {
    refuse(['version'], `this board file is version ${version}, made by a newer Isolation Lab; this one reads `
      + `versions up to ${BOARD_VERSION}. Open it with a newer Isolation Lab, or re-export it as version ${BOARD_VERSION}.`);
  }
  if (version === 0) data = migrateV0(raw, warnings);

  const parsed = boardSchema.safeParse(data);
  if (!parsed.success) throw issueRefusal(data, parsed.error.issues);
  const v = parsed.data;

  const nameChars = [...v.name].length;
  if (nameChars < 1 || nameChars > MAX_NAME_CHARS) {
    refuse(['name'], `the name has ${nameChars} characters. Fix: ${FIX.name}.`);
  }
  const ids = new Map<string, number>();
  v.components.forEach((c, i) => {
    const before = ids.get(c.id);
    if (before !== undefined) {
      refuse(['components', i, 'id'], `the id "${c.id}" is already used by $.components[${before}]; `
        + 'component ids must be unique. Rename one of them.');
    }
    ids.set(c.id, i);
    if (RESERVED_COMPONENT_IDS.includes(c.id)) {
      refuse(['components', i, 'id'], `"${c.id}" names a memory region or a VM in the consoles (as in "peek ${c.id}"), `
        + `so it cannot be a component id. Rename it, e.g. "${c.kind.replace(/[^a-z]/g, '')}${i}".`);
    }
    if (c.dmaProtection !== undefined && !isBusMaster(c.kind)) {
      refuse(['components', i, 'dmaProtection'], `only a "dma" engine or another peripheral that masters the bus `
        + `has "dmaProtection", and ${c.id} is a "${c.kind}", which does not. Remove the key.`);
    }
  });

  const components = v.components.map(copyComponent);
  const board: Board = {
    format: BOARD_FORMAT,
    version: BOARD_VERSION,
    name: v.name,
    soc: v.soc,
    components,
    vms: { system: copyVm(v.vms.system), app: copyVm(v.vms.app) },
  };
  if (v.firewall) board.firewall = { enforce: v.firewall.enforce };
  if (v.layout) {
    const layout: Record<string, { x: number; y: number }> = {};
    const stale: string[] = [];
    // Iterate the original object (own keys only) so odd keys never reach a setter.
    for (const key of Object.keys(v.layout)) {
      const pos = v.layout[key]!;
      if (ids.has(key)) {
        setOwn(layout, key, { x: pos.x, y: pos.y });
      } else stale.push(key);
    }
    if (stale.length > 0) {
      const shown = stale.slice(0, 5).map((k) => safeJson(clip(k, EXCERPT_CHARS))).join(', ');
      warnings.push(`Dropped ${stale.length} layout position${stale.length === 1 ? '' : 's'} for components that `
        + `are not on the board: ${shown}${stale.length > 5 ? ', …' : ''}.`);
    }
    board.layout = layout;
  }
  for (const key of Object.keys(data)) {
    if ((KNOWN_KEYS as readonly string[]).includes(key)) continue;
    if (key in Object.prototype) {
      refuse([key], `"${key}" is a reserved name and cannot be a top-level key; rename or remove it.`);
    }
    setOwn(board, key, cloneJson(data[key]));
  }
  return { board, warnings };
}

/** Validates an already-parsed value as a board (parseBoardFile is this after JSON.parse). Never throws. */
export function parseBoard(value: unknown): ParseResult {
  try {
    const { board, warnings } = build(value);
    // A file that fits only because it is compact could not be saved again (autosave, export): every reader refuses it alike.
    const size = boardSizeProblem(board);
    if (size) return { ok: false, error: `$: ${size}`, path: '$' };
    return { ok: true, board, warnings: warnings.map((w) => safeMessage(w)) };
  } catch (e) {
    // Every refusal quotes data, so it is made safe for a terminal and bounded here, once.
    if (e instanceof Refusal) return { ok: false, error: safeMessage(`${formatPath(e.path)}: ${e.message}`), path: formatPath(e.path) };
    // Should not happen; still a refusal, never a crash.
    return { ok: false, error: safeMessage(`$: the board could not be read (${e instanceof Error ? e.message : String(e)}).`), path: '$' };
  }
}

/** Parses the text of a `*.board.json` file. Never throws. */
export function parseBoardFile(text: string): ParseResult {
  if (typeof text !== 'string') return { ok: false, error: '$: expected the text of a board file.', path: '$' };
  if (text.length > MAX_BOARD_FILE_CHARS) {
    return {
      ok: false, path: '$',
      error: `$: the file is ${text.length.toLocaleString('en')} characters; a board file is at most ${MAX_BOARD_FILE_CHARS.toLocaleString('en')}, so this is not a board file.`,
    };
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.charCodeAt(0) === 0xfeff) {
    return {
      ok: false, path: '$',
      error: '$: the file starts with two byte-order marks (U+FEFF); a board file has one at most. '
        + 'Save it again as UTF-8, or delete the invisible characters before the first "{".',
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return {
      ok: false, path: '$',
      // The parser's own message quotes the input: bounded, controls made visible.
      error: `$: the file is not valid JSON (${safeMessage(e instanceof Error ? e.message : String(e), { max: 160 })}). `
        + 'Check for a missing comma, quote or bracket.',
    };
  }
  return parseBoard(value);
}

/** Parses the bytes of a `*.board.json` file (decodeBoardBytes, then parseBoardFile). Never throws. */
export function parseBoardBytes(bytes: Uint8Array): ParseResult {
  const text = decodeBoardBytes(bytes);
  return text.ok ? parseBoardFile(text.text) : text;
}

