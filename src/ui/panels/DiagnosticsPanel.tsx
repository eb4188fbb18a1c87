// Live diagnostics of the board and its memory budget; a click selects the component concerned.
import { memoryBudget } from '../../model/check.ts';
import { diagnosticsOf } from '../store/diagnostics.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { runAction } from '../actions/registry.ts';
import { ConceptLink } from '../lessons/ConceptLink.tsx';

function MemoryMeter() {
  const board = useBoardStore((s) => s.board);
  const m = memoryBudget(board);
  const parts = [
    { key: 'system', label: 'System VM', mib: m.systemMiB },
    { key: 'app', label: 'Application VM', mib: m.appMiB },
    ...(m.spareMiB ? [{ key: 'app', label: 'Hot spare', mib: m.spareMiB }] : []),
    { key: 'rt', label: 'Real-time', mib: m.rtMiB },
    { key: 'kernel', label: 'Kernels', mib: m.kernelMiB },
  ].filter((p) => p.mib > 0);
  const scale = Math.max(m.ramMiB, m.totalMiB);
  return (
    <div className="meter" aria-label={`Memory: ${m.totalMiB} of ${m.ramMiB} MiB used`}>
      <div className="meter-head">
        <span>Memory budget</span>
        <span className={m.fits ? 'ok' : 'bad'}>
          {m.totalMiB} / {m.ramMiB} MiB {m.fits ? '' : '— over budget'}
        </span>
      </div>
      <div className="meter-bar" role="meter" aria-valuemin={0} aria-valuemax={m.ramMiB} aria-valuenow={m.totalMiB} aria-label="Memory used">
        {parts.map((p) => (
          <span key={p.label} className={`meter-part meter-${p.key}`} style={{ width: `${(100 * p.mib) / scale}%` }} title={`${p.label}: ${p.mib} MiB`} />
        ))}
        {!m.fits && <span className="meter-limit" style={{ left: `${(100 * m.ramMiB) / scale}%` }} />}
      </div>
      <div className="meter-legend">
        {parts.map((p) => (
          <span key={p.label}>
            <i className={`meter-${p.key}`} /> {p.label} {p.mib}
          </span>
        ))}
      </div>
    </div>
  );
}

export function DiagnosticsPanel() {
  const board = useBoardStore((s) => s.board);
  const diagnostics = diagnosticsOf(board);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;

  return (
    <section className="diagnostics" aria-label="Diagnostics">
      <h2>
        Diagnostics{' '}
        <span className="muted small">
          {errors} error{errors === 1 ? '' : 's'}, {warnings} warning{warnings === 1 ? '' : 's'}
        </span>
      </h2>
      <MemoryMeter />
      {diagnostics.length === 0 ? (
        <p className="ok">No problems: every component is assigned where this SoC allows it, and the isolation holds.</p>
      ) : (
        <ul>
          {diagnostics.map((d, i) => (
            <li key={`${d.rule}-${d.component ?? ''}-${i}`}>
              <button type="button" className={`diag diag-${d.severity}`} onClick={() => d.component && runAction('findComponent', d.component)} disabled={!d.component}>
                <span className="diag-head">
                  <span className="diag-sev">{d.severity}</span> <code>{d.rule}</code>
                  {d.class !== 'advice' && <span className={`diag-class diag-class-${d.class}`}>{d.class === 'cannot-boot' ? 'cannot boot' : 'security hole'}</span>}
                  {d.component && <span className="diag-comp"> · {d.component}</span>}
                </span>
                <span className="diag-msg">{d.message}</span>
              </button>
              <ConceptLink about={d.rule} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
