// What a board gives the image checks: where the vendor's public key is kept
// and whether a crypto accelerator does the hashing and signature checks
// (only components assigned to a domain take part).

import type { Board } from '../../model/types.ts';
import { keyFromName } from '../crypto/signing.ts';
import type { Trust } from './compose.ts';
import { VENDOR_KEY_NAME } from './builtin.ts';

export function trustForBoard(board: Board): Trust {
  const sec = board.components.find((c) => c.kind === 'security-processor' && c.domain !== null);
  const accel = board.components.find((c) => c.kind === 'crypto-accelerator' && c.domain !== null);
  return {
    publicKey: keyFromName(VENDOR_KEY_NAME).publicKey,
    keyHolder: sec
      ? `security processor ${sec.id}`
      : 'system VM\'s own flash (no security processor on this board, so the key is only as safe as the flash)',
    accelerator: accel !== undefined,
  };
}
