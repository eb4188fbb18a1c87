// Share links: the whole board, compressed into the URL fragment
// (`#board=<data>`), so sharing needs no server. A link is data, never code:
// decoding goes through the same parser as an imported file.

import LZString from 'lz-string';
import { boardToJson, parseBoardFile, type ParseResult } from './boardFile.ts';
import type { Board } from './types.ts';

export const SHARE_PARAM = 'board';
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
  let text: string | null;
  try {
    text = LZString.decompressFromEncodedURIComponent(part.slice(prefix.length));
  } catch {
    text = null;
  }
  if (!text) return refuse('the link is damaged or cut short; copy the whole link again.');
  return parseBoardFile(text);
}
