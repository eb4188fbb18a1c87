// Tap to place: after a palette item is tapped, each zone of the diagram becomes a target to tap.
// (Touch browsers have no HTML drag and drop; this is their way to put hardware in a zone.)
import { useNodes, useViewport } from '@xyflow/react';
import { kindInfo } from '../../model/catalog.ts';
import { runAction } from '../actions/registry.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import { drawingOf, placeInZone, type Zone } from './geometry.ts';
import type { ZoneNodeData } from './nodes.tsx';

export function PlaceOverlay() {
  const placing = useUiStore((s) => s.placing);
  const nodes = useNodes();
  const { x, y, zoom } = useViewport();
  if (!placing) return null;
  const info = kindInfo(placing);
  const zones = nodes.filter((n) => n.type === 'zone').map((n) => (n.data as ZoneNodeData).zone);

  function place(zone: Zone) {
    const board = useBoardStore.getState().board;
    const { zones: all, positions } = drawingOf(board);
    const target = all.find((z) => z.domain === zone.domain) ?? zone;
    const taken = [...positions.values()];
    const at = placeInZone(target, { x: target.slots.x, y: target.slots.y }, taken);
    useUiStore.getState().set({ placing: null });
    runAction('addComponent', { kind: placing!, domain: zone.domain, at: { x: at.x, y: at.y } });
  }

  return (
    <div className="place-overlay">
      <p className="place-banner" role="status">
        Tap a zone to place {info.name}
        <button type="button" onClick={() => useUiStore.getState().set({ placing: null })}>Cancel</button>
      </p>
      {zones.map((z) => (
        <button
          key={z.domain ?? 'none'}
          type="button"
          className="place-target"
          style={{ left: z.x * zoom + x, top: z.y * zoom + y, width: z.w * zoom, height: z.h * zoom }}
          onClick={() => place(z)}
        >
          <span>Place {info.name} in {z.label}</span>
        </button>
      ))}
    </div>
  );
}
