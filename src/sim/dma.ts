// Bus-master transfers (DOMAIN.md §1): a DMA engine — or any peripheral that
// masters the bus itself (display scan-out, USB host, camera, Ethernet, NPU…)
// — reads and writes memory on its own, so the VM's memory protection
// (stage-2) does not apply to it. What contains it is its dmaProtection:
// nothing ("none": a VM escape), its own firewall identity ("firewall-id"),
// or the SoC's IOMMU ("iommu": addresses are translated inside the owning
// environment's window).

import type { Component } from '../model/types.ts';
import type { Transaction, VmId } from './types.ts';
import { PROTECTION_WORDS } from '../model/catalog.ts';
import { refuseExtra, type Shell } from './commands/context.ts';
import type { Engine } from './engine.ts';
import { parseNumber, resolveTarget, type ResolvedTarget } from './busCommands.ts';
import { hex } from './memoryMap.ts';
import { VM_NAMES } from './types.ts';
import { KINDS } from '../model/catalog.ts';
import { masterEnv } from './firewall.ts';

const MAX_BYTES = 16 * 1024 * 1024;
/** Words actually copied in the model (the rest of the transfer is not stored). */
const MODELLED_WORDS = 64;

/** The environment a bus master acts for, by its domain. */
export function dmaEnv(dma: Component): VmId | null {
  return masterEnv(dma);
}

export interface DmaOutcome {
  ok: boolean;
  /** 'escape' when a write from an app/rt bus master landed in another environment's memory. */
  result: 'done' | 'escape' | 'blocked' | 'fault' | 'error';
  lines: string[];
}

/**
 * Resolves a DMA target. With an IOMMU a hex address is a device (I/O virtual)
 * address, translated inside the owning environment's RAM window.
 */
function resolveDmaTarget(sim: Engine, dma: Component, text: string): ResolvedTarget | { fault: string; address: number } | string {
  const env = dmaEnv(dma);
  if (sim.dmaProtectionOf(dma) === 'iommu' && (env === 'app' || env === 'rt') && /^0x[0-9a-f]+$/i.test(text)) {
    const iova = parseInt(text.slice(2), 16);
    const window = sim.map.get(env === 'app' ? 'app-ram' : 'rt-ram')!;
    if (iova >= window.size) return { fault: `I/O address ${hex(iova)} is outside the IOMMU window of the ${VM_NAMES[env]} (${hex(window.size, 1)} bytes)`, address: iova };
    return { entry: window, offset: iova, address: window.base + iova };
  }
  const r = resolveTarget(sim, text);
  // A bus master's access to an address nothing answers at is an error response from the interconnect.
  return typeof r !== 'string' && 'unmapped' in r ? `${hex(r.unmapped)} is not mapped to anything (bus error)` : r;
}

/** Runs one transfer now (the caller has already waited for it to complete). */
export function runTransfer(sim: Engine, dma: Component, srcText: string, dstText: string, bytes: number): DmaOutcome {
  const env = dmaEnv(dma)!;
  const master = `dma:${dma.id}`;
  const protection = sim.dmaProtectionOf(dma);
  const lines: string[] = [];
  const blocked = (txn: Transaction): DmaOutcome => {
    const by = txn.decidedBy === 'iommu' ? 'the IOMMU' : 'the firewall (its own bus-master identity)';
    sim.reportDenied(txn, dma.id);
    lines.push(`${dma.id}: ${txn.decidedBy === 'iommu' ? 'IOMMU fault' : 'access denied'} — ${txn.rule} (trace ${txn.n})`);
    sim.emit('dma.blocked', env, `The transfer by ${dma.id} to ${txn.target} was stopped by ${txn.decidedBy === 'iommu' ? 'the IOMMU' : 'its firewall identity'}.`,
      [dma.id, txn.target], { master, target: txn.target, protection, by: txn.decidedBy, txn: txn.n });
    lines.push(`${dma.id}: transfer blocked by ${by}`);
    return { ok: false, result: txn.decidedBy === 'iommu' ? 'fault' : 'blocked', lines };
  };

  const src = resolveDmaTarget(sim, dma, srcText);
  if (typeof src === 'string') return { ok: false, result: 'error', lines: [`dma: source: ${src}`] };
  if ('fault' in src) return blocked(sim.bus.fault(sim.now, master, srcText, 'read', src.address, src.fault));
  const dst = resolveDmaTarget(sim, dma, dstText);
  if (typeof dst === 'string') return { ok: false, result: 'error', lines: [`dma: destination: ${dst}`] };
  if ('fault' in dst) return blocked(sim.bus.fault(sim.now, master, dstText, 'write', dst.address, dst.fault));
  for (const [r, op] of [[src, 'read'], [dst, 'write']] as const) {
    const end = r.offset + bytes;
    if (end > r.entry.size) return { ok: false, result: 'error', lines: [`dma: ${bytes} bytes from ${r.entry.target}+${hex(r.offset, 1)} run past its end (${hex(r.entry.size, 1)}) on ${op}`] };
  }

  const words = Math.min(MODELLED_WORDS, Math.ceil(bytes / 4));
  const first = sim.busAccess(master, src.entry.target, 'read', src.offset);
  if (!first.allowed) return blocked(first.txn);
  const w = sim.busAccess(master, dst.entry.target, 'write', dst.offset, first.value);
  if (!w.allowed) return blocked(w.txn);
  for (let i = 1; i < words; i++) {
    sim.store(dst.entry.target, dst.offset + 4 * i, sim.load(src.entry.target, src.offset + 4 * i));
  }
  lines.push(`${dma.id}: copied ${bytes} bytes ${src.entry.target}+${hex(src.offset, 1)} → ${dst.entry.target}+${hex(dst.offset, 1)} (${w.rule}; trace ${w.txn.n})`);
  const victim = sim.landed(w.txn, dma.id, { protection, bytes });
  if (victim) {
    const hole = !sim.firewall.enforce && protection !== 'iommu' ? 'firewall disabled' : `DMA protection: ${PROTECTION_WORDS[protection]}`;
    lines.push(`\x1b[1;31m${dma.id}: the write landed in ${dst.entry.target}, memory of the ${VM_NAMES[victim]} — VM escape (${hole})\x1b[0m`);
    return { ok: true, result: 'escape', lines };
  }
  return { ok: true, result: 'done', lines };
}

/** Which bus master (a DMA engine or a bus-master peripheral) a console may program, or why not. */
export function engineFor(sim: Engine, vm: VmId, id: string): Component | string {
  const c = sim.component(id);
  if (!c) return `no DMA engine or bus master '${id}' on this board`;
  if (!KINDS[c.kind].busMaster) return `${id} is a ${KINDS[c.kind].name}, which cannot master the bus (no DMA)`;
  const env = dmaEnv(c);
  if (env === null) return `${id} is not assigned to any VM, so nobody can program it`;
  if (env !== vm) return `${id} belongs to the ${VM_NAMES[env]}; only that environment can program it`;
  return c;
}

export function transferTime(bytes: number): number {
  return 1 + Math.floor(bytes / 65536);
}

/** dma's forms (help shows them: registry.ts). */
export const DMA_USAGE = 'dma list | dma <master-id> copy <src> <dst> <bytes>';

export function dmaCommand(sh: Shell, args: string[]): void {
  if (refuseExtra(sh, 'dma', args, args.length === 0 || args[0] === 'list' ? 1 : 5, DMA_USAGE)) return;
  if (args.length === 0 || args[0] === 'list') {
    const mine = sh.sim.board.components.filter((c) => KINDS[c.kind].busMaster && dmaEnv(c) === sh.vm).map((c) => c.id).sort();
    if (mine.length === 0) return sh.print(`no DMA engine or bus master in the ${sh.guest.name}`);
    return sh.print(mine.map((id) => `${id} ${sh.sim.component(id)!.kind} (DMA protection: ${PROTECTION_WORDS[sh.sim.dmaProtectionOf(sh.sim.component(id)!)]})`).join('\n'));
  }
  const [id, verb, src, dst, bytesText] = args;
  if (verb !== 'copy' || !src || !dst || !bytesText) return sh.error(`usage: ${DMA_USAGE}`);
  const engine = engineFor(sh.sim, sh.vm, id);
  if (typeof engine === 'string') return sh.error(`dma: ${engine}`);
  const bytes = parseNumber(bytesText);
  if (bytes === null || bytes < 1 || bytes > MAX_BYTES) return sh.error(`dma: bad byte count '${bytesText}' (1 … ${MAX_BYTES})`);
  const prot = sh.sim.dmaProtectionOf(engine);
  const stale = sh.sim.staleNote();
  if (stale) sh.print(`\x1b[33mdma: note: ${stale}\x1b[0m`);
  sh.print(`${id}: programming copy of ${bytes} bytes ${src} → ${dst} (protection: ${prot})`);
  sh.guest.after(transferTime(bytes), () => {
    const outcome = runTransfer(sh.sim, engine, src, dst, bytes);
    for (const l of outcome.lines) (outcome.ok ? sh.print : sh.error)(l);
  });
}
