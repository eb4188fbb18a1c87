// Share links: the whole board, compressed into the URL fragment
// (`#board=<data>`), so sharing needs no server. A link is data, never code:
// decoding goes through the same parser as an imported file.

import LZString from 'lz-string';
import { parseBoardFile, type ParseResult } from './boardFile.ts';
import { boardToJson, MAX_BOARD_FILE_CHARS, SHARE_PARAM } from './boardJson.ts';
import type { Board } from './types.ts';
import { decompressBounded, TOO_LONG } from './lzBounded.ts';

export { SHARE_PARAM };
/** Longer fragments are refused before decompressing (a board link is a few hundred characters). */
export const MAX_FRAGMENT_CHARS = 100_000;

/** `#board=<lz-string data>` for the board (compact JSON inside). */
export function encodeShareFragment(board: Board): string {
  return `#${SHARE_PARAM}=${LZString.compressToEncodedURIComponent(JSON.stringify(boardToJson(board)))}`;
}

/**
 * Reads a board from a fragment (`#board=…`), a fragment without `#`, or a
 * whole URL. Never throws; a damaged link is refused like a damaged file.
 */
export function decodeShareFragment(fragment: string): ParseResult {
  const refuse = (error: string): ParseResult => ({ ok: false, error: `$: ${error}`, path: '$' });
  if (typeof fragment !== 'string') return refuse('the link is not text.');
  if (fragment.length > MAX_FRAGMENT_CHARS) return refuse('the link is far too long to hold a board.');
  const hash = fragment.includes('#') ? fragment.slice(fragment.indexOf('#') + 1) : fragment;
  const prefix = `${SHARE_PARAM}=`;
  const part = hash.split('&').find((p) => p.startsWith(prefix));
  if (part === undefined) return refuse(`the link has no board in it (expected "#${prefix}…").`);
  const text = decompressBounded(part.slice(prefix.length), MAX_BOARD_FILE_CHARS);
  if (text === TOO_LONG) {
    return refuse(`the link expands to more than ${MAX_BOARD_FILE_CHARS.toLocaleString('en')} characters, `
      + 'the most a board file holds; it is not a board link.');
  }
  if (!text) return refuse('the link is damaged or cut short; copy the whole link again.');
  return parseBoardFile(text);
}
