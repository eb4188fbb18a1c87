// UTF-8 both ways. TextDecoder exists in every runtime the engine runs in (Node,
// browser workers) but the engine's type library is kept free of DOM types.
import type { Bytes } from '../crypto/signing.ts';
export { bytesOf } from '../crypto/signing.ts';

type Decoder = { decode(bytes: Bytes): string };
const decoder: Decoder = new (globalThis as unknown as { TextDecoder: new () => Decoder }).TextDecoder();

/** Bytes as text; invalid sequences become U+FFFD rather than failing. */
export function textOf(bytes: Bytes): string {
  return decoder.decode(bytes);
}
