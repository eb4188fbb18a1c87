// The simulation bar's attack buttons and the engine's attacks: one button per attack, each one the
// engine runs where the button sends it (the application VM).
import { describe, expect, it } from 'vitest';
import { ATTACKS } from '../../src/ui/panels/attackButtons.ts';
import { ATTACK_TABLE, ATTACKS as ENGINE_ATTACKS } from '../../src/sim/attacks.ts';

describe('attack buttons', () => {
  it('offer every attack the engine runs, in its order', () => {
    expect(ATTACKS.map((a) => a.name)).toEqual([...ENGINE_ATTACKS]);
  });

  it('each run in the application VM, where the button sends it', () => {
    for (const a of ATTACKS) expect(ATTACK_TABLE[a.name].where, a.name).toContain('app');
  });
});
