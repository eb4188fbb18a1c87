// The event timeline: every engine event in a sentence, filterable, linked to the diagram.
// Busy boards make hundreds of events a second: the list shows a window of the newest,
// rows are rendered once each, and reading older rows stops the list from moving.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { VM_NAMES, type SimEvent } from '../../sim/types.ts';
import { runAction } from '../actions/registry.ts';
import { useBoardAfterPaint } from '../store/boardStore.ts';
import { useEngineStore } from '../store/engineStore.ts';
import { eventLog, EXPORT_LIMIT, TIMELINE_LIMIT } from '../store/eventLog.ts';
import { useUiStore } from '../store/uiStore.ts';
import { ConceptLink } from '../lessons/ConceptLink.tsx';
import { formatCount, plural } from '../text/format.ts';
import { SEVERITY_WORDS, severityOf } from './eventSeverity.ts';
import { formatSimTime } from './SimBar.tsx';
import { download } from '../download.ts';
import { notify } from '../store/noticeStore.ts';

/** Rows in the DOM while reading older events; "Show earlier" adds as many again. */
const WINDOW = 150;
/**
 * Rows in the DOM while the list follows the newest events: a few screens. A busy board replaces
 * all of them at every update, so more would only be built to be thrown away; scrolling up holds
 * the list and shows WINDOW rows.
 */
const LIVE_ROWS = 25;
const ANCHORED = typeof CSS !== 'undefined' && CSS.supports('overflow-anchor', 'auto');

interface Row {
  /** Position since power on: a stable key while the list scrolls on. */
  seq: number;
  e: SimEvent;
}

const EventRow = memo(function EventRow({ e, known }: { e: SimEvent; known: ReadonlySet<string> }) {
  const severity = severityOf(e);
  // What else it involves: the event's own VM has its chip already.
  const involved = (e.involves ?? []).filter((id) => id !== e.vm);
  return (
    <li className={`event event-${severity}`}>
      <span className="event-t">{formatSimTime(e.t)}</span>
      <code className="event-type">{e.type}</code>
      <ConceptLink about={e.type} vm={e.vm} />
      {severity !== 'info' && <span className={`event-sev sev-${severity}`}>{SEVERITY_WORDS[severity]}</span>}
      {e.vm && <span className="event-vm">{e.vm}</span>}
      <span className="event-msg">{e.message}</span>
      {Array.isArray(e.knownBy) && (
        <span className="muted small event-known">
          {e.knownBy.length ? `known to: ${e.knownBy.map((vm) => VM_NAMES[vm as keyof typeof VM_NAMES] ?? vm).join(', ')}` : 'no guest was told'}
        </span>
      )}
      {Array.isArray(e.thunk) && (
        <details className="event-thunk">
          <summary>thunk</summary>
          <pre>{e.thunk.join('\n')}</pre>
        </details>
      )}
      {e.txn !== undefined && (
        <button type="button" className="link" onClick={() => useUiStore.getState().set({ selectedTxn: e.txn ?? null, view: 'diagram' })}>
          trace #{e.txn}
        </button>
      )}
      {involved.length > 0 && (
        <span className="event-links">
          {involved.map((id) =>
            known.has(id) ? (
              <button key={id} type="button" className="link" onClick={() => runAction('findComponent', id)}>{id}</button>
            ) : (
              <span key={id} className="muted">{VM_NAMES[id as keyof typeof VM_NAMES] ?? id}</span>
            ),
          )}
        </span>
      )}
    </li>
  );
});


/** What the page keeps, in a sentence, and the counts of what it no longer shows. */
function Retention({ total, kept }: { total: number; kept: number }) {
  if (total <= kept) return null;
  const counts = [...eventLog.counts].sort(([, a], [, b]) => b - a);
  return (
    <details className="retention small">
      <summary>
        {plural(total - kept, 'older event')} not in this list ({plural(total, 'event')} since power on)
      </summary>
      <p>
        The timeline keeps the newest {formatCount(TIMELINE_LIMIT)} events; “Download” saves the newest{' '}
        {formatCount(EXPORT_LIMIT)}. Everything since power on is counted by type:
      </p>
      <ul>
        {counts.map(([type, n]) => (
          <li key={type}>
            <code>{type}</code> {formatCount(n)}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function Timeline() {
  const live = useEngineStore((s) => s.events);
  const total = useEngineStore((s) => s.eventsTotal);
  const { components } = useBoardAfterPaint(); // links to blocks: they follow an edit a frame later
  const known = useMemo(() => new Set(components.map((c) => c.id)), [components]);
  const [vm, setVm] = useState('');
  const [type, setType] = useState('');
  const [size, setSize] = useState(WINDOW);
  /** While the reader is scrolled up, the list they read stays still (a snapshot). */
  const [held, setHeld] = useState<{ events: SimEvent[]; total: number } | null>(null);
  const list = useRef<HTMLOListElement>(null);
  /** The list whose view is at the bottom, kept there by the browser's scroll anchoring (null: none). */
  const following = useRef<HTMLOListElement | null>(null);

  const events = held?.events ?? live;
  const base = (held?.total ?? total) - events.length;
  // The type chosen stays among the options when no event of it is left (a new session, or older
  // events dropped): else the select would show "All types" while the list still filtered by it.
  const types = useMemo(() => [...new Set(events.map((e) => e.type)).add(type)].filter(Boolean).sort(), [events, type]);
  const matching = useMemo(() => {
    const rows: Row[] = [];
    events.forEach((e, i) => {
      if ((!vm || e.vm === vm) && (!type || e.type === type)) rows.push({ seq: base + i, e });
    });
    return rows;
  }, [events, base, vm, type]);
  const limit = held ? size : LIVE_ROWS;
  const shown = matching.length > limit ? matching.slice(-limit) : matching;

  // Following the newest events: where the browser anchors scrolling (overflow-anchor), the list's
  // last child keeps the view at the bottom as rows come and go, with no script reading the layout on
  // every update (that forced a layout of the whole page ten times a second on a busy board).
  // Elsewhere, or to get to the bottom after reading older rows, the list is scrolled there.
  const last = shown.at(-1)?.seq;
  useEffect(() => {
    const el = list.current;
    // Browsers do not anchor a view scrolled to the very top, so until the list overflows it is scrolled here.
    // (onScroll notes when the view is at the bottom and off the top, and so anchored.)
    if (el && !held && (!ANCHORED || following.current !== el)) el.scrollTop = el.scrollHeight;
  }, [last, held]);

  // Shown again (on a phone, the Events view chosen): a list laid out nowhere while hidden could not be
  // scrolled, and opened on its oldest rows. Unless the reader holds it, it is taken to the newest.
  const heldNow = useRef(held);
  heldNow.current = held;
  useEffect(() => {
    const el = list.current;
    if (!el) return;
    let hidden = el.clientHeight === 0;
    const observer = new ResizeObserver(() => {
      const shownAgain = hidden && el.clientHeight > 0;
      hidden = el.clientHeight === 0;
      if (shownAgain && !heldNow.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [shown.length > 0]);

  // A new session or another board: back to following the newest events.
  useEffect(() => {
    if (total === 0) {
      setHeld(null);
      setSize(WINDOW);
    }
  }, [total]);

  function onScroll() {
    const el = list.current;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    // Anchored only once scrolled off the top (see above): a view still at 0 is scrolled by the effect.
    following.current = atEnd && el.scrollTop > 0 ? el : null;
    if (atEnd && held) setHeld(null);
    else if (!atEnd && !held) setHeld({ events: live, total });
  }

  const newer = held ? total - held.total : 0;
  return (
    <section className="timeline" aria-label="Event timeline">
      <header>
        <h2>Events</h2>
        <select aria-label="Filter by VM" value={vm} onChange={(e) => setVm(e.target.value)}>
          <option value="">All VMs</option>
          {Object.entries(VM_NAMES).map(([id, name]) => (
            <option key={id} value={id}>{name}</option>
          ))}
        </select>
        <select aria-label="Filter by type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
        <button
          type="button"
          disabled={total === 0}
          aria-label="Download events"
          title={`Download the newest ${formatCount(EXPORT_LIMIT)} events as JSON lines (one event per line)`}
          onClick={() => {
            download('events.jsonl', eventLog.toJsonLines(), 'application/x-ndjson');
            const kept = eventLog.exported().length;
            const which = kept === eventLog.total ? `${plural(kept, 'event')} since power on` : `the newest ${plural(kept, 'event')} of ${formatCount(eventLog.total)} since power on`;
            notify('info', `Downloaded events.jsonl: ${which}, one per line.`);
          }}
        >
          Download
        </button>
      </header>
      <Retention total={total} kept={live.length} />
      {shown.length === 0 ? (
        <p className="muted small pad">{events.length ? 'No event matches the filter.' : 'Power on to see what the engine does: boots, firewall decisions, attacks, refreshes.'}</p>
      ) : (
        <ol ref={list} onScroll={onScroll} aria-label="Events, newest last">
          {matching.length > shown.length && (
            <li className="event-more">
              <button type="button" className="link" onClick={() => { if (held) setSize((n) => n + WINDOW); else setHeld({ events: live, total }); }}>
                Show {Math.min(held ? WINDOW : size - LIVE_ROWS, matching.length - shown.length)} earlier (of {plural(matching.length - shown.length, 'more event')})
              </button>
            </li>
          )}
          {shown.map((r) => (
            <EventRow key={r.seq} e={r.e} known={known} />
          ))}
          <li className="event-anchor" aria-hidden="true" />
        </ol>
      )}
      {held && (
        <button type="button" className="follow" onClick={() => setHeld(null)}>
          {newer > 0 ? `${plural(newer, 'new event')} — ` : ''}Jump to the latest
        </button>
      )}
    </section>
  );
}
