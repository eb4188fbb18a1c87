// Real signatures and hashes for the engine: Ed25519 (RFC 8032) and SHA-256. Both are
// deterministic (an Ed25519 signature depends only on the key and the message), so the
// engine stays reproducible whichever implementation computes them. By default that is
// @noble/curves and @noble/hashes, in JavaScript, which run everywhere synchronously (the
// browser's WebCrypto is asynchronous only); a host with a faster synchronous one (the
// `lab` command: Node's OpenSSL) installs it with useCryptoBackend before the engine runs.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';

export type Bytes = Uint8Array;

/** An implementation of the two primitives; every backend must give the same bytes for the same inputs. */
export interface CryptoBackend {
  sha256(data: Bytes): Bytes;
  /** The Ed25519 public key of a 32-byte secret key (RFC 8032 §5.1.5). */
  publicKey(secretKey: Bytes): Bytes;
  /** The Ed25519 signature of `message` (RFC 8032 §5.1.6), 64 bytes. */
  sign(message: Bytes, secretKey: Bytes): Bytes;
  /** True only for a valid signature; false (never a throw) for anything malformed. */
  verify(signature: Bytes, message: Bytes, publicKey: Bytes): boolean;
}

/** The portable backend, in JavaScript. */
export const nobleBackend: CryptoBackend = {
  sha256: (data) => sha256(data),
  publicKey: (secretKey) => ed25519.getPublicKey(secretKey),
  sign: (message, secretKey) => ed25519.sign(message, secretKey),
  verify: (signature, message, publicKey) => {
    try {
      return ed25519.verify(signature, message, publicKey);
    } catch {
      return false;
    }
  },
};

let backend: CryptoBackend = nobleBackend;

/**
 * Installs another backend for everything computed from now on. Call it before
 * the engine hashes or signs anything, so one backend does all the work; results
 * are the same bytes either way.
 */
export function useCryptoBackend(b: CryptoBackend): void {
  backend = b;
}

// TextEncoder exists wherever the engine runs (Node, browser workers); its type library has no DOM types.
type Encoder = { encode(text: string): Bytes };
const utf8: Encoder = new (globalThis as unknown as { TextEncoder: new () => Encoder }).TextEncoder();
const utf8ToBytes = (text: string): Bytes => utf8.encode(text);

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
  return toHex(backend.sha256(bytesOf(data)));
}

export interface SigningKey {
  /** Who holds it, for messages ("vendor release key"). */
  name: string;
  secretKey: Bytes;
  publicKey: Bytes;
}

/** Keys made so far: a name always gives the same key, so each is derived once. */
const keysByName = new Map<string, SigningKey>();

/**
 * A signing key derived from a name. Built-in keys (the vendor's release key,
 * an attacker's key) are derived this way so every run has the same ones;
 * that they are public in this repository is fine for a simulator, never for a device.
 */
export function keyFromName(name: string): SigningKey {
  let key = keysByName.get(name);
  if (!key) {
    const secretKey = backend.sha256(utf8ToBytes(`isolation-lab signing key: ${name}`));
    keysByName.set(name, (key = { name, secretKey, publicKey: backend.publicKey(secretKey) }));
  }
  return key;
}

export function sign(key: SigningKey, message: string | Bytes): string {
  return toHex(backend.sign(bytesOf(message), key.secretKey));
}

/** True only for a well-formed signature by `publicKey` over exactly `message`. */
export function verify(publicKey: Bytes, message: string | Bytes, signatureHex: string): boolean {
  let signature: Bytes;
  try {
    signature = fromHex(signatureHex);
  } catch {
    return false;
  }
  return backend.verify(signature, bytesOf(message), publicKey);
}
