// peek/poke (CONTRACT §6): a CPU access from the environment the command runs
// in, through the firewall, so the participant sees each decision.

import type { Shell } from './commands/context.ts';
import type { Engine } from './engine.ts';
import { hex, type MapEntry } from './memoryMap.ts';
import { withArticle } from '../model/catalog.ts';
import { VM_NAMES } from './types.ts';
import { profile } from '../model/profiles.ts';

export interface ResolvedTarget {
  entry: MapEntry;
  offset: number;
  /** Physical address. */
  address: number;
}

export function parseNumber(s: string | undefined): number | null {
  if (s === undefined) return null;
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s.slice(2), 16);
  if (/^[0-9]+$/.test(s)) return parseInt(s, 10);
  return null;
}

/** A target as typed: a component id, a region name or a hex physical address. */
export function resolveTarget(sim: Engine, text: string, offsetText?: string): ResolvedTarget | { unmapped: number } | string {
  const extra = offsetText === undefined ? 0 : parseNumber(offsetText);
  if (extra === null) return `bad offset '${offsetText}' (use a number or 0x…)`;
  if (/^0x[0-9a-f]+$/i.test(text)) {
    const address = parseInt(text.slice(2), 16) + extra;
    const hit = sim.map.resolve(address);
    if (!hit) return { unmapped: address };
    return { entry: hit.entry, offset: hit.offset, address };
  }
  const entry = sim.map.get(text);
  if (!entry) return `unknown target '${text}' — use a component id, app-ram, system-ram, rt-ram, mailbox or a 0x address`;
  if (extra >= entry.size) return `offset ${hex(extra, 1)} is outside ${text} (size ${hex(entry.size, 1)})`;
  return { entry, offset: extra, address: entry.base + extra };
}

/** The Cortex-M's System Control Space (Armv6-M and Armv7-M: 0xE000E000–0xE000EFFF), the core's own registers, not on the SoC's bus. */
const SCS_BASE = 0xe000_e000;
const CPUID = 0xe000_ed00;
/**
 * CPUID of each real-time core (implementer 0x41 Arm, variant, architecture 0xF for Armv7-M and 0xC
 * for Armv6-M, part number, revision): Cortex-M0+ r0p1 (0xC60), Cortex-M4 r0p1 (0xC24), Cortex-M7
 * r1p2 (0xC27).
 */
const CPUIDS: Record<string, number> = { 'Cortex-M0+': 0x410c_c601, 'Cortex-M4': 0x410f_c241, 'Cortex-M7': 0x411f_c272 };

/** peek/poke in the real-time core's System Control Space: the core answers itself; only CPUID is modelled. */
function systemControlSpace(sh: Shell, name: string, op: 'read' | 'write', address: number): void {
  const core = profile(sh.sim.board.soc).cores.realtimeName;
  if (op === 'read' && address === CPUID && CPUIDS[core] !== undefined) {
    return sh.print(`${hex(address)} (CPUID, the ${core}'s System Control Space, not on the SoC's bus): ${hex(CPUIDS[core])}`);
  }
  sh.error(`${name}: ${hex(address)} is in the ${core}'s System Control Space, its own registers (not on the SoC's bus); of them only CPUID (${hex(CPUID)}, read) is modelled`);
}

function cpuAccess(sh: Shell, op: 'read' | 'write', targetText: string, offsetText: string | undefined, value: number) {
  const name = op === 'read' ? 'peek' : 'poke';
  const r = resolveTarget(sh.sim, targetText, offsetText);
  if (typeof r === 'string') return sh.error(`${name}: ${r}`);
  const master = `cpu:${sh.vm}`;
  if ('unmapped' in r) {
    if (sh.vm === 'rt' && r.unmapped >= SCS_BASE && r.unmapped < SCS_BASE + 0x1000) return systemControlSpace(sh, name, op, r.unmapped);
    // A VM's CPU faults in its stage-2 tables first; the real-time core (and a core without them) gets an error response from the bus.
    if (!sh.sim.bus.stage2?.covers(master)) return sh.error(`${name}: ${hex(r.unmapped)} is not mapped to anything (bus error)`);
    const txn = sh.sim.bus.unmappedStage2(sh.sim.now, master, op, r.unmapped);
    sh.error(`${name}: access denied at stage-2 — ${txn.rule} (trace ${txn.n})`);
    sh.sim.reportDenied(txn, `the ${sh.guest.name} CPUs`);
    return;
  }
  const target = r.entry.target;
  const d = sh.sim.busAccess(master, target, op, r.offset, value);
  const where = `${target}+${hex(r.offset, 4)} (${hex(r.address)})`;
  if (!d.allowed) {
    sh.error(`${name}: access denied at ${d.txn.decidedBy} — ${d.rule} (trace ${d.txn.n})`);
    sh.sim.reportDenied(d.txn, `the ${sh.guest.name} CPUs`);
    return;
  }
  if (op === 'read') sh.print(`${where}: ${hex(d.value)}`);
  else sh.print(`${where} <- ${hex(value)}`);
  // A write that lands in another environment's memory or registers breaks isolation.
  const victim = sh.sim.landed(d.txn, withArticle(`${sh.guest.name} CPU`));
  if (victim) sh.error(`${name}: the write reached ${target}, which belongs to the ${VM_NAMES[victim]} (trace ${d.txn.n})`);
}

export function peekCommand(sh: Shell, args: string[]): void {
  if (args.length < 1) return sh.error('usage: peek <target> [offset]');
  cpuAccess(sh, 'read', args[0], args[1], 0);
}

export function pokeCommand(sh: Shell, args: string[]): void {
  if (args.length < 2) return sh.error('usage: poke <target> <value> [offset]');
  const value = parseNumber(args[1]);
  if (value === null || value > 0xffffffff) return sh.error(`poke: bad value '${args[1]}' (a 32-bit number, e.g. 0x1234)`);
  cpuAccess(sh, 'write', args[0], args[2], value);
}
