// Which bus transaction the page shows (the "Transaction trace" region and the
// diagram's hop animation): the one picked on the timeline, or else the
// latest that was not background traffic.
import { useEffect, useMemo, useState } from 'react';
import type { Transaction } from '../../sim/types.ts';
import { engineControls, useEngineStore } from '../store/engineStore.ts';
import { useUiStore } from '../store/uiStore.ts';

/**
 * How long the latest transaction stays on the diagram once drawn to its end. Then it fades away,
 * so an old trace's labels do not sit over zone titles and blocks through what follows; the
 * Transaction trace region keeps it, and its *trace #n* on the timeline draws it again, to stay.
 */
export const TRACE_HOLD_MS = 12_000;

/** The shown transaction and whether it was picked (rather than the latest). */
export function useShownTransaction(): { txn: Transaction | null; picked: boolean; missing: number | null } {
  const selected = useUiStore((s) => s.selectedTxn);
  const transactions = useEngineStore((s) => s.transactions);
  const powered = useEngineStore((s) => s.powered);
  const [fetched, setFetched] = useState<Transaction | null>(null);
  const [missing, setMissing] = useState<number | null>(null);
  const local = selected === null ? null : transactions.find((t) => t.n === selected) ?? null;

  useEffect(() => {
    setFetched(null);
    setMissing(null);
    if (selected === null || local || !powered) return;
    // Older than the page keeps: the worker keeps more.
    let live = true;
    void engineControls.transaction(selected).then((t) => {
      if (!live) return;
      if (t) setFetched(t);
      else setMissing(selected);
    });
    return () => {
      live = false;
    };
  }, [selected, local, powered]);

  if (selected !== null) return { txn: local ?? fetched, picked: true, missing };
  for (let i = transactions.length - 1; i >= 0; i--) if (!transactions[i].background) return { txn: transactions[i], picked: false, missing: null };
  return { txn: null, picked: false, missing: null };
}

/** Does the user ask for less motion? Then the trace is drawn whole at once. */
export function useReducedMotion(): boolean {
  const query = useMemo(() => (typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null), []);
  // Read at every render (a change may land before its event); the event only asks for a new render.
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!query) return;
    const on = () => setTick((t) => t + 1);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, [query]);
  return query?.matches ?? false;
}

/** The hops of a transaction on the diagram: the master, each stage, the target. */
export interface Hop {
  label: string;
  /** 'issue' for the master; the stage's verdict; for the target, whether it was reached. */
  verdict: 'issue' | 'allow' | 'deny' | 'reached' | 'untouched';
  rule: string;
}

export function hopsOf(txn: Transaction): Hop[] {
  const stageName = { 'stage-2': 'stage-2', firewall: 'firewall', iommu: 'IOMMU' } as const;
  return [
    { label: txn.master, verdict: 'issue', rule: `${txn.master} issues the ${txn.op}` },
    ...txn.stages.map((s) => ({ label: stageName[s.stage], verdict: s.verdict, rule: s.rule })),
    {
      label: txn.target,
      verdict: txn.allowed ? 'reached' : 'untouched',
      rule: txn.allowed ? `${txn.target} was ${txn.op === 'read' ? 'read' : 'written'}${txn.escape ? ' — memory of another environment: a VM escape' : ''}` : `${txn.target} was not touched`,
    },
  ];
}
