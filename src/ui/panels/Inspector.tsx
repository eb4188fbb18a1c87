// The inspector: what the selected component is, and the keyboard path to assign it (CONTRACT §7).
import { memo, useEffect, useRef, type CSSProperties } from 'react';
import { DOMAIN_LABELS, PROTECTION_WORDS, domainLabel, kindInfo } from '../../model/catalog.ts';
import { protectionOf } from '../../model/check.ts';
import { diagnosticsAbout } from '../store/diagnostics.ts';
import { NextBoot } from './NextBoot.tsx';
import { profile, refusal } from '../../model/profiles.ts';
import { DMA_PROTECTIONS, type Component, type DmaProtection, type Domain } from '../../model/types.ts';
import { runAction } from '../actions/registry.ts';
import { showNow, useBoardAfterPaint, useBoardStore, useSelectedAfterPaint } from '../store/boardStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import { SettledSelect } from './SettledSelect.tsx';
import { useLessonStore } from '../lessons/lessonStore.ts';

const DOMAIN_OPTIONS: { value: string; label: string }[] = [
  { value: 'app', label: DOMAIN_LABELS.app },
  { value: 'rt', label: DOMAIN_LABELS.rt },
  { value: 'system', label: DOMAIN_LABELS.system },
  { value: 'shared', label: DOMAIN_LABELS.shared },
  { value: '', label: DOMAIN_LABELS.null },
];

/** Each option: its name, as messages name it (PROTECTION_WORDS), and what it does, short enough for the side panel. */
const PROTECTION_EFFECT: Record<DmaProtection, string> = { none: 'VM escape possible', 'firewall-id': 'no system RAM', iommu: 'kept inside its VM' };

const NOT_SHOWN: CSSProperties = { display: 'none' };

const ComponentRow = memo(function ComponentRow({ c }: { c: Component }) {
  return (
    <li>
      <button type="button" onClick={() => useBoardStore.getState().select(c.id)}>
        {kindInfo(c.kind).glyph} {c.id} <span className="muted">· {domainLabel(c.domain)}</span>
      </button>
    </li>
  );
});

/**
 * Every placed component, to select one. Kept in the page (hidden) while a component is selected:
 * selecting and deselecting (an add, its undo) on a large board then shows or hides one list, instead
 * of building or tearing down 256 rows; an edit redraws only the rows whose component changed, just
 * after the frame that shows the edit on the diagram.
 */
const ComponentList = memo(function ComponentList({ hidden }: { hidden: boolean }) {
  const { components } = useBoardAfterPaint();
  if (components.length === 0) return null;
  return (
    // `hidden` alone would lose to the list's own `display: flex`.
    <ul className="component-list" aria-label="Placed components" hidden={hidden} style={hidden ? NOT_SHOWN : undefined}>
      {components.map((c) => <ComponentRow key={c.id} c={c} />)}
    </ul>
  );
});

export function Inspector() {
  // The form follows a new selection just after the frame that shows it on the diagram (an add
  // selects the new block); the shown component's values are always the board's own.
  const board = useBoardStore((s) => s.board);
  const shownId = useSelectedAfterPaint();
  const selectedId = useBoardStore((s) => s.selectedId);
  const select = useBoardStore((s) => s.select);
  const component = board.components.find((c) => c.id === shownId);
  // A challenge that hides the diagnostics leaves the findings, and which domains a kind never takes, to the participant.
  const challenge = useLessonStore((s) => s.diagnosticsHidden);
  const diagnostics = component && !challenge ? diagnosticsAbout(board, component.id) : [];
  const domainRef = useRef<HTMLSelectElement>(null);
  const protectionRef = useRef<HTMLSelectElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const focusTick = useUiStore((s) => s.focusTick);
  const broughtTick = useRef(0);

  // "Find the block" (a diagnostic, an event): bring the control that fixes it into view,
  // wherever the sidebar was scrolled to, once the form shows that block. A DMA engine's problem is
  // its protection; others, the domain.
  useEffect(() => {
    if (!focusTick || focusTick === broughtTick.current || !component || component.id !== selectedId) return;
    broughtTick.current = focusTick;
    const dmaProblem = component.kind === 'dma' && diagnostics.some((d) => d.rule.startsWith('dma') || d.rule === 'iommu-unavailable');
    const control = (dmaProblem ? protectionRef.current : null) ?? domainRef.current;
    // On a phone the page scrolls as one: there the diagram comes into view, with the block (Diagram.tsx).
    if (useUiStore.getState().layout !== 'narrow') {
      sectionRef.current?.scrollIntoView({ block: 'start' });
      control?.closest('label')?.scrollIntoView({ block: 'nearest' });
    }
    control?.classList.add('attention');
    const t = setTimeout(() => control?.classList.remove('attention'), 1600);
    return () => clearTimeout(t);
  }, [focusTick, component?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // A component added from the keyboard lands here, ready to assign (the form is built after the
  // frame that showed the new block, so focusing it lays out the page after that frame, not in it).
  useEffect(() => {
    if (component && document.activeElement?.closest('.palette')) domainRef.current?.focus();
  }, [component?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!component) {
    return (
      <section className="inspector" aria-label="Inspector" ref={sectionRef} tabIndex={-1}>
        <h2>Inspector</h2>
        <p className="muted">Select a component on the diagram, or in the list below, to see what it is and assign it.</p>
        {/* After an undo of an add, shown again once the frame without the added block is painted. */}
        <ComponentList key="component-list" hidden={shownId !== null && shownId !== selectedId} />
      </section>
    );
  }

  const info = kindInfo(component.kind);
  const soc = profile(board.soc);
  return (
    <section className="inspector" aria-label="Inspector" ref={sectionRef} tabIndex={-1}>
      <h2>
        <span aria-hidden>{info.glyph}</span> {component.id} <span className="muted">· {info.name}</span>
      </h2>
      <label className="field">
        <span>Domain</span>
        <SettledSelect
          ref={domainRef}
          value={component.domain ?? ''}
          onCommit={(v) => runAction('assignDomain', { id: component.id, domain: (v || null) as Domain | null })}
        >
          {DOMAIN_OPTIONS.map((o) => {
            const why = o.value === '' ? null : refusal(soc, component.kind, o.value as Domain);
            return (
              // A domain the component cannot have is shown, with why, but cannot be chosen.
              <option key={o.value} value={o.value} disabled={why !== null && o.value !== (component.domain ?? '')}>
                {o.label}
                {why === 'kind' && !challenge ? ` (never for ${info.name})` : why === 'soc' ? ` (not on ${soc.name})` : ''}
              </option>
            );
          })}
        </SettledSelect>
      </label>
      <NextBoot of={(b) => b.components.find((c) => c.id === component.id)?.domain} />
      {info.busMaster && (
        <label className="field">
          <span>DMA protection</span>
          <SettledSelect
            ref={protectionRef}
            value={protectionOf(component)}
            onCommit={(v) => runAction('setDmaProtection', { id: component.id, protection: v as DmaProtection })}
          >
            {DMA_PROTECTIONS.map((p) => (
              <option key={p} value={p} disabled={p === 'iommu' && !profile(board.soc).iommu && component.dmaProtection !== 'iommu'}>
                {`${PROTECTION_WORDS[p]} — ${PROTECTION_EFFECT[p]}`}
                {p === 'iommu' && !profile(board.soc).iommu ? ' (no IOMMU on this SoC)' : ''}
              </option>
            ))}
          </SettledSelect>
        </label>
      )}
      {info.busMaster && <NextBoot of={(b) => { const c = b.components.find((x) => x.id === component.id); return c && protectionOf(c); }} />}
      {diagnostics.length > 0 && (
        <ul className="inspector-problems">
          {diagnostics.map((d, i) => (
            <li key={i} className={`diag diag-${d.severity}`}>{d.message}</li>
          ))}
        </ul>
      )}
      <p className="explanation">{info.explanation}</p>
      <dl className="facts">
        <dt>Bus master</dt>
        <dd>{info.busMaster ? 'yes — can reach memory on its own' : 'no'}</dd>
        <dt>Registers</dt>
        <dd>{info.registerWindow / 1024} KiB window</dd>
        <dt>Pins</dt>
        <dd>{info.pins.join(', ') || '—'}</dd>
        <dt>Usually</dt>
        <dd>{DOMAIN_LABELS[info.usualDomain]}</dd>
      </dl>
      <div className="row">
        <button
          type="button"
          onClick={() => {
            runAction('removeComponent', component.id);
            showNow();
            sectionRef.current?.focus(); // keyboard users stay in the inspector, now listing what is left
          }}
        >
          Remove
        </button>
        <button
          type="button"
          onClick={() => {
            select(null);
            showNow();
            sectionRef.current?.focus(); // not back to the top of the page: the inspector, listing the components
          }}
        >
          Done
        </button>
      </div>
      <ComponentList key="component-list" hidden />
    </section>
  );
}
