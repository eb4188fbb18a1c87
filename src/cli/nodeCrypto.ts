// The engine's SHA-256 and Ed25519 through Node's OpenSSL (node:crypto) instead of JavaScript:
// the same bytes (SHA-256 is a function; Ed25519 signing is deterministic, RFC 8032 §5.1.6), in a
// fraction of the time, which is most of what `lab` spends starting. src/sim stays free of Node
// imports (it also runs in the browser's worker): the CLI installs this backend when imported.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { useCryptoBackend, type Bytes, type CryptoBackend } from '../sim/crypto/signing.ts';

// DER wrappers of a raw Ed25519 key (RFC 8410): PKCS#8 around the 32-byte secret key, SPKI around the public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const plain = (b: Buffer): Bytes => new Uint8Array(b);

/** A key's KeyObject, made once per key (the engine uses a handful of keys many times). */
function cached(make: (raw: Bytes) => KeyObject): (raw: Bytes) => KeyObject {
  const byHex = new Map<string, KeyObject>();
  return (raw) => {
    const hex = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('hex');
    let k = byHex.get(hex);
    if (!k) byHex.set(hex, (k = make(raw)));
    return k;
  };
}

const privateKey = cached((secret) => {
  if (secret.length !== 32) throw new Error(`an Ed25519 secret key is 32 bytes, not ${secret.length}`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' });
});
const publicKey = cached((pub) => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' }));

export const nodeCryptoBackend: CryptoBackend = {
  sha256: (data) => plain(createHash('sha256').update(data).digest()),
  publicKey: (secret) => plain(createPublicKey(privateKey(secret)).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length)),
  sign: (message, secret) => plain(sign(null, message, privateKey(secret))),
  verify: (signature, message, pub) => {
    // A malformed key or signature is simply not a valid signature (as the portable backend answers).
    if (pub.length !== 32 || signature.length !== 64) return false;
    try {
      return verify(null, message, publicKey(pub), signature);
    } catch {
      return false;
    }
  },
};

useCryptoBackend(nodeCryptoBackend);
