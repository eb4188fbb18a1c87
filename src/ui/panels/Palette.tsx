// The hardware palette: one draggable item per kind. Enter (or a click) adds it unassigned,
// so the keyboard path needs no drag.
import { KINDS } from '../../model/catalog.ts';
import { profile } from '../../model/profiles.ts';
import { COMPONENT_KINDS } from '../../model/types.ts';
import { runAction } from '../actions/registry.ts';
import { DRAG_MIME } from '../diagram/Diagram.tsx';
import { tapToPlace } from '../layout.ts';
import { useBoardAfterPaint } from '../store/boardStore.ts';
import { useUiStore } from '../store/uiStore.ts';

export function Palette() {
  // The counts follow an add just after the frame that shows it on the diagram.
  const board = useBoardAfterPaint();
  const soc = profile(board.soc);
  return (
    <section className="palette" aria-label="Hardware palette">
      <h2>Hardware</h2>
      <p className="muted small palette-hint for-pointer">Drag onto a zone, or press Enter to add unassigned.</p>
      <p className="muted small palette-hint for-touch">Tap an item, then tap a zone. Two fingers move and zoom the diagram.</p>
      <ul>
        {COMPONENT_KINDS.map((kind) => {
          const info = KINDS[kind];
          const total = soc.instances[kind] ?? 0;
          const used = board.components.filter((c) => c.kind === kind).length;
          const left = total - used;
          const note = total === 0 ? `not on ${soc.name}` : `${Math.max(left, 0)} of ${total} left`;
          return (
            <li key={kind} className={left <= 0 ? 'exhausted' : undefined}>
              {/* The name is the button's text alone (its accessible name); the count is said in its description. */}
              <button
                type="button"
                className="palette-item"
                data-kind={kind}
                draggable
                aria-description={note}
                title={`${info.name} — ${note}. ${info.explanation}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_MIME, kind);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => {
                  // A touch screen cannot drag: the tap picks the kind, the next tap picks its zone.
                  if (tapToPlace()) useUiStore.getState().set({ placing: kind });
                  else runAction('addComponent', { kind, domain: null });
                }}
              >
                <span className="palette-glyph" aria-hidden>{info.glyph}</span>
                <span className="palette-name">{info.name}</span>
              </button>
              <span className="palette-count" aria-hidden>{total === 0 ? '—' : Math.max(left, 0)}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
