// The board as text, without the parser: the file's limits, writing a board
// (serializeBoard, the one key order), reading a file's bytes as text, and the
// share link's parameter name. The page loads this with its first script; the
// parser and its schemas (boardFile.ts, with zod) load when a file, a link or a
// saved board is first read.

import type { Board, Component, PartSchedule, RefreshPolicy, VmSettings } from './types.ts';

export const MAX_BOARD_FILE_CHARS = 1_000_000;
export const MAX_DEPTH = 64;
export const MAX_COMPONENTS = 256;
export const MAX_NAME_CHARS = 80;
export const MAX_MEMORY_MIB = 1 << 20;
export const MAX_PART_SCHEDULES = 32;

/** Top-level keys of a board file; any other key is kept as it was written. */
export const KNOWN_KEYS = ['format', 'version', 'name', 'soc', 'components', 'vms', 'firewall', 'layout'] as const;

/** The URL fragment parameter of a share link: `#board=<data>`. */
export const SHARE_PARAM = 'board';

/** Anything longer in bytes is longer than MAX_BOARD_FILE_CHARS as text (UTF-8 spends at most 3 bytes per UTF-16 unit). */
export const MAX_BOARD_FILE_BYTES = 3 * MAX_BOARD_FILE_CHARS;

// Only the part of the standard TextDecoder this file uses (the model layer has no DOM or Node types).
declare class TextDecoder {
  constructor(label: 'utf-8', options: { fatal: boolean; ignoreBOM: boolean });
  decode(bytes: Uint8Array): string;
}

/** What a file read by decodeBoardBytes is, for its refusals: "a board file is UTF-8 JSON". */
export interface FileKind {
  /** With its article: "a board file", "a console script". */
  name: string;
  format: string;
}

const BOARD_FILE: FileKind = { name: 'a board file', format: 'UTF-8 JSON' };

/**
 * The bytes of a board file as text, the one way both the page and the `lab`
 * command read them: strict UTF-8 (a file in another encoding is refused, not
 * guessed), every byte-order mark kept, so that parseBoardFile strips exactly
 * one, whoever read the file. `lab` reads its other files (scripts, lessons)
 * the same way; `kind` names them in the refusals.
 */
export function decodeBoardBytes(bytes: Uint8Array, kind: FileKind = BOARD_FILE): { ok: true; text: string } | { ok: false; error: string; path: '$' } {
  const refuse = (error: string) => ({ ok: false as const, error: `$: ${error}`, path: '$' as const });
  if (bytes.length > MAX_BOARD_FILE_BYTES) {
    return refuse(kind === BOARD_FILE
      ? `the file is ${bytes.length.toLocaleString('en')} bytes; a board file is at most ${MAX_BOARD_FILE_CHARS.toLocaleString('en')} characters (${MAX_BOARD_FILE_BYTES.toLocaleString('en')} bytes of UTF-8 at the very most), so this is not a board file.`
      : `the file is ${bytes.length.toLocaleString('en')} bytes; lab reads files of at most ${MAX_BOARD_FILE_BYTES.toLocaleString('en')} bytes, and ${kind.name} is far smaller.`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return refuse(`the file is UTF-16 text; ${kind.name} is UTF-8. Save it again as UTF-8.`);
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return refuse(`the file is not UTF-8 text (it has bytes no UTF-8 text can hold); ${kind.name} is ${kind.format}. `
      + 'Save it again as UTF-8.');
  }
}

/**
 * Why this board could not be saved and read back, or null when it can: the
 * limits a file is read with are the limits every save (autosave, export,
 * share link) and every edit is held to, so nothing the editor makes is
 * refused on the next load. `text`: the board as serialized, when the caller has it already.
 */
export function boardSizeProblem(board: Board, text = serializeBoard(board)): string | null {
  if (board.components.length > MAX_COMPONENTS) {
    return `a board holds at most ${MAX_COMPONENTS} components, and this would be component number `
      + `${board.components.length}. Remove a component first.`;
  }
  const chars = text.length;
  if (chars > MAX_BOARD_FILE_CHARS) {
    return `the board file, written with the two-space indent every save uses, would be ${chars.toLocaleString('en')} characters, over the limit of `
      + `${MAX_BOARD_FILE_CHARS.toLocaleString('en')}. Remove components, layout positions or extra keys first.`;
  }
  return null;
}

// ---------------------------------------------------------------- serialize

/** The board as file data: fresh plain objects in the file's stable key order. */
export function boardToJson(board: Board): Record<string, unknown> {
  const out: Record<string, unknown> = {
    format: board.format,
    version: board.version,
    name: board.name,
    soc: board.soc,
    components: board.components.map(copyComponent),
    vms: { system: copyVm(board.vms.system), app: copyVm(board.vms.app) },
  };
  if (board.firewall) out.firewall = { enforce: board.firewall.enforce };
  if (board.layout) {
    const layout: Record<string, unknown> = {};
    for (const key of Object.keys(board.layout)) {
      const p = board.layout[key]!;
      setOwn(layout, key, { x: p.x, y: p.y });
    }
    out.layout = layout;
  }
  for (const key of Object.keys(board)) {
    if ((KNOWN_KEYS as readonly string[]).includes(key)) continue;
    setOwn(out, key, board[key]);
  }
  return out;
}

/** The board as a file: stable key order, two-space indent, ending in a newline. */
export function serializeBoard(board: Board): string {
  return `${JSON.stringify(boardToJson(board), null, 2)}\n`;
}

/**
 * Fresh copies in the file's key order, with only the keys that are set: used
 * both when a file is read and when a board is written, so the two cannot drift.
 */
export function copyComponent(c: Component): Component {
  const out: Component = { id: c.id, kind: c.kind, domain: c.domain };
  if (c.dmaProtection !== undefined) out.dmaProtection = c.dmaProtection;
  return out;
}

export function copyVm(s: VmSettings): VmSettings {
  const out: VmSettings = { memoryMiB: s.memoryMiB };
  if (s.refresh) {
    const r: RefreshPolicy = {};
    if (s.refresh.everySeconds !== undefined) r.everySeconds = s.refresh.everySeconds;
    if (s.refresh.onCrash !== undefined) r.onCrash = s.refresh.onCrash;
    if (s.refresh.onCompromise !== undefined) r.onCompromise = s.refresh.onCompromise;
    if (s.refresh.measureEverySeconds !== undefined) r.measureEverySeconds = s.refresh.measureEverySeconds;
    if (s.refresh.parts !== undefined) {
      r.parts = s.refresh.parts.map((p) => {
        const q: PartSchedule = { part: p.part };
        if (p.everySeconds !== undefined) q.everySeconds = p.everySeconds;
        if (p.randomSeconds !== undefined) q.randomSeconds = [p.randomSeconds[0], p.randomSeconds[1]];
        return q;
      });
    }
    out.refresh = r;
  }
  if (s.serializeLaunches !== undefined) out.serializeLaunches = s.serializeLaunches;
  if (s.hotSpare !== undefined) out.hotSpare = s.hotSpare;
  return out;
}

/** Sets an own, plain data property: a key like "__proto__" or "toString" never reaches a setter or shadows silently. */
export function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
