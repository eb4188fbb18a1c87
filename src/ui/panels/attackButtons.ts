// The simulation bar's attack buttons.
import type { AttackName } from '../../sim/attacks.ts';

/**
 * A button for each attack the engine runs, all in the application VM (the consoles take the others):
 * one per name, checked by the compiler; tests/ui checks the engine runs each there. Only the type is
 * imported, so the engine stays out of the page's first chunk.
 */
const ATTACK_BUTTONS: Readonly<Record<AttackName, { label: string; title: string }>> = {
  'dma-escape': { label: 'DMA escape', title: 'Program a DMA engine of the application VM to write system-VM RAM' },
  malware: { label: 'Malware', title: 'Run malware in the application VM: reach system memory and peripherals, exfiltrate data' },
  crash: { label: 'Crash', title: 'Kernel panic in the application VM' },
  hang: { label: 'Hang', title: 'An infinite loop freezes the application VM' },
  oom: { label: 'Out of memory', title: 'Exhaust the application VM’s memory' },
};

export const ATTACKS = (Object.keys(ATTACK_BUTTONS) as AttackName[]).map((name) => ({ name, ...ATTACK_BUTTONS[name] }));
