// What a board gives the image checks: where the vendor's public key is kept
// and whether a crypto accelerator does the hashing and signature checks
// (only components assigned to the system VM take part: the image checks run in
// the system VM and its boot chain, which cannot drive a block passed to the
// application VM).

import type { Board } from '../../model/types.ts';
import { keyFromName } from '../crypto/signing.ts';
import type { Trust } from './compose.ts';
import { VENDOR_KEY_NAME } from './builtin.ts';

export function trustForBoard(board: Board): Trust {
  const sec = board.components.find((c) => c.kind === 'security-processor' && c.domain === 'system');
  const accel = board.components.find((c) => c.kind === 'crypto-accelerator' && c.domain === 'system');
  return {
    publicKey: keyFromName(VENDOR_KEY_NAME).publicKey,
    keyHolder: sec
      ? `security processor ${sec.id}`
      : 'system VM\'s own flash (no security processor in the system VM, so the key is only as safe as the flash)',
    accelerator: accel !== undefined,
  };
}
