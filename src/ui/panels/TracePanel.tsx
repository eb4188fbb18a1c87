// The "Transaction trace" region (CONTRACT §7): the selected bus transaction
// (from the timeline, or the latest) stage by stage — master, each stage with
// its verdict and deciding rule, the target, the outcome.
import { useEffect, useRef } from 'react';
import { hopsOf, useShownTransaction } from '../diagram/traceView.ts';
import { useEngineStore } from '../store/engineStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import '../diagram/trace.css';

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');

export function TracePanel() {
  const { txn, picked, missing } = useShownTransaction();
  const powered = useEngineStore((s) => s.powered);
  // A transaction picked on the timeline (trace #n): the panel comes into view wherever the sidebar was scrolled.
  const selected = useUiStore((s) => s.selectedTxn);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (selected !== null) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <section className="trace-panel" aria-label="Transaction trace" ref={ref}>
      <header className="trace-head">
        <h2>Transaction trace</h2>
        {picked && (
          <button type="button" className="link" onClick={() => useUiStore.getState().set({ selectedTxn: null })}>show latest</button>
        )}
      </header>
      {!txn ? (
        <p className="muted small">
          {missing !== null
            ? `Transaction #${missing} is no longer kept (only the most recent are). Pick a newer one on the timeline.`
            : powered
              ? 'No bus access yet. Try peek system-ram in a console, or an attack.'
              : 'Power on, then every bus access is traced here stage by stage (or type trace last in a console).'}
        </p>
      ) : (
        <>
          <p className="trace-summary">
            <strong>#{txn.n}</strong> {txn.master} <strong>{txn.op}</strong> {txn.target} <span className="muted">@ {hex(txn.address)} · {(txn.t / 1000).toFixed(3)} s</span>
            {!picked && <span className="muted"> (latest)</span>}
          </p>
          <ol className="trace-hops">
            {hopsOf(txn).map((h, i, all) => {
              const decided = !txn.allowed && i === all.length - 2;
              return (
                <li key={i} className={`trace-hop hop-${h.verdict}${decided ? ' hop-decided' : ''}`}>
                  <span className="hop-name">{h.label}</span>
                  <span className="hop-verdict">{h.verdict === 'issue' ? 'issues' : h.verdict === 'untouched' ? 'not reached' : h.verdict}</span>
                  <span className="hop-rule">{h.rule}</span>
                </li>
              );
            })}
          </ol>
          <p className={`trace-outcome ${txn.escape ? 'outcome-escape' : txn.allowed ? 'outcome-done' : 'outcome-denied'}`}>
            {txn.escape
              ? `ESCAPE: the write reached ${txn.target}, another environment's memory — nothing on its path stopped it.`
              : txn.allowed
                ? `Completed: every stage allowed it.`
                : `Denied at ${txn.decidedBy === 'iommu' ? 'the IOMMU' : txn.decidedBy}; ${txn.target} was not touched.`}
          </p>
        </>
      )}
    </section>
  );
}
