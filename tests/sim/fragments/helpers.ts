import { keyFromName } from '../../../src/sim/crypto/signing.ts';
import type { Trust } from '../../../src/sim/fragments/index.ts';

export const vendor = keyFromName('vendor release key');

export function trust(accelerator = true): Trust {
  return { publicKey: vendor.publicKey, keyHolder: 'security processor sec0', accelerator };
}

export const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

/** A minimal simulated clock: callbacks run in time order (ties in scheduling order) when advanced. */
export function testClock() {
  let now = 0;
  let seq = 0;
  const queue: { at: number; seq: number; fn: () => void }[] = [];
  return {
    now: () => now,
    schedule(delayMs: number, fn: () => void) {
      queue.push({ at: now + delayMs, seq: seq++, fn });
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
        if (!queue.length || queue[0].at > end) break;
        const e = queue.shift()!;
        now = e.at;
        e.fn();
      }
      now = end;
    },
  };
}

/** xorshift32, seeded. */
export function seeded(seed: number) {
  let x = seed || 1;
  return { next: () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; } };
}
