// Stage-2 translation (DOMAIN.md §1): on application cores with virtualization
// extensions the hypervisor gives each VM its own stage-2 tables. A VM's CPUs
// can only address what those tables map — whatever the bus firewall does —
// so a CPU access outside them faults before it reaches the bus. DMA engines
// and other bus masters never pass through these tables (they are not CPUs),
// and the real-time core is a separate core with no hypervisor above it.
// Cortex-A5 (mcu-16) has no virtualization extensions: no stage-2 at all.

import type { Board } from '../../model/types.ts';
import { profile } from '../../model/profiles.ts';
import type { MemoryMap } from '../memoryMap.ts';
import type { Decision } from '../firewall.ts';

/** The VMs whose CPUs have stage-2 tables, with what each maps besides its own registers. */
const MAPPED_RAM: Record<'system' | 'app', Record<string, string>> = {
  app: { 'app-ram': 'its own RAM', mailbox: 'the mailbox shared with the real-time container', 'pv-buffers': 'the paravirtual buffers' },
  system: { 'system-ram': 'its own RAM', 'pv-buffers': 'the paravirtual buffers' },
};

export class Stage2 {
  private tables = new Map<string, Map<string, Decision>>();

  /** Stage-2 tables for the board, or null when the SoC's application cores have no virtualization extensions. */
  static of(board: Board, map: MemoryMap): Stage2 | null {
    return profile(board.soc).cpuIsolation === 'stage-2' ? new Stage2(map) : null;
  }

  private constructor(map: MemoryMap) {
    for (const vm of ['system', 'app'] as const) {
      const table = new Map<string, Decision>();
      const label = `${vm}-vm stage-2`;
      for (const e of map.entries) {
        if (table.has(e.target)) continue;
        let why: string | undefined;
        if (e.kind === 'ram') why = MAPPED_RAM[vm][e.target];
        else if (vm === 'app' && e.owner === 'app') why = 'a device passed through to it';
        else if (vm === 'system' && (e.owner === 'system' || e.owner === 'shared')) why = 'a device it drives';
        table.set(e.target, Object.freeze(why
          ? { allowed: true, rule: `${label} → ${e.target}: mapped (${why})` }
          : { allowed: false, rule: `${label} → ${e.target}: not mapped (translation fault, trapped by the hypervisor)` }));
      }
      this.tables.set(`cpu:${vm}`, table);
    }
  }

  /** Does this master go through stage-2 at all? */
  covers(master: string): boolean {
    return this.tables.has(master);
  }

  check(master: string, target: string): Decision {
    return this.tables.get(master)?.get(target) ?? { allowed: false, rule: `${target}: not mapped` };
  }
}
