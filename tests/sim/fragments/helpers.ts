import { keyFromName } from '../../../src/sim/crypto/signing.ts';
import type { Trust } from '../../../src/sim/fragments/index.ts';

export const vendor = keyFromName('vendor release key');

export function trust(accelerator = true): Trust {
  return { publicKey: vendor.publicKey, keyHolder: 'security processor sec0', accelerator };
}

export const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);
