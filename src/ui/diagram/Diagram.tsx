// The SoC diagram: zones for the domains, a node per placed component, all derived from the board.
import {
  applyNodeChanges,
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStore,
  type Edge,
  type ReactFlowState,
  type Node,
  type NodeChange,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { diagnosticsAbout, problemsInWords } from '../store/diagnostics.ts';
import { notify } from '../store/noticeStore.ts';
import { placementRefusal } from '../../model/check.ts';
import type { Board, ComponentKind, Diagnostic } from '../../model/types.ts';
import { VM_IDS, type AccessRecord } from '../../sim/types.ts';
import { runAction } from '../actions/registry.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { redrawTimer, useEngineStore } from '../store/engineStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import { arrangementOf } from '../layout.ts';
import { buffersChip, captionsOf, COLUMN_W, drawingOf, headerChips, NODE_H, NODE_W, placeInZone, zoneAt, zoneFlag, zoneHint, zoneTitle, type Arrangement, type Zone } from './geometry.ts';
import { nodeTypes, type ComponentNode, type ComponentNodeData, type ZoneNode } from './nodes.tsx';
import { edgeTypes, labelScale, LabelScale } from './TraceEdge.tsx';
import { placeTraceLabels } from './traceLabels.ts';
import { labelSize, placeAlong } from './labels.ts';
import { pointAlong, routeBetween, type Point, type Rect } from './route.ts';
import { hopsOf, useReducedMotion, useShownTransaction } from './traceView.ts';
import { useTouchView } from './touchView.ts';

export const DRAG_MIME = 'application/x-isolation-lab-kind';

const FLASH_MS = 1600;
/** Room kept above the zones for the hop labels of a short trace. */
const TRACE_ROOM = 44;
/** Far enough to stand for everything beyond the drawing. */
const FAR = 1e5;
/**
 * The pane's view (x, y, zoom, width, height), in steps of 8 px and 1 % of zoom: where labels may go
 * is worked out again as the view moves, not at every frame of a pan.
 */
const paneView = (s: ReactFlowState) =>
  `${Math.round(s.transform[0] / 8) * 8},${Math.round(s.transform[1] / 8) * 8},${s.transform[2].toFixed(2)},${s.width},${s.height}`;
const MAX_FLASHES = 10;
/** The arrowheads' colours, as the flashes' lines in trace.css. */
const FLASH_COLOR = { escape: '#c026d3', flow: '#3b82f6', deny: '#b91c1c' } as const;
/** Props React Flow keeps in its store: the same objects on every render. */
export const FIT_VIEW = { padding: 0.04 };
export const MIN_ZOOM = 0.3;
export const MAX_ZOOM = 2;
/** The background's dots: their spacing and size in flow units. */
export const DOTS = { gap: 20, size: 1 };
const RUNNING_PADDING = { y: 0.01, left: '52px', right: '12px' } as const;
const PRO_OPTIONS = { hideAttribution: true };

/**
 * The view on a phone (the zones one above another): the column across the pane's width at up to 1:1,
 * its top (the trace's room above the System VM) at the top of the pane; the zones below are a pan
 * away, as on a map.
 */
export function columnViewport(width: number): Viewport {
  const zoom = Math.min(1, (width - 24) / COLUMN_W);
  return { x: (width - COLUMN_W * zoom) / 2, y: TRACE_ROOM * zoom + 8, zoom };
}

/** Diagram node that stands for an engine master or target ("cpu:app", "system-ram", "uart0"). */
function endpointNode(name: string): string {
  const cpu = /^cpu:(system|app|rt)$/.exec(name);
  if (cpu) return `cpu-${cpu[1]}`;
  const ram = /^(system|app|rt)-ram$/.exec(name);
  if (ram) return `ram-${ram[1]}`;
  if (name === 'mailbox') return 'ram-rt';
  if (name === 'pv-buffers') return 'ram-shared';
  return name.replace(/^dma:/, '');
}

interface Flash extends AccessRecord {
  key: string;
}

/** Two accesses draw the same flash: same pair, same verdict, same operation. */
function sameLook(a: AccessRecord, b: AccessRecord): boolean {
  return a.allowed === b.allowed && !!a.escape === !!b.escape && a.op === b.op;
}

/**
 * Recent bus accesses, throttled: one edge per master→target pair, at most a handful at once.
 * An access that looks like the flash already shown only makes it last longer, without drawing
 * anything again: on a busy board the same pairs repeat many times a second, and redrawing the
 * diagram for each kept the page from answering the keyboard.
 */
function useFlashes(): Flash[] {
  const accesses = useEngineStore((s) => s.accesses);
  const seen = useRef<AccessRecord[] | null>(null);
  /** When each shown flash ends (performance.now() time), by pair. */
  const until = useRef(new Map<string, number>());
  const [flashes, setFlashes] = useState<Flash[]>([]);
  useEffect(() => {
    const prev = seen.current;
    seen.current = accesses;
    const fresh = prev ? accesses.filter((a) => !prev.includes(a)) : accesses;
    if (!fresh.length) return;
    const now = performance.now();
    setFlashes((cur) => {
      const byKey = new Map(cur.filter((f) => (until.current.get(f.key) ?? 0) > now).map((f) => [f.key, f]));
      let changed = byKey.size !== cur.length;
      for (const a of fresh) {
        const key = `${a.master}>${a.target}`;
        until.current.set(key, now + FLASH_MS);
        const shown = byKey.get(key);
        if (shown && sameLook(shown, a)) continue;
        byKey.delete(key);
        byKey.set(key, { ...a, key });
        changed = true;
      }
      return changed ? [...byKey.values()].slice(-MAX_FLASHES) : cur;
    });
  }, [accesses]);
  useEffect(() => {
    if (!flashes.length) return;
    let cancel = () => {};
    const expire = () => {
      const now = performance.now();
      const ends = flashes.map((f) => until.current.get(f.key) ?? 0);
      if (ends.some((end) => end <= now)) setFlashes((cur) => cur.filter((f) => (until.current.get(f.key) ?? 0) > now));
      else cancel = redrawTimer(expire, Math.max(Math.min(...ends) - now, 50));
    };
    expire();
    return () => cancel();
  }, [flashes]);
  return flashes;
}

/** Shallow equality of two derived nodes, their position and their data. */
function sameNode(a: Node, b: Node): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof Node)[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (k === 'position') {
      if (a.position.x !== b.position.x || a.position.y !== b.position.y) return false;
    } else if (k === 'data') {
      const dk = Object.keys(a.data);
      if (dk.length !== Object.keys(b.data).length) return false;
      for (const d of dk) if (a.data[d] !== b.data[d]) return false;
    } else if (a[k] !== b[k]) return false;
  }
  return true;
}

/**
 * The nodes React Flow shows: the board's drawing, except that a node whose drawing did not change
 * keeps the view's object (with what React Flow measured, or where a drag has it), so React Flow
 * redraws only the nodes an edit touched. A block dragged and put back where it was is redrawn from
 * the board, not left where it was dropped.
 */
function showDrawing(before: Node[], shown: Node[], drawing: Node[]): Node[] {
  const was = new Map(before.map((n) => [n.id, n]));
  const view = new Map(shown.map((n) => [n.id, n]));
  return drawing.map((n) => {
    const v = view.get(n.id);
    return v && was.get(n.id) === n && v.position.x === n.position.x && v.position.y === n.position.y ? v : n;
  });
}

/**
 * The zone a zone node shows: the one it showed before when the new drawing has it the same, so the
 * node is given again as it was (every drawing makes new zones, and most edits change none of them).
 */
function shownZone(last: Map<string, Node>, zone: Zone): Zone {
  const was = (last.get(`zone-${zone.domain ?? 'none'}`) as ZoneNode | undefined)?.data.zone;
  const same = (a: Zone['slots'], b: Zone['slots']) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
  return was && same(was, zone) && same(was.slots, zone.slots) && was.label === zone.label && was.hint === zone.hint ? was : zone;
}

const NO_EDGES: Edge[] = [];

function worst(ds: Diagnostic[]): 'error' | 'warning' | null {
  if (ds.some((d) => d.severity === 'error')) return 'error';
  return ds.length ? 'warning' : null;
}

/** What the diagram shows beside the board itself. */
interface DrawingView {
  reach: Set<string>;
  flashOf: Map<string, 'allow' | 'deny'>;
  compromised: Set<string>;
  selectedId: string | null;
  highlightId: string | null;
}

const PLAIN_VIEW: DrawingView = { reach: new Set(), flashOf: new Map(), compromised: new Set(), selectedId: null, highlightId: null };

/**
 * The nodes that draw `board`: zones, each VM's CPUs and memory, the shared buffers and the blocks.
 * A node that `last` (the nodes drawn before, by id) has the same is given again as that object.
 */
export function drawNodes(board: Board, view: DrawingView = PLAIN_VIEW, last = new Map<string, Node>(), arrangement: Arrangement = 'row'): Node[] {
  const { zones, positions } = drawingOf(board, arrangement);
  const { reach, flashOf, compromised, selectedId, highlightId } = view;
  const nodes: Node[] = zones.map((zone) => ({
    id: `zone-${zone.domain ?? 'none'}`,
    type: 'zone',
    position: { x: zone.x, y: zone.y },
    width: zone.w,
    height: zone.h,
    draggable: false,
    selectable: false,
    focusable: false,
    zIndex: zone.domain === 'rt' ? -1 : -2,
    data: { zone: shownZone(last, zone), compromised: zone.domain !== null && compromised.has(zone.domain), emptyBoard: board.components.length === 0 },
  }));
  for (const vm of VM_IDS) {
    const zone = zones.find((z) => z.domain === vm)!;
    const memory = vm === 'rt' ? 'TCM' : `${board.vms[vm].memoryMiB} MiB`;
    const chips = headerChips(zone, memory);
    for (const kind of ['cpu', 'ram'] as const) {
      const id = `${kind}-${vm}`;
      nodes.push({
        id,
        type: 'chip',
        position: { x: chips[kind].x, y: chips[kind].y },
        width: chips[kind].w,
        height: chips[kind].h,
        draggable: false,
        selectable: false,
        focusable: false,
        data: {
          label: kind === 'cpu' ? 'CPUs' : memory,
          region: kind === 'cpu' ? `cpu:${vm}` : `${vm}-ram`,
          reach: reach.has(`${vm}-ram`) && kind === 'ram',
          flash: flashOf.get(id) ?? null,
        },
      });
    }
  }
  // The buffers the paravirtual devices share between the two VMs (virtqueues over vsock).
  const buffers = buffersChip(zones.find((z) => z.domain === 'shared')!);
  nodes.push({
    id: 'ram-shared',
    type: 'chip',
    position: { x: buffers.x, y: buffers.y },
    width: buffers.w,
    height: buffers.h,
    draggable: false,
    selectable: false,
    focusable: false,
    data: { label: 'buffers', region: 'pv-buffers', reach: reach.has('pv-buffers'), flash: flashOf.get('ram-shared') ?? null },
  });
  nodes.push({
    id: 'trace-room', type: 'spacer', position: { x: 0, y: -TRACE_ROOM }, width: 1, height: 1,
    draggable: false, selectable: false, focusable: false, data: {},
  });
  const kept = nodes.map((n) => {
    const was = last.get(n.id);
    return was && sameNode(was, n) ? was : n;
  });
  // A block is looked at before it is built: on a large board, nearly all of them are unchanged by an edit.
  for (const c of board.components) {
    const mine = diagnosticsAbout(board, c.id);
    const severity = worst(mine);
    const problemsText = mine.length ? problemsInWords(mine, c.id) : '';
    const reached = reach.has(c.id);
    const flash = flashOf.get(c.id) ?? null;
    const position = positions.get(c.id)!;
    const selected = c.id === selectedId;
    const className = c.id === highlightId ? 'highlight' : undefined;
    const was = last.get(c.id) as ComponentNode | undefined;
    const d = was?.data;
    if (was?.type === 'component' && d!.component === c && d!.severity === severity && d!.problems === mine.length && d!.problemsText === problemsText && d!.reach === reached && d!.flash === flash
      && was.position.x === position.x && was.position.y === position.y && was.selected === selected && was.className === className) {
      kept.push(was);
      continue;
    }
    const data: ComponentNodeData = { component: c, severity, problems: mine.length, problemsText, reach: reached, flash };
    kept.push({ id: c.id, type: 'component', position, width: NODE_W, height: NODE_H, selected, className, data });
  }
  return kept;
}

/**
 * Removes the copy of the first view made when the page was built (prerender.tsx) once this diagram's
 * nodes are measured and fitted and a frame has drawn them: the copy was over the page until then.
 * Drawn only while the copy is there: whether every node is measured is asked again on every change
 * of React Flow's store, a drag's every move included.
 */
function DropFirstView({ onDropped }: { onDropped: () => void }) {
  const ready = useNodesInitialized();
  useEffect(() => {
    if (!ready) return;
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        document.getElementById('prerender')?.remove();
        onDropped();
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [ready, onDropped]);
  return null;
}

export function Diagram() {
  const board = useBoardStore((s) => s.board);
  const selectedId = useBoardStore((s) => s.selectedId);
  const select = useBoardStore((s) => s.select);
  // A string, so the diagram only re-derives when the set of compromised VMs changes.
  const compromisedVms = useEngineStore((s) => s.status.filter((x) => x.compromised).map((x) => x.vm).join());
  const blastReach = useUiStore((s) => s.blastReach);
  const highlightId = useUiStore((s) => s.highlightId);
  const focusTick = useUiStore((s) => s.focusTick);
  const arrangement = useUiStore((s) => arrangementOf(s.layout));
  const flashes = useFlashes();
  const flow = useReactFlow();
  const [firstView, setFirstView] = useState(() => typeof document !== 'undefined' && document.getElementById('prerender') !== null);
  const firstViewDropped = useCallback(() => setFirstView(false), []);

  const { zones, positions } = drawingOf(board, arrangement);
  /** The nodes last drawn, by id: one whose drawing is unchanged is given again as the same object. */
  const built = useRef(new Map<string, Node>());

  const derived = useMemo<Node[]>(() => {
    const flashOf = new Map<string, 'allow' | 'deny'>();
    for (const f of flashes) flashOf.set(endpointNode(f.target), f.allowed ? 'allow' : 'deny');
    const view = { reach: new Set(blastReach), flashOf, compromised: new Set(compromisedVms.split(',')), selectedId, highlightId };
    const kept = drawNodes(board, view, built.current, arrangement);
    built.current = new Map(kept.map((n) => [n.id, n]));
    return kept;
  }, [board, selectedId, blastReach, flashes, compromisedVms, highlightId, arrangement]);

  const { txn: traced, picked } = useShownTransaction();
  const reduced = useReducedMotion();
  const powered = useEngineStore((s) => s.powered);
  const poweredAt = useEngineStore((s) => s.poweredAt);
  // The view, for placing labels, only while there are labels: otherwise a pan would draw the diagram again.
  const labelled = flashes.length > 0 || (powered && traced !== null);
  const scale = useStore((s) => (labelled ? labelScale(s) : 1));
  const shownArea = useStore((s) => (labelled ? paneView(s) : ''));

  /** Routes already found, by pair, for the drawing they were found on (background traffic repeats its pairs). */
  const routes = useRef({ drawing: '', paths: new Map<string, Point[]>() });

  const edges = useMemo<Edge[]>(() => {
    // The same empty list every time: a new one would make React Flow update its store for nothing.
    if (!flashes.length && !(powered && traced)) return NO_EDGES;
    const rects = new Map<string, Rect>();
    for (const n of derived) if (n.type !== 'zone' && n.type !== 'spacer') rects.set(n.id, { x: n.position.x, y: n.position.y, w: n.width!, h: n.height! });
    // Zone titles and hints stay readable: a path goes around their words too; and a label covers neither.
    const titles = zones.map(zoneTitle);
    const compromised = new Set(compromisedVms.split(','));
    const flags = zones.filter((z) => z.domain !== null && compromised.has(z.domain)).map(zoneFlag);
    const captions = [...captionsOf(zones), ...flags];
    // And stays on screen: inside the part of the drawing the pane shows (a few pixels in).
    const [vx, vy, vz, vw, vh] = shownArea.split(',').map(Number);
    const m = 4 / vz;
    const [left, top, right, bottom] = [-vx / vz + m, -vy / vz + m, (vw - vx) / vz - m, (vh - vy) / vz - m];
    const outside = [
      { x: -FAR, y: -FAR, w: 2 * FAR, h: FAR + top },
      { x: -FAR, y: -FAR, w: FAR + left, h: 2 * FAR },
      { x: right, y: -FAR, w: FAR, h: 2 * FAR },
      { x: -FAR, y: bottom, w: 2 * FAR, h: FAR },
    ];
    const avoid: Rect[] = [...rects.values(), ...titles, ...flags, ...zones.map(zoneHint), ...outside];
    const drawing = [...rects].map(([k, r]) => `${k}:${r.x},${r.y},${r.w},${r.h}`).join(';') + zones.map((z) => `|${z.y},${z.h}`).join('') + `|${compromisedVms}`;
    if (routes.current.drawing !== drawing) routes.current = { drawing, paths: new Map() };
    // A path from one block to another that goes around every other block, from edge to edge.
    const route = (from: string, to: string) => {
      const key = `${from}>${to}`;
      let path = routes.current.paths.get(key);
      if (!path) {
        path = routeBetween(rects, from, to, captions, zones);
        routes.current.paths.set(key, path);
      }
      return path;
    };
    const shown = powered && traced && rects.has(endpointNode(traced.master)) && rects.has(endpointNode(traced.target));
    const tracedPair = shown ? `${endpointNode(traced.master)}>${endpointNode(traced.target)}` : null;
    // The trace's labels first, where they would go once all its hops are drawn (it is what was
    // asked for); each flash's label clear of them and of the flashes' placed before it.
    const trace = shown
      ? (() => {
          const source = endpointNode(traced.master);
          const target = endpointNode(traced.target);
          const points = route(source, target);
          const hops = hopsOf(traced);
          const labels = placeTraceLabels(points, hops, traced.allowed, !!traced.escape, scale, avoid);
          avoid.push(...labels.boxes);
          return { source, target, points, hops, labels };
        })()
      : null;
    const out: Edge[] = flashes
      .filter((f) => rects.has(endpointNode(f.master)) && rects.has(endpointNode(f.target)))
      .map((f) => {
        const source = endpointNode(f.master);
        const target = endpointNode(f.target);
        const look = f.escape ? 'escape' : f.allowed ? 'flow' : 'deny';
        const points = route(source, target);
        // The traced transaction's own pair: its hop labels say it all, so its flash draws the line alone.
        const text = `${source}>${target}` === tracedPair ? '' : { escape: `⚠ ESCAPE: ${f.op}`, flow: f.op, deny: `✕ ${f.op} denied` }[look];
        const at = text ? placeAlong(points, 0.5, labelSize(text, 11, 6, 2, scale), avoid, 0.5) : pointAlong(points, 0.5);
        return {
          id: `flash-${f.key}`,
          source,
          target,
          type: 'routed',
          className: { escape: 'edge-allow edge-escape', flow: 'edge-allow edge-flow', deny: 'edge-deny' }[look],
          data: { points, look, text, at },
          markerEnd: { type: look === 'deny' ? MarkerType.Arrow : MarkerType.ArrowClosed, color: FLASH_COLOR[look] },
        };
      });
    if (trace && traced) {
      const { source, target, points, hops, labels } = trace;
      out.push({
        id: `trace-${traced.n}`,
        type: 'trace',
        source,
        target,
        className: 'trace-edge',
        zIndex: 10,
        data: { points, hops, allowed: traced.allowed, escape: !!traced.escape, n: traced.n, boot: poweredAt, reduced, picked, labels },
      });
    }
    return out;
  }, [flashes, derived, zones, traced, picked, reduced, powered, poweredAt, scale, shownArea, compromisedVms]);

  // The view keeps its own copy only so React Flow can track drags and measurements. It follows the
  // drawing while this render runs (React then renders the diagram again at once, before drawing
  // anything), not from an effect after it: an effect committed every edit twice, and on a large
  // board that second pass was a good part of the time an add took to show.
  const [view, setView] = useState(() => ({ from: derived, nodes: derived }));
  let nodes = view.nodes;
  if (view.from !== derived) {
    nodes = showDrawing(view.from, view.nodes, derived);
    setView({ from: derived, nodes });
  }

  // What the view fits: the whole drawing; once powered on with every block assigned, the domains that
  // run, with the empty Unassigned zone just below them, a pan away. With the consoles open on a
  // 1280×720 screen the running domains' labels then stay at least 11 px.
  const runningOnly = powered && board.components.every((c) => c.domain !== null);
  const fitIds = runningOnly ? derived.filter((n) => n.id !== 'zone-none').map((n) => n.id).join() : '';
  // (Hardly any padding above and below: the Unassigned zone continues the drawing below, the trace's
  // room is above. On the left, room for the zoom buttons.)
  const fitOptions = useMemo(
    () => (fitIds ? { padding: RUNNING_PADDING, nodes: fitIds.split(',').map((id) => ({ id })) } : FIT_VIEW),
    [fitIds],
  );
  // React Flow's handlers keep their identity across renders, reading the board through a ref: React
  // Flow copies every changed prop into its store, and a new handler on each render of a drag (one per
  // mouse move) made every node's selectors run again for nothing. The fit, run from timers and a
  // resize observer, reads the same ref.
  const current = useRef({ board, zones, positions, select, arrangement, fitOptions });
  current.current = { board, zones, positions, select, arrangement, fitOptions };

  const wrapper = useRef<HTMLDivElement>(null);
  useTouchView(wrapper, arrangement === 'column', MIN_ZOOM, MAX_ZOOM);
  const hasSize = () => (wrapper.current?.clientWidth ?? 0) > 0 && (wrapper.current?.clientHeight ?? 0) > 0;
  /** Fits the view to the pane, as the arrangement wants it. Hidden (another view on a phone), the pane has no size to fit into. */
  const fit = useCallback((duration?: number) => {
    if (!hasSize()) return;
    const { fitOptions: options, arrangement: now } = current.current;
    if (now === 'column') void flow.setViewport(columnViewport(wrapper.current!.clientWidth), { duration });
    else void flow.fitView({ ...options, duration });
  }, [flow]);

  // The diagram is a fixed drawing: keep it in view when the panel changes size.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(() => fit(), 120);
    });
    observer.observe(wrapper.current!);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [fit]);

  useEffect(() => {
    if (!highlightId || !focusTick) return;
    void flow.fitView({ nodes: [{ id: highlightId }], maxZoom: 1.2, duration: 300, padding: 1.5 });
    // On a phone the page scrolls as one, and may be at the inspector or the palette.
    if (useUiStore.getState().layout === 'narrow') wrapper.current?.scrollIntoView({ block: 'nearest' });
  }, [focusTick, highlightId, flow]);

  // On a phone, the block just added or picked may be further down the column: pan to it, at the same zoom.
  const selectedY = selectedId ? positions.get(selectedId)?.y : undefined;
  useEffect(() => {
    if (arrangement !== 'column' || selectedY === undefined || !hasSize()) return;
    const { x, y, zoom } = flow.getViewport();
    const height = wrapper.current!.clientHeight;
    if (selectedY * zoom + y >= 0 && (selectedY + NODE_H) * zoom + y <= height) return;
    void flow.setCenter((wrapper.current!.clientWidth / 2 - x) / zoom, selectedY + NODE_H / 2, { zoom, duration: 300 });
  }, [arrangement, selectedY, flow]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    setView((v) => ({ from: v.from, nodes: applyNodeChanges(changes, v.nodes) }));
    const { board: b, select: pick } = current.current;
    for (const ch of changes) {
      if (ch.type === 'select' && ch.selected && b.components.some((c) => c.id === ch.id)) pick(ch.id);
    }
  }, []);

  /** Blocks already drawn, except `id`: a drop must not cover them. */
  const takenBy = (id?: string) => [...current.current.positions].filter(([k]) => k !== id).map(([, p]) => p);

  /**
   * Where the pointer held the dragged block, from its top left (flow units). At the drop, the block is
   * where the pointer let go: the node's own position can lag the last pointer move by a frame, which
   * near a zone's edge put a block dropped outside every zone into the zone it had just left.
   */
  const grab = useRef({ x: 0, y: 0 });
  /** Where the last press began (screen): a drag starts only after the pointer has moved on from there. */
  const pressedAt = useRef<{ clientX: number; clientY: number } | null>(null);
  const pointerAt = (p: { clientX: number; clientY: number } | undefined | null) =>
    p ? flow.screenToFlowPosition({ x: p.clientX, y: p.clientY }) : null;
  const onNodeDragStart = useCallback((_: unknown, node: Node) => {
    // The block has not moved yet: the press point, from its position, is where it is held.
    const p = pointerAt(pressedAt.current);
    grab.current = p ? { x: p.x - node.position.x, y: p.y - node.position.y } : { x: NODE_W / 2, y: NODE_H / 2 };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const onNodeDragStop = useCallback((e: MouseEvent | TouchEvent, node: Node) => {
    if (node.type !== 'component') return;
    const p = pointerAt('changedTouches' in e ? e.changedTouches[0] : e);
    const dropped = p ? { x: p.x - grab.current.x, y: p.y - grab.current.y } : node.position;
    const zone = zoneAt(current.current.zones, dropped.x + NODE_W / 2, dropped.y + NODE_H / 2);
    const kind = current.current.board.components.find((c) => c.id === node.id)?.kind;
    const refused = zone?.domain && kind ? placementRefusal(current.current.board, kind, zone.domain) : null;
    if (refused) {
      // Back where it was: the drawing of the board, which has not changed.
      notify('error', `${node.id} stays where it was: ${refused}`);
      setView((v) => ({ from: v.from, nodes: v.from }));
      return;
    }
    const at = zone ? placeInZone(zone, dropped, takenBy(node.id)) : dropped;
    runAction('moveComponent', { id: node.id, domain: zone?.domain ?? null, at });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const onPaneClick = useCallback(() => current.current.select(null), []);

  function onDrop(e: DragEvent) {
    const kind = e.dataTransfer.getData(DRAG_MIME) as ComponentKind;
    if (!kind) return;
    e.preventDefault();
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const zone = zoneAt(zones, p.x, p.y);
    const refused = zone?.domain ? placementRefusal(board, kind, zone.domain) : null;
    if (refused) return void notify('error', refused);
    const at = zone ? placeInZone(zone, { x: p.x - NODE_W / 2, y: p.y - NODE_H / 2 }, takenBy()) : undefined;
    runAction('addComponent', { kind, domain: zone?.domain ?? null, at });
  }

  // The drawing grows as zones fill, and powering on or off changes what is fitted: keep it in view.
  // (A column is fitted to the pane's width alone: a block added further down keeps the view taken to it.)
  const refit = arrangement === 'column' ? arrangement : `${zones[0].h}:${zones[zones.length - 1].h}:${fitIds}`;
  useEffect(() => {
    const t = setTimeout(() => fit(200), 50);
    return () => clearTimeout(t);
  }, [refit, fit]);

  return (
    <div className="diagram" ref={wrapper} onPointerDownCapture={(e) => void (pressedAt.current = { clientX: e.clientX, clientY: e.clientY })} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        // Traffic is drawn, not operated: an edge would be a Tab stop that does nothing, named by internal ids.
        edgesFocusable={false}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onPaneClick={onPaneClick}
        fitView={arrangement === 'row'}
        fitViewOptions={fitOptions}
        minZoom={MIN_ZOOM}
        maxZoom={MAX_ZOOM}
        nodesConnectable={false}
        deleteKeyCode={null}
        // One block is selected at a time, and the wheel zooms without a key: holding Control (as in
        // Ctrl+Z) then costs React Flow nothing, where it updated its store and every node's selectors.
        multiSelectionKeyCode={null}
        zoomActivationKeyCode={null}
        proOptions={PRO_OPTIONS}
      >
        {firstView && <DropFirstView onDropped={firstViewDropped} />}
        <LabelScale />
        <Background gap={DOTS.gap} size={DOTS.size} />
        {/* Bottom right, in a row: the bottom left is where the Unassigned zone writes its caption. */}
        {arrangement === 'row' && <Controls showInteractive={false} fitViewOptions={fitOptions} position="bottom-right" orientation="horizontal" />}
      </ReactFlow>
      {/* On a phone the column scrolls under the buttons, which then covered a zone's title or chips:
          there they sit in a row of their own under the drawing. The fit button is fit()'s: React
          Flow's would fit the whole column first. */}
      {arrangement === 'column' && (
        <div className="diagram-zoom" role="toolbar" aria-label="Diagram zoom">
          <button type="button" title="Zoom In" aria-label="Zoom In" onClick={() => void flow.zoomIn({ duration: 200 })}>
            <svg viewBox="0 0 16 16" aria-hidden><path d="M8 2v12M2 8h12" stroke="currentColor" strokeWidth="2" /></svg>
          </button>
          <button type="button" title="Zoom Out" aria-label="Zoom Out" onClick={() => void flow.zoomOut({ duration: 200 })}>
            <svg viewBox="0 0 16 16" aria-hidden><path d="M2 8h12" stroke="currentColor" strokeWidth="2" /></svg>
          </button>
          <button type="button" title="Fit View" aria-label="Fit View" onClick={() => fit(200)}>
            <svg viewBox="0 0 16 16" aria-hidden><path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" fill="none" stroke="currentColor" strokeWidth="2" /></svg>
          </button>
        </div>
      )}
    </div>
  );
}
