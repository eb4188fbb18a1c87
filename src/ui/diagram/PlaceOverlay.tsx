// Tap to place: after a palette item is tapped, a banner offers each zone as a button, and each zone
// of the diagram becomes a target to tap. (Touch browsers have no HTML drag and drop; this is their
// way to put hardware in a zone.) The banner's buttons stay readable however small the diagram is
// drawn; a zone the chip cannot give the block is offered, disabled, with why.
import { useNodes, useViewport } from '@xyflow/react';
import { kindInfo } from '../../model/catalog.ts';
import { placementRefusal } from '../../model/check.ts';
import { profile, refusal } from '../../model/profiles.ts';
import { runAction } from '../actions/registry.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { notify } from '../store/noticeStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import { arrangementOf } from '../layout.ts';
import { drawingOf, placeInZone, type Zone } from './geometry.ts';
import type { ZoneNodeData } from './nodes.tsx';

export function PlaceOverlay() {
  const placing = useUiStore((s) => s.placing);
  const soc = profile(useBoardStore((s) => s.board.soc));
  const nodes = useNodes();
  const { x, y, zoom } = useViewport();
  if (!placing) return null;
  const info = kindInfo(placing);
  const zones = nodes.filter((n) => n.type === 'zone').map((n) => (n.data as ZoneNodeData).zone);
  const why = (z: Zone) => {
    const r = z.domain === null ? null : refusal(soc, placing, z.domain);
    return r === 'kind' ? `never for ${info.name}` : r === 'soc' ? `not on ${soc.name}` : null;
  };

  function place(zone: Zone) {
    const board = useBoardStore.getState().board;
    const { zones: all, positions } = drawingOf(board, arrangementOf(useUiStore.getState().layout));
    const target = all.find((z) => z.domain === zone.domain) ?? zone;
    const taken = [...positions.values()];
    const at = placeInZone(target, { x: target.slots.x, y: target.slots.y }, taken);
    useUiStore.getState().set({ placing: null });
    runAction('addComponent', { kind: placing!, domain: zone.domain, at: { x: at.x, y: at.y } });
  }

  return (
    <div className="place-overlay">
      <div className="place-banner" role="group" aria-label={`Place ${info.name}`}>
        <span>Place {info.name} in</span>
        {zones.map((z) => (
          <button key={z.domain ?? 'none'} type="button" disabled={why(z) !== null} title={why(z) ?? undefined} onClick={() => place(z)}>
            {z.label}
            {why(z) && <small> ({why(z)})</small>}
          </button>
        ))}
        <button type="button" className="place-cancel" onClick={() => useUiStore.getState().set({ placing: null })}>Cancel</button>
      </div>
      {zones.map((z) => (
        // The zone itself, for a tap on the diagram: the banner's button is its name for keyboards and
        // screen readers. A zone that cannot take the block says why, as a drop there does.
        <button
          key={z.domain ?? 'none'}
          type="button"
          className={why(z) === null ? 'place-target' : 'place-target refused'}
          aria-hidden
          tabIndex={-1}
          title={why(z) === null ? `Place ${info.name} in ${z.label}` : `Not in ${z.label}: ${why(z)}`}
          style={{ left: z.x * zoom + x, top: z.y * zoom + y, width: z.w * zoom, height: z.h * zoom }}
          onClick={() => (why(z) === null ? place(z) : notify('error', placementRefusal(useBoardStore.getState().board, placing, z.domain!)!))}
        />
      ))}
    </div>
  );
}
