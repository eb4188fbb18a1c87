// The running simulation as the page sees it: fed by the worker's batches.
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type { Board } from '../../model/types.ts';
import { VM_IDS, type AccessRecord, type SimEvent, type VmId, type VmStatus } from '../../sim/types.ts';
import type { EngineApi, EngineBatch } from '../../worker/api.ts';
import { eventLog, TIMELINE_LIMIT } from './eventLog.ts';

const ACCESS_LIMIT = 200;
/** The timeline and the diagram's traffic update at most this often (ms); the clock, every batch. */
const LIST_UPDATE_MS = 100;
/** Console text kept for a terminal not mounted yet (per guest); xterm's own scrollback bounds the rest. */
const PENDING_LIMIT_CHARS = 256 * 1024;

type ConsoleSink = (text: string) => void;

export interface EngineState {
  powered: boolean;
  /** The board the running simulation was built from (edits after power-on need a restart). */
  runningBoard: Board | null;
  now: number;
  /** Real time (performance.now) of the last power-on. */
  poweredAt: number;
  speed: number;
  status: VmStatus[];
  /** The newest events (at most TIMELINE_LIMIT); `eventsTotal` counts all since power on. */
  events: SimEvent[];
  eventsTotal: number;
  accesses: AccessRecord[];
}

export const useEngineStore = create<EngineState>(() => ({
  powered: false,
  runningBoard: null,
  now: 0,
  poweredAt: 0,
  speed: 1,
  status: [],
  events: [],
  eventsTotal: 0,
  accesses: [],
}));

let remote: Comlink.Remote<EngineApi> | null = null;

function engine(): Comlink.Remote<EngineApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../worker/engine.worker.ts', import.meta.url), { type: 'module' });
    remote = Comlink.wrap<EngineApi>(worker);
  }
  return remote;
}

// Console output goes straight to each xterm; text that arrives before a terminal mounts is kept.
const sinks = new Map<VmId, ConsoleSink>();
const pending = new Map<VmId, string[]>();

export function attachConsole(vm: VmId, sink: ConsoleSink): () => void {
  sinks.set(vm, sink);
  for (const text of pending.get(vm) ?? []) sink(text);
  pending.delete(vm);
  return () => {
    if (sinks.get(vm) === sink) sinks.delete(vm);
  };
}

function writeConsole(vm: VmId, text: string): void {
  const sink = sinks.get(vm);
  if (sink) sink(text);
  else {
    const kept = pending.get(vm) ?? [];
    kept.push(text);
    let size = kept.reduce((n, t) => n + t.length, 0);
    while (size > PENDING_LIMIT_CHARS && kept.length > 1) size -= kept.shift()!.length;
    pending.set(vm, kept);
  }
}

/** Resolves once the page has had a frame to show a batch (or soon, in a hidden tab without frames). */
function afterFrame(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 250);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * One worker batch. The reply (a promise the worker waits for before it sends the next batch)
 * comes after the page had a frame to show this one: a slow page gets fewer, larger batches
 * instead of an ever-growing queue.
 */
function onBatch(batch: EngineBatch): Promise<void> {
  for (const chunk of batch.console) writeConsole(chunk.vm, chunk.text);
  const s = useEngineStore.getState();
  if (batch.events.length) eventLog.record(batch.events);
  queuedEvents.push(...batch.events);
  queuedAccesses.push(...batch.accesses);
  useEngineStore.setState({
    now: batch.now,
    // Same states as before: keep the old array, so nothing that shows them re-renders.
    status: sameStatus(s.status, batch.status) ? s.status : batch.status,
    speed: batch.speed,
  });
  // The timeline and the diagram's traffic are redrawn at most LIST_UPDATE_MS apart: a busy board
  // sends a batch every frame, and redrawing both on each one kept the page from answering input.
  if (performance.now() - lastListUpdate >= LIST_UPDATE_MS) publishLists();
  else if (listTimer === null && (queuedEvents.length || queuedAccesses.length)) listTimer = setTimeout(publishLists, LIST_UPDATE_MS);
  return afterFrame();
}

/** Events and accesses received but not yet shown (at most LIST_UPDATE_MS worth). */
const queuedEvents: SimEvent[] = [];
const queuedAccesses: AccessRecord[] = [];
let lastListUpdate = 0;
let listTimer: ReturnType<typeof setTimeout> | null = null;

function publishLists(): void {
  if (listTimer !== null) clearTimeout(listTimer);
  listTimer = null;
  lastListUpdate = performance.now();
  if (!queuedEvents.length && !queuedAccesses.length) return;
  const s = useEngineStore.getState();
  useEngineStore.setState({
    events: queuedEvents.length ? [...s.events, ...queuedEvents.splice(0)].slice(-TIMELINE_LIMIT) : s.events,
    eventsTotal: eventLog.total,
    accesses: queuedAccesses.length ? [...s.accesses, ...queuedAccesses.splice(0)].slice(-ACCESS_LIMIT) : s.accesses,
  });
}

function sameStatus(a: VmStatus[], b: VmStatus[]): boolean {
  return a.length === b.length && a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]));
}

/**
 * A new session starts clean: the consoles and the timeline forget the previous board's output
 * (on power-on, and when another board is loaded).
 */
export function clearSession(): void {
  pending.clear();
  eventLog.reset();
  queuedEvents.length = 0;
  queuedAccesses.length = 0;
  if (listTimer !== null) clearTimeout(listTimer);
  listTimer = null;
  for (const fn of resetListeners) fn();
  useEngineStore.setState({ events: [], eventsTotal: 0, accesses: [], now: 0 });
}

/** Listeners told when a power cycle starts, so consoles can clear themselves. */
const resetListeners = new Set<() => void>();
export function onConsolesReset(fn: () => void): () => void {
  resetListeners.add(fn);
  return () => resetListeners.delete(fn);
}

export const engineControls = {
  async powerOn(board: Board, seed = 1): Promise<void> {
    // A fresh start runs: a pause left from the last session would look like a board that never boots.
    const speed = useEngineStore.getState().speed || 1;
    useEngineStore.setState({ powered: true, poweredAt: performance.now(), runningBoard: board, status: [], speed });
    clearSession();
    await engine().powerOn(board, seed, Comlink.proxy(onBatch));
    await engine().setSpeed(speed);
  },
  async powerOff(): Promise<void> {
    await engine().powerOff();
    for (const vm of VM_IDS) writeConsole(vm, '\r\n\x1b[2m— powered off —\x1b[0m\r\n');
    useEngineStore.setState({ powered: false, runningBoard: null, status: [] });
  },
  keys: (vm: VmId, data: string) => void engine().keys(vm, data),
  exec: (vm: VmId, line: string) => void engine().exec(vm, line),
  setSpeed: (speed: number) => {
    useEngineStore.setState({ speed });
    void engine().setSpeed(speed);
  },
  skipToNextEvent: () => engine().skipToNextEvent(),
  step: (ms: number) => void engine().step(ms),
  blastRadius: (board: Board, master: string, enforce: boolean) => engine().blastRadius(board, master, enforce),
};
