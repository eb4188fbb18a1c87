// What a board gives the image checks: where the vendor's public key is kept
// and whether a crypto accelerator does the hashing and signature checks
// (only components assigned to the system VM take part: the image checks run in
// the system VM and its boot chain, which cannot drive a block passed to the
// application VM and does not trust one it shares with it).

import { placement } from '../../model/catalog.ts';
import type { Board } from '../../model/types.ts';
import { keyFromName } from '../crypto/signing.ts';
import type { Trust } from './compose.ts';
import { VENDOR_KEY_NAME } from './builtin.ts';

/** The crypto accelerator the image checks use: one assigned to the system VM. */
const systemAccelerator = (board: Board) => board.components.find((c) => c.kind === 'crypto-accelerator' && c.domain === 'system');

export function trustForBoard(board: Board): Trust {
  const sec = board.components.find((c) => c.kind === 'security-processor' && c.domain === 'system');
  // A paravirtualized one is driven by the system VM but serves the application VM's
  // requests too (a virtio device over vsock), so the boot chain does not keep the key in it.
  const shared = board.components.find((c) => c.kind === 'security-processor' && c.domain === 'shared');
  const accel = systemAccelerator(board);
  return {
    publicKey: keyFromName(VENDOR_KEY_NAME).publicKey,
    keyHolder: sec
      ? `security processor ${sec.id}`
      : `system VM's own flash (${shared
        ? `security processor ${shared.id} is paravirtualized: the system VM drives it and serves the application VM's requests to it over vsock, so it does not hold the vendor key, which`
        : 'no security processor in the system VM, so the key'} is only as safe as the flash)`,
    accelerator: accel !== undefined,
  };
}

/**
 * Who does the image checks, as the boot line says it: the system VM's crypto accelerator, or the CPU
 * in software, naming an accelerator the system VM cannot use (one passed to the application VM, or
 * not assigned). No SoC lets the accelerator be paravirtualized (profiles.ts).
 */
export function imageCheckerOf(board: Board): string {
  const own = systemAccelerator(board);
  if (own) return `by the crypto accelerator ${own.id}`;
  const other = board.components.find((c) => c.kind === 'crypto-accelerator');
  if (!other) return 'in software (no crypto accelerator)';
  return `in software (no crypto accelerator in the system VM: ${other.id} is ${placement(other.domain)})`;
}
