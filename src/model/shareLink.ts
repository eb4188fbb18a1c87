// Share links: the whole board, compressed into the URL fragment
// (`#board=<data>`), so sharing needs no server. A link is data, never code:
// decoding goes through the same parser as an imported file.

import LZString from 'lz-string';
import { parseBoardFile, type ParseResult } from './boardFile.ts';
import { boardToJson, MAX_BOARD_FILE_CHARS, SHARE_PARAM } from './boardJson.ts';
import type { Board } from './types.ts';

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

const URI_SAFE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const ALPHABET_VALUE = new Map([...URI_SAFE_ALPHABET].map((c, i) => [c, i]));
const TOO_LONG = Symbol('too long');

/**
 * lz-string's decompressFromEncodedURIComponent (the same algorithm, bit for
 * bit: LZW codes of growing width, 6 bits per character), stopping as soon as
 * the output passes `maxChars`. LZW can double a phrase with every code, so a
 * link of 100,000 characters could otherwise expand to hundreds of millions of
 * characters before any length check ran. Returns null (or "") for damaged
 * data, like lz-string.
 */
export function decompressBounded(input: string, maxChars: number): string | null | typeof TOO_LONG {
  if (input === '') return null;
  const data = input.replace(/ /g, '+');
  let value = ALPHABET_VALUE.get(data[0]!) ?? 0;
  let position = 32;
  let index = 1;
  const readBits = (n: number): number => {
    let bits = 0;
    for (let power = 1; power !== 1 << n; power <<= 1) {
      const bit = value & position;
      position >>= 1;
      if (position === 0) {
        position = 32;
        value = ALPHABET_VALUE.get(data[index++] ?? '') ?? 0;
      }
      if (bit > 0) bits |= power;
    }
    return bits;
  };

  const dictionary: string[] = ['', '', ''];
  let enlargeIn = 4;
  let numBits = 3;
  const first = readBits(2);
  if (first === 2) return '';
  const c0 = String.fromCharCode(readBits(first === 0 ? 8 : 16));
  dictionary[3] = c0;
  let w = c0;
  const result: string[] = [c0];
  let length = 1;
  for (;;) {
    if (index > data.length) return '';
    let code = readBits(numBits);
    if (code === 0 || code === 1) {
      dictionary.push(String.fromCharCode(readBits(code === 0 ? 8 : 16)));
      code = dictionary.length - 1;
      enlargeIn--;
    } else if (code === 2) {
      return result.join('');
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    let entry: string;
    if (code < dictionary.length && dictionary[code]) entry = dictionary[code]!;
    else if (code === dictionary.length) entry = w + w.charAt(0);
    else return null;
    length += entry.length;
    if (length > maxChars) return TOO_LONG;
    result.push(entry);
    dictionary.push(w + entry.charAt(0));
    enlargeIn--;
    w = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
}
