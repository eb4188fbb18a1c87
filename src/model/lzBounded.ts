// Decompressing a link's data with a bound on what it expands to: a link is data from anyone, and
// LZW can double a phrase with every code.

const URI_SAFE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const ALPHABET_VALUE = new Map([...URI_SAFE_ALPHABET].map((c, i) => [c, i]));
/** What decompressBounded returns when the output would pass its bound. */
export const TOO_LONG = Symbol('too long');

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
