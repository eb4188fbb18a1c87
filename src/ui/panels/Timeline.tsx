// The event timeline: every engine event in a sentence, filterable, linked to the diagram.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SimEvent } from '../../sim/types.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { useEngineStore } from '../store/engineStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import { ConceptLink } from '../lessons/ConceptLink.tsx';
import { runAction } from '../actions/registry.ts';
import { CONSOLE_NAMES } from './Console.tsx';
import { formatSimTime } from './SimBar.tsx';

/** Red: something got through or broke. Green: a mechanism stopped something. */
const GOT_THROUGH = /escape|crash|compromise|hang|oom|timeout/;
const STOPPED = /deny|blocked|fault|rejected/;

function severityOf(e: SimEvent): 'bad' | 'stopped' | 'info' {
  if (GOT_THROUGH.test(e.type)) return 'bad';
  return STOPPED.test(e.type) ? 'stopped' : 'info';
}

export function Timeline() {
  const events = useEngineStore((s) => s.events);
  const components = useBoardStore((s) => s.board.components);
  const [vm, setVm] = useState('');
  const [type, setType] = useState('');
  const list = useRef<HTMLOListElement>(null);

  const types = useMemo(() => [...new Set(events.map((e) => e.type))].sort(), [events]);
  const shown = useMemo(
    () => events.filter((e) => (!vm || e.vm === vm) && (!type || e.type === type)),
    [events, vm, type],
  );

  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [shown.length]);

  return (
    <section className="timeline" aria-label="Event timeline">
      <header>
        <h2>Events</h2>
        <select aria-label="Filter by VM" value={vm} onChange={(e) => setVm(e.target.value)}>
          <option value="">All VMs</option>
          {Object.entries(CONSOLE_NAMES).map(([id, name]) => (
            <option key={id} value={id}>{name}</option>
          ))}
        </select>
        <select aria-label="Filter by type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
      </header>
      {shown.length === 0 ? (
        <p className="muted small pad">{events.length ? 'No event matches the filter.' : 'Power on to see what the engine does: boots, firewall decisions, attacks, refreshes.'}</p>
      ) : (
        <ol ref={list}>
          {shown.map((e, i) => (
            <li key={i} className={`event event-${severityOf(e)}`}>
              <span className="event-t">{formatSimTime(e.t)}</span>
              <code className="event-type">{e.type}</code>
              <ConceptLink about={e.type} />
              {e.vm && <span className="event-vm">{e.vm}</span>}
              <span className="event-msg">{e.message}</span>
              {Array.isArray(e.knownBy) && (
                <span className="muted small event-known">
                  {e.knownBy.length ? `known to: ${e.knownBy.map((vm) => CONSOLE_NAMES[vm as keyof typeof CONSOLE_NAMES] ?? vm).join(', ')}` : 'no guest was told'}
                </span>
              )}
              {e.txn !== undefined && (
                <button type="button" className="link" onClick={() => useUiStore.getState().set({ selectedTxn: e.txn ?? null })}>
                  trace #{e.txn}
                </button>
              )}
              {e.involves && e.involves.length > 0 && (
                <span className="event-links">
                  {e.involves.map((id) =>
                    components.some((c) => c.id === id) ? (
                      <button key={id} type="button" className="link" onClick={() => runAction('findComponent', id)}>{id}</button>
                    ) : (
                      <span key={id} className="muted">{id}</span>
                    ),
                  )}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
