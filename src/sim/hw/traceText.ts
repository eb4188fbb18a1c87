// A bus transaction as text, stage by stage (`trace last` / `trace <n>`, and
// the same lines the page's trace view shows).

import type { Transaction } from '../types.ts';
import { REGION_IDS } from '../memoryMap.ts';

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** The stage names as the trace prints them. */
export const STAGE_LABELS: Record<Transaction['decidedBy'], string> = {
  'stage-2': 'stage-2',
  firewall: 'firewall',
  iommu: 'IOMMU',
};

export function traceLines(txn: Transaction): string[] {
  const lines = [`transaction ${txn.n} at ${(txn.t / 1000).toFixed(3)} s: ${txn.master} ${txn.op} ${txn.target} @ ${hex(txn.address)}`];
  lines.push(`  0 ${'master'.padEnd(9)} ${'issue'.padEnd(6)} ${txn.master} issues the ${txn.op}`);
  txn.stages.forEach((s, i) => {
    const last = i === txn.stages.length - 1;
    const mark = !txn.allowed && last ? '   ← decided here' : '';
    lines.push(`  ${i + 1} ${STAGE_LABELS[s.stage].padEnd(9)} ${s.verdict.padEnd(6)} ${s.rule}${mark}`);
  });
  if (txn.allowed) {
    lines.push(`  ${txn.stages.length + 1} ${'target'.padEnd(9)} ${(txn.op === 'read' ? 'read' : 'write').padEnd(6)} ${txn.target} ${txn.op === 'read' ? 'was read' : 'was written'}`);
    lines.push(txn.escape ? `  outcome: ${escapeText(txn)}` : `  outcome: COMPLETED (last stage passed: ${STAGE_LABELS[txn.decidedBy]})`);
  } else {
    lines.push(`  outcome: DENIED at ${STAGE_LABELS[txn.decidedBy]} — ${txn.target} was not touched`);
  }
  return lines;
}

/**
 * An allowed write into another environment's memory or device registers (the
 * bus marks it `escape`): named as the page's Transaction trace names it.
 */
export function escapeText(txn: Pick<Transaction, 'target'>): string {
  const what = (REGION_IDS as readonly string[]).includes(txn.target) ? 'memory' : 'device registers';
  return `ESCAPE: the write reached ${txn.target}, another environment's ${what} — nothing on its path stopped it`;
}
