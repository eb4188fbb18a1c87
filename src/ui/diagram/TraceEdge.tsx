// Two edges drawn along a route around the blocks: the traced transaction,
// animated hop by hop (master → stage-2 → firewall/IOMMU → target) with the
// verdict at the hop that decided; and the flash of an escape or a denial,
// each with its own look (background traffic keeps the thin blue dashes).
import { BaseEdge, EdgeLabelRenderer, useStore, type Edge, type EdgeProps, type ReactFlowState } from '@xyflow/react';
import { useEffect, useLayoutEffect, useState } from 'react';
import { pointAlong, prefix, svgPath, type Point } from './route.ts';
import { hopLabel, type TraceLabels } from './traceLabels.ts';
import { TRACE_HOLD_MS, type Hop } from './traceView.ts';
import { redrawTimer } from '../store/engineStore.ts';
import './trace.css';

/**
 * The labels of a trace or a flash keep at least their own size on screen when the diagram is drawn
 * smaller than 1:1 (a laptop, a phone): scaled by 1/zoom (--inv-zoom, set by LabelScale) about their
 * centre, which stays on its point of the path.
 */
const READABLE = 'scale(var(--inv-zoom, 1))';

/** The labels' scale in flow units, max(1, 1 / zoom), in steps of 5 % (a zoom gesture moves it every frame). */
export const labelScale = (s: ReactFlowState) => Math.round(Math.max(1, 1 / s.transform[2]) * 20) / 20;

/** Sets --inv-zoom on the diagram for the labels above: max(1, 1 / zoom). Render inside <ReactFlow>. */
export function LabelScale() {
  const zoom = useStore((s) => s.transform[2]);
  const dom = useStore((s) => s.domNode);
  useLayoutEffect(() => {
    dom?.style.setProperty('--inv-zoom', String(Math.max(1, 1 / zoom)));
  }, [dom, zoom]);
  return null;
}

/** Time per hop of the animation. */
export const HOP_MS = 450;
/** The fade of the latest trace after TRACE_HOLD_MS. */
const FADE_MS = 600;

export type TraceEdgeData = {
  points: Point[];
  hops: Hop[];
  allowed: boolean;
  escape: boolean;
  /** The transaction number: a new one restarts the animation. */
  n: number;
  /** When the engine was powered on (numbers start again at each boot). */
  boot: number;
  reduced: boolean;
  /** Picked on the timeline: it stays. Otherwise it is the latest, and goes after TRACE_HOLD_MS. */
  picked: boolean;
  /** Where its hop labels go (placeTraceLabels), worked out before the flashes' labels, which keep clear of them. */
  labels: TraceLabels;
};
export type TraceEdgeType = Edge<TraceEdgeData, 'trace'>;

/** When each transaction was first drawn, by boot and number. */
const firstDrawn = new Map<string, number>();
function startOf(boot: number, n: number): number {
  const key = `${boot}:${n}`;
  let t = firstDrawn.get(key);
  if (t === undefined) {
    if (firstDrawn.size > 64) firstDrawn.clear();
    t = performance.now();
    firstDrawn.set(key, t);
  }
  return t;
}

export function TraceEdge({ id, data }: EdgeProps<TraceEdgeType>) {
  const { points, hops, allowed, escape, n, boot, reduced, picked, labels: placed } = data!;
  const scale = useStore(labelScale);
  const last = hops.length - 1;
  // The hop that decided a denial: the last stage; the target is never reached.
  const stop = allowed ? last : last - 1;
  // Progress is measured from when this transaction was first drawn, so a re-mounted edge carries on where it was.
  const started = startOf(boot, n);
  const [now, setNow] = useState(() => performance.now());
  const step = reduced ? stop : Math.min(stop, Math.floor((now - started) / HOP_MS));
  const drawnAt = started + (reduced ? 0 : stop * HOP_MS);
  const fading = !picked && now >= drawnAt + TRACE_HOLD_MS;
  const gone = !picked && now >= drawnAt + TRACE_HOLD_MS + (reduced ? 0 : FADE_MS);
  useEffect(() => {
    // The next moment something changes: the next hop, then the fade, then the end of it.
    const next = [started + (step + 1) * HOP_MS, drawnAt + TRACE_HOLD_MS, drawnAt + TRACE_HOLD_MS + FADE_MS].find((t, i) =>
      t > now && (i === 0 ? !reduced && step < stop : !picked));
    if (next === undefined) return;
    return redrawTimer(() => setNow(performance.now()), Math.max(10, next - performance.now()));
  }, [reduced, picked, step, stop, started, drawnAt, now]);
  if (gone) return null;

  const { row, centres } = placed;
  const done = step >= stop;
  const kind = escape ? 'escape' : allowed ? 'allow' : 'deny';
  const fade = fading ? ' trace-fading' : '';
  const here = pointAlong(points, step / last);
  const shown = hops.slice(0, step + 1).map((h, i) => {
    const decided = i === stop && done;
    return { h, i, decided, ...hopLabel(h, i, decided, row, escape, allowed, scale) };
  });
  const labels = shown.map(({ h, i, decided, text, result }) => (
    <div
      key={i}
      className={`trace-hop-label hop-${h.verdict}${decided ? ' hop-decided' : ''}${decided && escape ? ' hop-escape' : ''}${fade}`}
      data-hop={i}
      title={h.rule}
      style={row ? undefined : { transform: `translate(-50%, -50%) translate(${centres[i].x}px, ${centres[i].y}px) ${READABLE}` }}
    >
      {text}
      {decided && <span className="hop-result">{result}</span>}
    </div>
  ));
  return (
    <>
      <BaseEdge id={`${id}-route`} path={svgPath(points)} className={`trace-route${fade}`} />
      <BaseEdge id={id} path={svgPath(prefix(points, step / last))} className={`trace-travelled trace-${kind}${fade}`} />
      {!reduced && !done && <circle className={`trace-dot trace-${kind}`} cx={here.x} cy={here.y} r={6} />}
      <EdgeLabelRenderer>
        {row ? (
          <div className="trace-hop-row" style={{ transform: `translate(-50%, -50%) translate(${centres[0].x}px, ${centres[0].y}px) ${READABLE}` }}>
            {labels}
          </div>
        ) : (
          labels
        )}
      </EdgeLabelRenderer>
    </>
  );
}

export type RoutedEdgeData = { points: Point[]; look: 'escape' | 'deny' | 'flow'; text: string; at: Point };
export type RoutedEdgeType = Edge<RoutedEdgeData, 'routed'>;

/**
 * The flash of an access: an escape (thick, solid, glowing), a denial (red, ends in a bar) or
 * background traffic (thin blue dashes); each routed around the blocks, its label where the diagram
 * placed it (clear of the blocks and of the other flashes' labels); none on the traced transaction's line.
 */
export function RoutedEdge({ id, data, markerEnd }: EdgeProps<RoutedEdgeType>) {
  const { points, look, text, at } = data!;
  return (
    <>
      <BaseEdge id={id} path={svgPath(points)} markerEnd={markerEnd} className={`flash-route flash-${look}`} />
      {text && (
        <EdgeLabelRenderer>
          <div className={`flash-label flash-${look}`} style={{ transform: `translate(-50%, -50%) translate(${at.x}px, ${at.y}px) ${READABLE}` }}>
            {text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const edgeTypes = { trace: TraceEdge, routed: RoutedEdge };
