// Two edges drawn along a route around the blocks: the traced transaction,
// animated hop by hop (master → stage-2 → firewall/IOMMU → target) with the
// verdict at the hop that decided; and the flash of an escape or a denial,
// each with its own look (background traffic keeps the thin blue dashes).
import { BaseEdge, EdgeLabelRenderer, useStore, type Edge, type EdgeProps } from '@xyflow/react';
import { useEffect, useLayoutEffect, useState } from 'react';
import { pointAlong, prefix, svgPath, type Point } from './route.ts';
import { TRACE_HOLD_MS, type Hop } from './traceView.ts';
import './trace.css';

/**
 * The labels of a trace or a flash keep at least their own size on screen when the diagram is drawn
 * smaller than 1:1 (a laptop, a phone): scaled by 1/zoom (--inv-zoom, set by LabelScale) about their
 * centre, which stays on its point of the path.
 */
const READABLE = 'scale(var(--inv-zoom, 1))';

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
/** Path length per hop below which the hop labels go in a row rather than along the path. */
const ROW_BELOW = 110;

export type TraceEdgeData = {
  points: Point[];
  hops: Hop[];
  allowed: boolean;
  escape: boolean;
  /** The transaction number: a new one restarts the animation. */
  n: number;
  reduced: boolean;
  /** Picked on the timeline: it stays. Otherwise it is the latest, and goes after TRACE_HOLD_MS. */
  picked: boolean;
};
export type TraceEdgeType = Edge<TraceEdgeData, 'trace'>;

const firstDrawn = new Map<number, number>();
function startOf(n: number): number {
  let t = firstDrawn.get(n);
  if (t === undefined) {
    if (firstDrawn.size > 64) firstDrawn.clear();
    t = performance.now();
    firstDrawn.set(n, t);
  }
  return t;
}

export function TraceEdge({ id, data }: EdgeProps<TraceEdgeType>) {
  const { points, hops, allowed, escape, n, reduced, picked } = data!;
  const last = hops.length - 1;
  // The hop that decided a denial: the last stage; the target is never reached.
  const stop = allowed ? last : last - 1;
  // Progress is measured from when this transaction was first drawn, so a re-mounted edge carries on where it was.
  const started = startOf(n);
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
    const timer = setTimeout(() => setNow(performance.now()), Math.max(10, next - performance.now()));
    return () => clearTimeout(timer);
  }, [reduced, picked, step, stop, started, drawnAt, now]);
  if (gone) return null;

  // Where each hop's label goes: along the path, or — when the two ends are too close for that — in a row above it.
  const length = points.slice(1).reduce((sum, p, i) => sum + Math.hypot(p.x - points[i].x, p.y - points[i].y), 0);
  const row = length < last * ROW_BELOW;
  const rowEnd = { x: Math.max(...points.map((p) => p.x)) + 40, y: Math.min(...points.map((p) => p.y)) - 32 };
  const at = (i: number) => pointAlong(points, i / last);
  const done = step >= stop;
  const kind = escape ? 'escape' : allowed ? 'allow' : 'deny';
  const fade = fading ? ' trace-fading' : '';
  const here = at(step);
  /** Hop i's label, at a point on the path, or in the row (null). */
  const labels = hops.slice(0, step + 1).map((h, i) => (p: Point | null) => {
    const decided = i === stop && done;
    const mark = h.verdict === 'deny' ? '✕' : h.verdict === 'allow' || h.verdict === 'reached' ? '✓' : '';
    const place = p ? `translate(-50%, ${i === 0 ? '-170%' : '-50%'}) translate(${p.x}px, ${p.y}px) ${READABLE}` : undefined;
    return (
      <div
        key={i}
        className={`trace-hop-label hop-${h.verdict}${decided ? ' hop-decided' : ''}${decided && escape ? ' hop-escape' : ''}${fade}`}
        data-hop={i}
        title={h.rule}
        style={place ? { transform: place } : undefined}
      >
        {!p && i > 0 ? '→ ' : ''}{i === 0 ? 'master' : h.label} {mark}
        {decided && <span className="hop-result">{escape ? 'ESCAPE' : allowed ? 'done' : 'DENIED'}</span>}
      </div>
    );
  });
  return (
    <>
      <BaseEdge id={`${id}-route`} path={svgPath(points)} className={`trace-route${fade}`} />
      <BaseEdge id={id} path={svgPath(prefix(points, step / last))} className={`trace-travelled trace-${kind}${fade}`} />
      {!reduced && !done && <circle className={`trace-dot trace-${kind}`} cx={here.x} cy={here.y} r={6} />}
      <EdgeLabelRenderer>
        {row ? (
          <div className="trace-hop-row" style={{ transform: `translate(-100%, -50%) translate(${rowEnd.x}px, ${rowEnd.y}px) ${READABLE}`, transformOrigin: '100% 50%' }}>
            {labels.map((l) => l(null))}
          </div>
        ) : (
          labels.map((l, i) => l(at(i)))
        )}
      </EdgeLabelRenderer>
    </>
  );
}

export type RoutedEdgeData = { points: Point[]; look: 'escape' | 'deny'; text: string };
export type RoutedEdgeType = Edge<RoutedEdgeData, 'routed'>;

/** The flash of an escape (thick, solid, glowing) or a denial (solid red, ends in a bar). */
export function RoutedEdge({ id, data, markerEnd }: EdgeProps<RoutedEdgeType>) {
  const { points, look, text } = data!;
  const mid = pointAlong(points, 0.5);
  return (
    <>
      <BaseEdge id={id} path={svgPath(points)} markerEnd={markerEnd} className={`flash-route flash-${look}`} />
      <EdgeLabelRenderer>
        <div className={`flash-label flash-${look}`} style={{ transform: `translate(-50%, -50%) translate(${mid.x}px, ${mid.y}px) ${READABLE}` }}>
          {text}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const edgeTypes = { trace: TraceEdge, routed: RoutedEdge };
