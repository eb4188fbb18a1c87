// DMA engines (DOMAIN.md §1): a DMA engine masters the bus on its own, so the
// VM's memory protection does not apply to it. What contains it is its
// dmaProtection: nothing ("none": a VM escape), its own firewall identity
// ("firewall-id"), or the SoC's IOMMU ("iommu": addresses are translated
// inside the owning environment's window).

import type { Component } from '../model/types.ts';
import type { VmId } from './types.ts';
import type { Shell } from './shell.ts';
import type { Simulation } from './simulation.ts';
import { parseNumber, resolveTarget, type ResolvedTarget } from './busCommands.ts';
import { hex, isSystemSide } from './memoryMap.ts';
import { VM_NAMES } from './types.ts';

const MAX_BYTES = 16 * 1024 * 1024;
/** Words actually copied in the model (the rest of the transfer is not stored). */
const MODELLED_WORDS = 64;

/** The environment a DMA engine acts for, by its domain. */
export function dmaEnv(dma: Component): VmId | null {
  if (dma.domain === 'app' || dma.domain === 'rt') return dma.domain;
  if (dma.domain === 'system' || dma.domain === 'shared') return 'system';
  return null;
}

export interface DmaOutcome {
  ok: boolean;
  /** 'escape' when a write from an app/rt engine landed in system-VM memory. */
  result: 'done' | 'escape' | 'blocked' | 'fault' | 'error';
  lines: string[];
}

/**
 * Resolves a DMA target. With an IOMMU a hex address is a device (I/O virtual)
 * address, translated inside the owning environment's RAM window.
 */
function resolveDmaTarget(sim: Simulation, dma: Component, text: string): ResolvedTarget | { fault: string; address: number } | string {
  const env = dmaEnv(dma);
  if (sim.dmaProtectionOf(dma) === 'iommu' && (env === 'app' || env === 'rt') && /^0x[0-9a-f]+$/i.test(text)) {
    const iova = parseInt(text.slice(2), 16);
    const window = sim.map.get(env === 'app' ? 'app-ram' : 'rt-ram')!;
    if (iova >= window.size) return { fault: `I/O address ${hex(iova)} is outside the IOMMU window of the ${VM_NAMES[env]} (${hex(window.size, 1)} bytes)`, address: iova };
    return { entry: window, offset: iova, address: window.base + iova };
  }
  return resolveTarget(sim, text);
}

/** Runs one transfer now (the caller has already waited for it to complete). */
export function runTransfer(sim: Simulation, dma: Component, srcText: string, dstText: string, bytes: number): DmaOutcome {
  const env = dmaEnv(dma)!;
  const master = `dma:${dma.id}`;
  const protection = sim.dmaProtectionOf(dma);
  const lines: string[] = [];
  const blocked = (target: string, op: 'read' | 'write', rule: string, fault?: { address: number }): DmaOutcome => {
    if (fault || protection === 'iommu') {
      sim.emit('iommu.fault', env, `The IOMMU refused ${dma.id}'s ${op} of ${target}: it is outside the window the ${VM_NAMES[env]} owns.`,
        [dma.id, target], { master, target, op, ...(fault ? { address: fault.address } : {}) });
      lines.push(`${dma.id}: IOMMU fault — ${rule}`);
    } else {
      sim.emit('firewall.deny', env, `The firewall denied ${dma.id}'s ${op} of ${target}: ${rule}.`,
        [dma.id, target], { master, target, op, rule });
      lines.push(`${dma.id}: access denied — ${rule}`);
    }
    sim.emit('dma.blocked', env, `The DMA transfer by ${dma.id} to ${target} was stopped by ${fault || protection === 'iommu' ? 'the IOMMU' : 'its firewall identity'}.`,
      [dma.id, target], { master, target, protection, by: fault || protection === 'iommu' ? 'iommu' : 'firewall' });
    lines.push(`${dma.id}: transfer blocked by ${fault || protection === 'iommu' ? 'the IOMMU' : 'the firewall (its own DMA identity)'}`);
    return { ok: false, result: fault || protection === 'iommu' ? 'fault' : 'blocked', lines };
  };

  const src = resolveDmaTarget(sim, dma, srcText);
  if (typeof src === 'string') return { ok: false, result: 'error', lines: [`dma: source: ${src}`] };
  if ('fault' in src) {
    sim.busAccess(master, srcText, 'read');
    return blocked(srcText, 'read', src.fault, src);
  }
  const dst = resolveDmaTarget(sim, dma, dstText);
  if (typeof dst === 'string') return { ok: false, result: 'error', lines: [`dma: destination: ${dst}`] };
  if ('fault' in dst) {
    sim.busAccess(master, dstText, 'write');
    return blocked(dstText, 'write', dst.fault, dst);
  }
  for (const [r, op] of [[src, 'read'], [dst, 'write']] as const) {
    const end = r.offset + bytes;
    if (end > r.entry.size) return { ok: false, result: 'error', lines: [`dma: ${bytes} bytes from ${r.entry.target}+${hex(r.offset, 1)} run past its end (${hex(r.entry.size, 1)}) on ${op}`] };
  }

  const words = Math.min(MODELLED_WORDS, Math.ceil(bytes / 4));
  const first = sim.busAccess(master, src.entry.target, 'read', src.offset);
  if (!first.allowed) return blocked(src.entry.target, 'read', first.rule);
  const w = sim.busAccess(master, dst.entry.target, 'write', dst.offset, first.value);
  if (!w.allowed) return blocked(dst.entry.target, 'write', w.rule);
  for (let i = 1; i < words; i++) {
    sim.store(dst.entry.target, dst.offset + 4 * i, sim.load(src.entry.target, src.offset + 4 * i));
  }
  lines.push(`${dma.id}: copied ${bytes} bytes ${src.entry.target}+${hex(src.offset, 1)} → ${dst.entry.target}+${hex(dst.offset, 1)} (${w.rule})`);
  if (isSystemSide(dst.entry) && env !== 'system') {
    sim.emit('dma.escape', env,
      `${dma.id} (${VM_NAMES[env]}) wrote ${dst.entry.target}, system-VM memory: a VM escape, because ${protection === 'none' ? 'it has no firewall identity and no IOMMU' : 'the firewall is disabled'}.`,
      [dma.id, dst.entry.target], { master, target: dst.entry.target, protection, bytes });
    sim.compromise('system', `${dma.id} wrote ${bytes} bytes into ${dst.entry.target}`, [dma.id, dst.entry.target]);
    lines.push(`\x1b[1;31m${dma.id}: the write landed in ${dst.entry.target} — VM escape (${protection === 'none' ? 'dmaProtection: none' : 'firewall disabled'})\x1b[0m`);
    return { ok: true, result: 'escape', lines };
  }
  return { ok: true, result: 'done', lines };
}

/** Which DMA engine a console may program, or why not. */
export function engineFor(sim: Simulation, vm: VmId, id: string): Component | string {
  const c = sim.component(id);
  if (!c) return `no DMA engine '${id}' on this board`;
  if (c.kind !== 'dma') return `${id} is a ${c.kind}, not a DMA engine`;
  const env = dmaEnv(c);
  if (env === null) return `${id} is not assigned to any VM, so nobody can program it`;
  if (env !== vm) return `${id} belongs to the ${VM_NAMES[env]}; only that environment can program it`;
  return c;
}

export function transferTime(bytes: number): number {
  return 1 + Math.floor(bytes / 65536);
}

export function dmaCommand(sh: Shell, args: string[]): void {
  if (args.length === 0 || args[0] === 'list') {
    const mine = sh.sim.board.components.filter((c) => c.kind === 'dma' && dmaEnv(c) === sh.vm).map((c) => c.id).sort();
    if (mine.length === 0) return sh.print(`no DMA engine in the ${sh.guest.name}`);
    return sh.print(mine.map((id) => `${id} protection=${sh.sim.component(id)!.dmaProtection ?? 'none'}`).join('\n'));
  }
  const [id, verb, src, dst, bytesText] = args;
  if (verb !== 'copy' || !src || !dst || !bytesText) return sh.error('usage: dma <dma-id> copy <source> <destination> <bytes>');
  const engine = engineFor(sh.sim, sh.vm, id);
  if (typeof engine === 'string') return sh.error(`dma: ${engine}`);
  const bytes = parseNumber(bytesText);
  if (bytes === null || bytes < 1 || bytes > MAX_BYTES) return sh.error(`dma: bad byte count '${bytesText}' (1 … ${MAX_BYTES})`);
  const prot = sh.sim.dmaProtectionOf(engine);
  sh.print(`${id}: programming copy of ${bytes} bytes ${src} → ${dst} (protection: ${engine.dmaProtection ?? 'none'}${prot !== (engine.dmaProtection ?? 'none') ? `, effective: ${prot}` : ''})`);
  sh.guest.after(transferTime(bytes), () => {
    const outcome = runTransfer(sh.sim, engine, src, dst, bytes);
    for (const l of outcome.lines) (outcome.ok ? sh.print : sh.error)(l);
  });
}
