// The `lab` command's crypto backend (Node's OpenSSL) must give the very bytes the page's
// (@noble, in JavaScript) gives, or the CLI and the page would print different hashes and
// signatures for the same board.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCryptoBackend as node } from '../../src/cli/nodeCrypto.ts';
import { nobleBackend as noble, useCryptoBackend, keyFromName, sha256Hex, sign } from '../../src/sim/crypto/signing.ts';

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('the Node crypto backend agrees with the portable one', () => {
  it('SHA-256: the same digest of any bytes (empty, short, across block boundaries)', () => {
    fc.assert(fc.property(bytes(0, 300), (data) => hex(node.sha256(data)) === hex(noble.sha256(data))), { numRuns: 300 });
    expect(hex(node.sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('Ed25519: the same public key and the same signature for any key and message', () => {
    fc.assert(fc.property(bytes(32, 32), bytes(0, 600), (secret, message) => {
      const pub = node.publicKey(secret);
      expect(hex(pub)).toBe(hex(noble.publicKey(secret)));
      const sig = node.sign(message, secret);
      expect(hex(sig)).toBe(hex(noble.sign(message, secret)));
      return true;
    }), { numRuns: 200 });
  });

  it('RFC 8032 §7.1 test 1: the published key and signature', () => {
    const secret = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    expect(hex(node.publicKey(secret))).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(hex(node.sign(new Uint8Array(0), secret))).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
  });

  it('verify: both accept a valid signature and both refuse a changed message, signature or key', () => {
    fc.assert(fc.property(bytes(32, 32), bytes(32, 32), bytes(1, 200), fc.nat(), fc.integer({ min: 1, max: 255 }),
      (secret, other, message, at, delta) => {
        const pub = noble.publicKey(secret);
        const sig = noble.sign(message, secret);
        const changedMessage = message.slice(); changedMessage[at % message.length] ^= delta;
        const changedSig = sig.slice(); changedSig[at % 64] ^= delta;
        const cases: [Uint8Array, Uint8Array, Uint8Array][] = [
          [sig, message, pub], [sig, changedMessage, pub], [changedSig, message, pub],
          [sig, message, noble.publicKey(other)], [sig.subarray(0, 63), message, pub], [sig, message, pub.subarray(1)],
        ];
        const answers = cases.map(([s, m, k]) => [node.verify(s, m, k), noble.verify(s, m, k)]);
        for (const [a, b] of answers) expect(a).toBe(b);
        expect(answers[0]).toEqual([true, true]);
        expect(answers.slice(1).every(([a]) => !a) || secret.every((b, i) => b === other[i])).toBe(true);
        return true;
      }), { numRuns: 150 });
  });

  it('the engine computes the same built-in keys, hashes and signatures with either backend installed', () => {
    const k = keyFromName('vendor release key');
    const run = () => [sha256Hex('fragment manifest'), sign(k, 'fragment manifest')];
    try {
      useCryptoBackend(noble);
      const withNoble = run();
      useCryptoBackend(node);
      expect(run()).toEqual(withNoble);
      expect(hex(node.publicKey(k.secretKey))).toBe(hex(k.publicKey));
    } finally {
      useCryptoBackend(noble);
    }
  });
});
