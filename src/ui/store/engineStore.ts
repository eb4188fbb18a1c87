// The running simulation as the page sees it: fed by the worker's batches.
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type { Board } from '../../model/types.ts';
import { VM_IDS, type AccessRecord, type SimEvent, type Transaction, type VmId, type VmStatus } from '../../sim/types.ts';
import type { EngineApi, EngineBatch } from '../../worker/api.ts';
import { useBoardStore } from './boardStore.ts';

const EVENT_LIMIT = 2000;
const ACCESS_LIMIT = 200;
/** Recent bus transactions the trace view can show without asking the worker. */
const TRANSACTION_LIMIT = 300;

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
  events: SimEvent[];
  accesses: AccessRecord[];
  /** Recent bus transactions, oldest first (the "Transaction trace" region and the diagram's hop animation). */
  transactions: Transaction[];
}

export const useEngineStore = create<EngineState>(() => ({
  powered: false,
  runningBoard: null,
  now: 0,
  poweredAt: 0,
  speed: 1,
  status: [],
  events: [],
  accesses: [],
  transactions: [],
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
  else pending.set(vm, [...(pending.get(vm) ?? []), text]);
}

function onBatch(batch: EngineBatch): void {
  for (const chunk of batch.console) writeConsole(chunk.vm, chunk.text);
  const s = useEngineStore.getState();
  useEngineStore.setState({
    now: batch.now,
    status: batch.status,
    speed: batch.speed,
    events: batch.events.length ? [...s.events, ...batch.events].slice(-EVENT_LIMIT) : s.events,
    accesses: batch.accesses.length ? [...s.accesses, ...batch.accesses].slice(-ACCESS_LIMIT) : s.accesses,
    transactions: batch.transactions.length ? [...s.transactions, ...batch.transactions].slice(-TRANSACTION_LIMIT) : s.transactions,
  });
}

/** Listeners told when a power cycle starts, so consoles can clear themselves. */
const resetListeners = new Set<() => void>();
export function onConsolesReset(fn: () => void): () => void {
  resetListeners.add(fn);
  return () => resetListeners.delete(fn);
}

export const engineControls = {
  async powerOn(board: Board, seed = 1): Promise<void> {
    pending.clear();
    for (const fn of resetListeners) fn();
    // A fresh start runs: a pause left from the last session would look like a board that never boots.
    const speed = useEngineStore.getState().speed || 1;
    useEngineStore.setState({ powered: true, poweredAt: performance.now(), runningBoard: board, events: [], accesses: [], transactions: [], now: 0, status: [], speed });
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
  transaction: (n: number) => engine().transaction(n),
};

// Edits made while powered on wait for the next boot; the engine is told, so an attack can say it ran against the old configuration.
useBoardStore.subscribe((s) => {
  const { powered, runningBoard } = useEngineStore.getState();
  if (powered && runningBoard) void engine().boardEdited(s.board === runningBoard ? null : s.board);
});
