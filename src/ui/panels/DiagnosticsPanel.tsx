// Live diagnostics of the board and its memory budget; a click selects the component concerned.
import { memo } from 'react';
import { bootBlockers, memoryBudget } from '../../model/check.ts';
import type { Diagnostic } from '../../model/types.ts';
import { diagnosticsOf } from '../store/diagnostics.ts';
import { useBoardAfterPaint } from '../store/boardStore.ts';
import { runAction } from '../actions/registry.ts';
import { ConceptLink } from '../lessons/ConceptLink.tsx';

function MemoryMeter() {
  const board = useBoardAfterPaint();
  const m = memoryBudget(board);
  const parts = [
    { key: 'system', label: 'System VM', mib: m.systemMiB },
    { key: 'app', label: 'Application VM', mib: m.appMiB },
    ...(m.spareMiB ? [{ key: 'app', label: 'Hot spare', mib: m.spareMiB }] : []),
    { key: 'rt', label: 'Real-time', mib: m.rtMiB },
  ].filter((p) => p.mib > 0);
  // Each VM's kernel is inside its VM's part, so the parts add up to the budget's total.
  const total = m.totalMiB;
  const over = m.freeMiB < 0;
  const scale = Math.max(m.ramMiB, total);
  return (
    <div className="meter" aria-label={`Memory: ${total} of ${m.ramMiB} MiB given to the VMs, each VM's kernel inside its own part${over ? ', over budget' : ''}`}>
      <div className="meter-head">
        <span>Memory budget</span>
        <span className={over ? 'bad' : 'ok'}>
          {total} / {m.ramMiB} MiB {over ? '— over budget' : ''}
        </span>
      </div>
      <div className="meter-bar" role="meter" aria-valuemin={0} aria-valuemax={m.ramMiB} aria-valuenow={total} aria-valuetext={`${total} of ${m.ramMiB} MiB${over ? ', over budget' : ''}`} aria-label="Memory given to the VMs">
        {parts.map((p) => (
          <span key={p.label} className={`meter-part meter-${p.key}`} style={{ width: `${(100 * p.mib) / scale}%` }} title={`${p.label}: ${p.mib} MiB`} />
        ))}
        {over && <span className="meter-limit" style={{ left: `${(100 * m.ramMiB) / scale}%` }} />}
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

/** One diagnostic; drawn again only when what it says changes (each check makes new objects). */
const DiagnosticRow = memo(function DiagnosticRow({ severity, rule, kind, component, message }: {
  severity: Diagnostic['severity']; rule: string; kind: Diagnostic['class']; component?: string; message: string;
}) {
  return (
    <li>
      <button type="button" className={`diag diag-${severity}`} onClick={() => component && runAction('findComponent', component)} disabled={!component}>
        <span className="diag-head">
          {/* The spaces between the parts are in the text, so the button's accessible name reads as words. */}
          <span className="diag-sev">{severity}</span> <code>{rule}</code>
          {kind !== 'advice' && <>{' '}<span className={`diag-class diag-class-${kind}`}>{kind === 'cannot-boot' ? 'cannot boot' : 'security hole'}</span></>}
          {component && <span className="diag-comp"> · {component}</span>}
        </span>{' '}
        <span className="diag-msg">{message}</span>
      </button>
      <ConceptLink about={rule} />
    </li>
  );
});

/**
 * A key for each diagnostic that stays with it when others come and go before it (its rule, its
 * component, and how many alike came before): keyed by position, one diagnostic added near the top
 * redrew every row after it.
 */
function keysOf(diagnostics: Diagnostic[]): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const base = `${d.rule}\u0000${d.component ?? ''}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}\u0000${n}`;
  });
}

export function DiagnosticsPanel() {
  const board = useBoardAfterPaint();
  const diagnostics = diagnosticsOf(board);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  // The errors Power on counts ("Cannot boot: 3 problems"), so the two counts never seem to disagree.
  const blocking = bootBlockers(diagnostics).length;
  const keys = keysOf(diagnostics);

  return (
    <section className="diagnostics" aria-label="Diagnostics">
      <h2>
        Diagnostics{' '}
        <span className="muted small">
          {errors} error{errors === 1 ? '' : 's'}{blocking > 0 && ` (${blocking} ${blocking === 1 ? 'stops' : 'stop'} the boot)`}, {warnings} warning{warnings === 1 ? '' : 's'}
        </span>
      </h2>
      <MemoryMeter />
      {diagnostics.length === 0 ? (
        <p className="ok">No problems: every component is assigned where this SoC allows it, and the isolation holds.</p>
      ) : (
        <ul>
          {diagnostics.map((d, i) => (
            <DiagnosticRow key={keys[i]} severity={d.severity} rule={d.rule} kind={d.class} component={d.component} message={d.message} />
          ))}
        </ul>
      )}
    </section>
  );
}
