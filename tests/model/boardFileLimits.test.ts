// One way to read bytes, one size limit for reading and saving, and refusals safe to print.
import { describe, expect, it } from 'vitest';
import { addComponent } from '../../src/model/board.ts';
import {
  boardSizeProblem, decodeBoardBytes, MAX_BOARD_FILE_CHARS, MAX_COMPONENTS, parseBoardBytes, parseBoardFile, serializeBoard,
} from '../../src/model/boardFile.ts';
import { MAX_MESSAGE_CHARS } from '../../src/model/safeText.ts';
import type { Board } from '../../src/model/types.ts';
import { exampleBoard } from './helpers.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const BOM = '\uFEFF';
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('reading a board file\'s bytes', () => {
  const file = serializeBoard(exampleBoard('smart-oven'));

  it('given UTF-8 with or without one byte-order mark, then the board is read', () => {
    expect(parseBoardBytes(utf8(file))).toMatchObject({ ok: true, board: exampleBoard('smart-oven') });
    expect(parseBoardBytes(utf8(BOM + file))).toMatchObject({ ok: true, board: exampleBoard('smart-oven') });
  });

  it('given two byte-order marks, then it is refused, the same way as the same text given as text', () => {
    const bytes = parseBoardBytes(utf8(BOM + BOM + file));
    expect(bytes.ok).toBe(false);
    // The page reads a file with the same decodeBoardBytes; a browser's file.text() would have dropped one mark.
    expect(decodeBoardBytes(utf8(BOM + BOM + file))).toEqual({ ok: true, text: BOM + BOM + file });
    expect(bytes).toEqual(parseBoardFile(BOM + BOM + file));
    // Said in words, not as a JSON error quoting an invisible character.
    expect(bytes).toMatchObject({ error: expect.stringContaining('two byte-order marks') });
    expect(bytes.ok || bytes.error).not.toContain(BOM);
  });

  it('given bytes that are not UTF-8, or UTF-16, then it says so and how to fix it', () => {
    const latin1 = Uint8Array.from([...utf8(file.replace('Smart oven', 'Smart oven X'))].map((b) => (b === 0x58 ? 0xe9 : b)));
    expect(parseBoardBytes(latin1)).toMatchObject({ ok: false, path: '$', error: expect.stringContaining('not UTF-8') });
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...file].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(parseBoardBytes(utf16)).toMatchObject({ ok: false, error: expect.stringContaining('UTF-16') });
  });

  it('given text one character over the limit, then the refusal gives both counts exactly, not rounded to the same figure', () => {
    const r = parseBoardFile(' '.repeat(MAX_BOARD_FILE_CHARS + 1));
    expect(r).toMatchObject({ ok: false, error: '$: the file is 1,000,001 characters; a board file is at most 1,000,000, so this is not a board file.' });
  });

  it('given more bytes than any board file can have, then it is refused before decoding', () => {
    const r = parseBoardBytes(new Uint8Array(3 * MAX_BOARD_FILE_CHARS + 1));
    expect(r).toMatchObject({ ok: false, error: `$: the file is 3,000,001 bytes; a board file is at most 1,000,000 characters (3,000,000 bytes of UTF-8 at the very most), so this is not a board file.` });
  });
});

describe('one size limit for reading and saving', () => {
  it('given a board at the component limit, then one more component is refused, naming the limit', () => {
    let b: Board = { ...exampleBoard('smart-oven'), components: [] };
    for (let i = 0; i < MAX_COMPONENTS; i++) b = addComponent(b, 'gpio', null).board;
    expect(boardSizeProblem(b)).toBeNull();
    expect(parseBoardFile(serializeBoard(b)).ok).toBe(true);
    const over = addComponent(b, 'gpio', null).board;
    expect(boardSizeProblem(over)).toContain(`at most ${MAX_COMPONENTS} components`);
    expect(boardSizeProblem(over)).toContain('component number 257');
    const read = parseBoardFile(serializeBoard(over));
    // In words, not the schema library's ("Too big: expected array to have <=256 items").
    expect(!read.ok && read.error).toBe('$.components: at most 256 items here (it has 257 items). Fix: list at most 256 components.');
  });

  it('given a board whose file would pass the character limit once indented, then saving it and reading it are refused alike', () => {
    // Compact, the file fits; written with the two-space indent every save uses, it would not.
    const extra = Array.from({ length: 90_000 }, () => [1]);
    const b = { ...exampleBoard('smart-oven'), extra } as Board;
    const compact = JSON.stringify(b);
    expect(compact.length).toBeLessThan(MAX_BOARD_FILE_CHARS);
    expect(serializeBoard(b).length).toBeGreaterThan(MAX_BOARD_FILE_CHARS);
    expect(boardSizeProblem(b)).toContain('over the limit of 1,000,000');
    // The page's import, a share link and `lab check` all read with parseBoardFile: none takes a board autosave could not keep.
    expect(parseBoardFile(compact)).toEqual({ ok: false, path: '$', error: `$: ${boardSizeProblem(b)}` });
    expect(parseBoardBytes(new TextEncoder().encode(compact))).toEqual(parseBoardFile(compact));
  });
});

describe('refusals are safe to print', () => {
  const hostile = '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\\x9b2J' + 'x'.repeat(900_000);

  it.each([
    ['an unknown key', (b: Record<string, unknown>) => { b.vms = { ...(b.vms as object), [hostile]: 1 }; }],
    ['a bad kind', (b: Record<string, unknown>) => { (b.components as Record<string, unknown>[])[0]!.kind = hostile; }],
    ['a bad soc', (b: Record<string, unknown>) => { b.soc = hostile; }],
  ])('given %s carrying terminal escapes and 900 KB of text, then the message shows them as text and stays short', (_what, spoil) => {
    const b = JSON.parse(serializeBoard(exampleBoard('smart-oven')));
    spoil(b);
    const r = parseBoardFile(JSON.stringify(b));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).not.toContain('not valid JSON');
    expect(r.error).toContain('\\u001b]8;;https://evil.example');
    expect(r.error).not.toMatch(CONTROL);
    expect(r.error.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });

  it('given JSON broken next to an escape sequence, then the parser\'s quote of it is made visible', () => {
    const r = parseBoardFile('{"format": \x1b[31m "x"}');
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('not valid JSON') });
    expect(!r.ok && r.error).not.toMatch(CONTROL);
  });

  it('given stale layout keys with C1 controls, then the warning shows them as escapes', () => {
    const b = JSON.parse(serializeBoard(exampleBoard('smart-oven')));
    b.layout = { ['gone\x9b2J']: { x: 1, y: 2 } };
    const r = parseBoardFile(JSON.stringify(b));
    expect(r.ok && r.warnings.join()).toContain('gone\\u009b2J');
  });
});
