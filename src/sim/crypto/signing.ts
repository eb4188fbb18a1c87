// Real signatures and hashes for the engine: Ed25519 (RFC 8032) and SHA-256 through
// @noble/curves and @noble/hashes. Both are synchronous and deterministic (an Ed25519
// signature depends only on the key and the message), so the engine stays reproducible.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

export type Bytes = Uint8Array;

export function bytesOf(data: string | Bytes): Bytes {
  return typeof data === 'string' ? utf8ToBytes(data) : data;
}

export function toHex(bytes: Bytes): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Bytes {
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) throw new Error(`not a hex string: ${hex.slice(0, 16)}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** SHA-256 of text (UTF-8) or bytes, as 64 hex digits. */
export function sha256Hex(data: string | Bytes): string {
  return toHex(sha256(bytesOf(data)));
}

export interface SigningKey {
  /** Who holds it, for messages ("vendor release key"). */
  name: string;
  secretKey: Bytes;
  publicKey: Bytes;
}

/**
 * A signing key derived from a name. Built-in keys (the vendor's release key,
 * an attacker's key) are derived this way so every run has the same ones;
 * that they are public in this repository is fine for a simulator, never for a device.
 */
export function keyFromName(name: string): SigningKey {
  const secretKey = sha256(utf8ToBytes(`isolation-lab signing key: ${name}`));
  return { name, secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function sign(key: SigningKey, message: string | Bytes): string {
  return toHex(ed25519.sign(bytesOf(message), key.secretKey));
}

/** True only for a well-formed signature by `publicKey` over exactly `message`. */
export function verify(publicKey: Bytes, message: string | Bytes, signatureHex: string): boolean {
  try {
    return ed25519.verify(fromHex(signatureHex), bytesOf(message), publicKey);
  } catch {
    return false;
  }
}
