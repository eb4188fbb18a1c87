import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyFromName, sha256Hex, sign, verify } from '../../../src/sim/crypto/signing.ts';

describe('signatures', () => {
  const vendor = keyFromName('vendor release key');
  const attacker = keyFromName('attacker');

  it('hashes like the SHA-256 test vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('verifies a signature by the right key over the same message, and nothing else', () => {
    const sig = sign(vendor, 'manifest v1');
    expect(sig).toBe(sign(vendor, 'manifest v1'));
    expect(verify(vendor.publicKey, 'manifest v1', sig)).toBe(true);
    expect(verify(vendor.publicKey, 'manifest v2', sig)).toBe(false);
    expect(verify(attacker.publicKey, 'manifest v1', sig)).toBe(false);
    expect(verify(vendor.publicKey, 'manifest v1', 'zz')).toBe(false);
  });

  it('refuses any single changed byte of the message', () => {
    const message = 'etc/os-release 1.0 sha256:0123';
    const sig = sign(vendor, message);
    fc.assert(
      fc.property(fc.nat(message.length - 1), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const bytes = new TextEncoder().encode(message);
        bytes[at] = (bytes[at] + delta) & 0xff;
        return !verify(vendor.publicKey, bytes, sig);
      }),
      { numRuns: 50 },
    );
  });
});
