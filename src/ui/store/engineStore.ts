// The running simulation as the page sees it: fed by the worker's batches.
import * as Comlink from 'comlink';
import { create } from 'zustand';
import { safeMessage } from '../../model/safeText.ts';
import type { Board } from '../../model/types.ts';
import { VM_IDS, type AccessRecord, type SimEvent, type Transaction, type VmId, type VmStatus } from '../../sim/types.ts';
import type { EngineApi, EngineBatch } from '../../worker/api.ts';
import { note } from '../panels/consoleOptions.ts';
import type { TypeAhead } from '../panels/localEcho.ts';
import { afterNextPaint } from './afterPaint.ts';
import { useBoardStore } from './boardStore.ts';
import { eventLog, TIMELINE_LIMIT } from './eventLog.ts';

const ACCESS_LIMIT = 200;
/** Recent bus transactions the trace view can show without asking the worker. */
const TRANSACTION_LIMIT = 300;
/** The timeline and the diagram's traffic update at most this often (ms); the clock: CLOCK_UPDATE_MS. */
const LIST_UPDATE_MS = 100;
/** The same, faster than real time: at 10× a quarter second is already seconds of simulated time. */
const FAST_LIST_UPDATE_MS = 250;
/**
 * While someone types into a console, the rest of the page (timeline, the diagram's traffic, the
 * other consoles, the clock) is redrawn at most this often (ms): each redraw is a layout and a paint
 * of the whole page, and the typed key's echo waited behind them. At 1× too: the clock, redrawn on
 * every batch there, kept the page drawing every frame, and a key's frame then waited for the
 * display's next tick (echo p95 14.1 ms at 1× against 5.4 ms at 100×, the bare xterm's 3.6 ms).
 */
const TYPING_UPDATE_MS = 1000;
/** How long after a keystroke the page counts as being typed into (ms). */
const TYPING_MS = 1000;
let lastKeyAt = -Infinity;
const typing = () => performance.now() - lastKeyAt < TYPING_MS;
const listUpdateMs = () => (typing() ? TYPING_UPDATE_MS : useEngineStore.getState().speed > 1 ? FAST_LIST_UPDATE_MS : LIST_UPDATE_MS);
/** Faster than real time, the clock and the VMs' states are shown at most CLOCK_UPDATE_MS apart. */
const CLOCK_UPDATE_MS = 50;
const clockUpdateMs = () => (typing() ? TYPING_UPDATE_MS : CLOCK_UPDATE_MS);

/**
 * While someone types, the redraws that wait (the lists, the clock, the other consoles) run right
 * after the frame that shows a key: the next key is then as far away as it gets,
 * and a redraw (a React render and a layout of the page) never holds up the frame of an echo.
 */
const afterKeyFrame = new Set<() => void>();

function keyFramePainted(): void {
  for (const run of [...afterKeyFrame]) {
    afterKeyFrame.delete(run);
    run();
  }
}

/** Runs `run` now or, while someone types, after the next key's frame (or once typing has stopped). */
function betweenKeys(run: () => void): void {
  if (!typing()) return run();
  if (afterKeyFrame.has(run)) return;
  afterKeyFrame.add(run);
  setTimeout(() => {
    if (afterKeyFrame.delete(run)) run();
  }, lastKeyAt + TYPING_MS - performance.now());
}

/**
 * While someone types, the page's decorations hold still: the root element has the class `typing`,
 * and the traffic's flowing dashes and the trace's fade have no animation under it (styles.css,
 * trace.css). Each ran the compositor frame after frame for up to 1.5 s, and a key typed meanwhile
 * waited for the display's next tick (up to 16.7 ms) where a key typed into a still page gets its
 * frame at once.
 */
let stillTimer: ReturnType<typeof setTimeout> | undefined;
function typed(): void {
  lastKeyAt = performance.now();
  document.documentElement.classList.add('typing');
  clearTimeout(stillTimer);
  stillTimer = setTimeout(() => document.documentElement.classList.remove('typing'), TYPING_MS);
}

/**
 * A timer for the rest of the page (the diagram's traffic and traces): like setTimeout, but while
 * someone types it fires after the next key's frame (betweenKeys). A redraw
 * between two keys kept the compositor drawing when the next key came, and that key's frame then
 * waited for the display's next tick (up to 16.7 ms) instead of starting at once. Returns its cancel.
 */
export function redrawTimer(run: () => void, ms: number): () => void {
  let cancelled = false;
  const once = () => void (cancelled || run());
  const timer = setTimeout(() => betweenKeys(once), ms);
  return () => {
    cancelled = true;
    clearTimeout(timer);
    afterKeyFrame.delete(once);
  };
}

/** Runs `publish` at once when `every()` ms have passed since it last ran, else once they have (one timer at most). */
function throttled(publish: () => void, every: () => number) {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const now = () => {
    cancel();
    last = performance.now();
    publish();
  };
  return {
    now,
    cancel,
    request: () => {
      if (performance.now() - last >= every()) betweenKeys(now);
      else timer ??= setTimeout(() => betweenKeys(now), every());
    },
  };
}
/** Console text kept for a terminal not mounted or not shown (per guest); xterm's own scrollback bounds the rest. */
const PENDING_LIMIT_CHARS = 256 * 1024;

export interface EngineState {
  powered: boolean;
  /** The board the running simulation was built from (edits after power-on need a restart). */
  runningBoard: Board | null;
  now: number;
  /** Real time (performance.now) of the last power-on. */
  poweredAt: number;
  speed: number;
  /** The speed Run resumes at: the last one above 0 (paused) set by setSpeed or power-on, the worker's only speeds. */
  resumeSpeed: number;
  status: VmStatus[];
  /** The newest events (at most TIMELINE_LIMIT); `eventsTotal` counts all since power on. */
  events: SimEvent[];
  eventsTotal: number;
  accesses: AccessRecord[];
  /** Recent bus transactions, oldest first (the "Transaction trace" region and the diagram's hop animation). */
  transactions: Transaction[];
  /** Why the engine worker stopped (crashed, failed to load, stopped answering), or null while it is fine. */
  failure: EngineFailure | null;
}

export interface EngineFailure {
  reason: string;
  /** The board that was running, to restart with in one click (null when nothing was powered on). */
  board: Board | null;
  seed: number;
}

export const useEngineStore = create<EngineState>(() => ({
  powered: false,
  runningBoard: null,
  now: 0,
  poweredAt: 0,
  speed: 1,
  resumeSpeed: 1,
  status: [],
  events: [],
  eventsTotal: 0,
  accesses: [],
  failure: null,
  transactions: [],
}));

/** A guest's state as its console and tab show it: after an engine failure nothing runs, whatever the last batch said. */
export function guestState(vm: VmId): (s: EngineState) => string {
  return (s) => (s.failure !== null ? 'stopped' : s.status.find((x) => x.vm === vm)?.state ?? 'off');
}

/** How often the page asks the worker whether it is alive, and how long it waits before calling it hung. */
export const HEARTBEAT_MS = 1000;
export const WATCHDOG_MS = 8000;
/** No call to the engine may wait longer than this: a dead worker never answers, so nothing may wait forever. */
export const CALL_TIMEOUT_MS = 10_000;

/** How long Power off waits for the engine's answer before the page stops the board on its own. */
const POWER_OFF_WAIT_MS = 2000;

class EngineDown extends Error {}

/** The live worker, its comlink proxy, and the promise that rejects the moment it is declared dead. */
interface Live {
  worker: Worker;
  remote: Comlink.Remote<EngineApi>;
  down: Promise<never>;
  die: (reason: string) => void;
  heartbeat: ReturnType<typeof setInterval>;
  /** performance.now() of the unanswered ping and the heartbeat ticks since, or null when none is out. */
  ping: { at: number; ticks: number } | null;
}

let live: Live | null = null;
let lastSeed = 1;

function engine(): Live {
  if (live) return live;
  const worker = new Worker(new URL('../../worker/engine.worker.ts', import.meta.url), { type: 'module' });
  let die: (reason: string) => void = () => {};
  const down = new Promise<never>((_, reject) => {
    die = (reason) => reject(new EngineDown(reason));
  });
  down.catch(() => {}); // observed by every pending call; never an unhandled rejection
  const me: Live = { worker, remote: Comlink.wrap<EngineApi>(worker), down, die, heartbeat: setInterval(() => beat(me), HEARTBEAT_MS), ping: null };
  // A script that fails to load (missing file, CSP) or throws outside any call reports here, not to a caller.
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    fail(me, e.message ? `the engine crashed (${e.message})` : 'the engine could not be loaded');
  });
  worker.addEventListener('messageerror', () => fail(me, 'a message from the engine could not be read'));
  live = me;
  return me;
}

/** The watchdog: one ping out at a time; unanswered for WATCHDOG_MS (and 3 ticks, so a busy page is not blamed on the worker), the worker is hung. */
function beat(me: Live): void {
  if (me.ping) {
    me.ping.ticks++;
    if (performance.now() - me.ping.at > WATCHDOG_MS && me.ping.ticks >= 3) {
      fail(me, `the engine stopped answering for ${WATCHDOG_MS / 1000} seconds`);
    }
    return;
  }
  const ping = { at: performance.now(), ticks: 0 };
  me.ping = ping;
  void Promise.race([me.remote.ping(), me.down]).then(() => {
    if (me.ping === ping) me.ping = null;
  }, () => {});
}

/** Declares the worker dead: it is terminated, every pending call fails, the page says so and offers a restart. */
function fail(me: Live, reason: string): void {
  if (live !== me) return; // already replaced
  live = null;
  clearInterval(me.heartbeat);
  me.worker.terminate();
  me.die(reason);
  const { runningBoard, powered } = useEngineStore.getState();
  useEngineStore.setState({ powered: false, runningBoard: null, status: [], failure: { reason, board: powered ? runningBoard : null, seed: lastSeed } });
  if (powered) {
    for (const vm of VM_IDS) writeConsole(vm, `\r\n\x1b[31m— stopped: ${safeMessage(reason)} —\x1b[0m\r\n`);
  }
}

/** A call to the engine that cannot hang: it fails when the worker dies or does not answer within CALL_TIMEOUT_MS. */
async function call<T>(what: string, fn: (remote: Comlink.Remote<EngineApi>) => Promise<T>): Promise<T> {
  const me = engine();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EngineDown(`the engine did not answer "${what}" within ${CALL_TIMEOUT_MS / 1000} seconds`)), CALL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([fn(me.remote), me.down, timeout]);
  } catch (err) {
    if (err instanceof EngineDown) fail(me, err.message);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

const ignore = () => {};

// Console output goes to each xterm. Text for a console that is not mounted yet, or not shown (a tab
// not chosen, or folded beside a widened one), is kept until it is: a hidden xterm would parse and
// draw it all the same, and on a busy board at 100× that work, for text nobody sees, fell between the
// keys typed into the console that is shown. The console being typed into is written at once (its
// echo must not wait); the others shown at most listUpdateMs() apart, like the timeline: on a busy
// board they receive text on every frame, and drawing all three terminals every frame left the page
// too little time to answer the keyboard.
export interface ConsoleSink {
  write: (text: string) => void;
  /** Whether the keyboard is in this console now. */
  focused: () => boolean;
  /** Whether the console is on the screen now (text for one that is not waits for releaseConsole). */
  shown?: () => boolean;
  /** Draws typed keys ahead of their echo (localEcho.ts), when the console can. */
  ahead?: TypeAhead;
}
const sinks = new Map<VmId, ConsoleSink>();
/** Text kept for a console not mounted or not shown, oldest first, at most PENDING_LIMIT_CHARS. */
const pending = new Map<VmId, string[]>();
const deferred = new Map<VmId, string[]>();
let consoleTimer: ReturnType<typeof setTimeout> | null = null;

const isShown = (sink: ConsoleSink | undefined): sink is ConsoleSink => sink !== undefined && (sink.shown?.() ?? true);

export function attachConsole(vm: VmId, sink: ConsoleSink): () => void {
  sinks.set(vm, sink);
  releaseConsole(vm);
  return () => {
    if (sinks.get(vm) === sink) sinks.delete(vm);
  };
}

/** A console is shown (again): the text kept for it while it was not is written now, in one write. */
export function releaseConsole(vm: VmId): void {
  const sink = sinks.get(vm);
  const kept = pending.get(vm);
  if (!kept || !isShown(sink)) return;
  pending.delete(vm);
  sink.write(kept.join(''));
}

function writeConsole(vm: VmId, text: string): void {
  const sink = sinks.get(vm);
  if (!isShown(sink)) return keep(vm, [text]);
  // Keys drawn ahead are confirmed or taken back by the output that follows them, at once.
  if (!sink.focused() && !sink.ahead?.drawing) {
    const waiting = deferred.get(vm);
    if (waiting) waiting.push(text);
    else deferred.set(vm, [text]);
    consoleTimer ??= setTimeout(() => betweenKeys(flushConsoles), listUpdateMs());
    return;
  }
  flushDeferred(vm);
  sink.write(text);
}

/** Keeps `texts` for a console not mounted or not shown, after any text still waiting for it; the oldest goes past the limit. */
function keep(vm: VmId, texts: string[]): void {
  const kept = pending.get(vm) ?? [];
  const waiting = deferred.get(vm);
  if (waiting) {
    deferred.delete(vm);
    kept.push(...waiting);
  }
  kept.push(...texts);
  let size = kept.reduce((n, t) => n + t.length, 0);
  while (size > PENDING_LIMIT_CHARS && kept.length > 1) size -= kept.shift()!.length;
  pending.set(vm, kept);
}

/** Writes the text held for one console now (before its new output, or a key drawn there: they go after that text). */
function flushDeferred(vm: VmId): void {
  const waiting = deferred.get(vm);
  const sink = sinks.get(vm);
  if (!waiting || !sink) return;
  deferred.delete(vm);
  sink.write(waiting.join(''));
}

/** Writes the text held for consoles not typed into (each in one write). */
function flushConsoles(): void {
  consoleTimer = null;
  for (const [vm, texts] of deferred) {
    deferred.delete(vm);
    const sink = sinks.get(vm);
    if (isShown(sink)) sink.write(texts.join(''));
    else keep(vm, texts);
  }
}

/**
 * Resolves once the page has had a frame to show a batch (or soon, in a hidden tab without frames).
 * While someone types, as soon as the batch is handled: it wrote only the
 * console typed into (the rest waits, see betweenKeys), and asking for a frame on every batch kept
 * the page drawing frame after frame, so the frame of a typed key waited for its turn in that
 * cadence instead of starting at once.
 */
function afterFrame(): Promise<void> {
  if (typing()) return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 250);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The power-on whose batches are shown (EngineBatch.session), and the number of the next one to show. */
let session = 0;
let nextSeq = 0;
/** Batches that came before a lower-numbered one (the key channel can overtake onBatch): shown once it comes. */
const early = new Map<number, { batch: EngineBatch; shown: () => void }>();
/** Where the worker sends the echo of typed keys (see EngineApi.powerOn). */
let keyChannel: BroadcastChannel | null = null;
/** Typed keys of this power-on, numbered from 1, and the last one the engine has handled (EngineBatch.keys). */
let keysSent = 0;
let keysHandled = 0;
/** The consoles whose shell echoes a printable key as itself, as the last batch shown says. */
let echoing: ReadonlySet<VmId> = new Set();
/** Per console, the last key sent that was not drawn ahead: until the engine has handled it, the next key's echo cannot be foretold. */
const unforeseen = new Map<VmId, number>();

/** A name no other tab or power-on uses: a broadcast reaches every same-origin listener of its name. */
function keyChannelName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `isolation-lab-keys-${session}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A new power-on: batches of older ones are dropped, and typed keys' echo gets a channel of its own. */
function newSession(): { session: number; keyChannel: string | undefined } {
  session++;
  nextSeq = 0;
  early.clear();
  keysSent = 0;
  keysHandled = 0;
  echoing = new Set();
  unforeseen.clear();
  keyChannel?.close();
  keyChannel = null;
  if (typeof BroadcastChannel !== 'function') return { session, keyChannel: undefined };
  const name = keyChannelName();
  keyChannel = new BroadcastChannel(name);
  keyChannel.onmessage = (e: MessageEvent<EngineBatch>) => void receive(e.data);
  return { session, keyChannel: name };
}

/**
 * One worker batch, from onBatch or the key channel, shown in the order the worker made them.
 * The reply (a promise the worker waits for before it sends the next batch through onBatch)
 * comes after the page had a frame to show this one: a slow page gets fewer, larger batches
 * instead of an ever-growing queue.
 */
function receive(batch: EngineBatch): Promise<void> {
  if (batch.session !== session || batch.seq < nextSeq) return Promise.resolve();
  return new Promise((shown) => {
    early.set(batch.seq, { batch, shown });
    for (let next = early.get(nextSeq); next; next = early.get(nextSeq)) {
      early.delete(nextSeq++);
      void showBatch(next.batch).then(next.shown);
    }
  });
}

function showBatch(batch: EngineBatch): Promise<void> {
  // A batch still on its way from a worker declared dead, or from a board the page has already powered
  // off (Power off stops waiting after POWER_OFF_WAIT_MS), must not bring its VMs back to life on the page.
  if (!live || useEngineStore.getState().failure || !useEngineStore.getState().powered) return Promise.resolve();
  if (live.ping) live.ping = null; // a batch is as good as an answered ping
  for (const chunk of batch.console) writeConsole(chunk.vm, chunk.text);
  // After the text: a key's echo comes in the batch that says it was handled, or in an earlier one.
  echoing = new Set(batch.echo);
  if (batch.keys > keysHandled) {
    // A key not drawn ahead shows with its echo: the redraws that wait for a key's frame wait for this batch's.
    const lastUnforeseen = Math.max(0, ...unforeseen.values());
    if (lastUnforeseen > keysHandled && lastUnforeseen <= batch.keys) afterNextPaint(keyFramePainted);
    keysHandled = batch.keys;
    for (const sink of sinks.values()) sink.ahead?.handled(keysHandled);
  }
  if (batch.events.length) eventLog.record(batch.events);
  queuedEvents.push(...batch.events);
  queuedAccesses.push(...batch.accesses);
  queuedTransactions.push(...batch.transactions);
  // The clock and the VMs' states: on every batch at real time; faster, at most CLOCK_UPDATE_MS
  // apart (a frame's worth of simulated time at 100× is more than the eye reads, and a change on
  // every frame made the page lay out and paint every frame); while someone types, TYPING_UPDATE_MS.
  latest = batch;
  if (batch.speed <= 1 && !typing()) clock.now();
  else clock.request();
  // The timeline and the diagram's traffic are redrawn at most listUpdateMs() apart: a busy board
  // sends a batch every frame, and redrawing both on each one kept the page from answering input.
  lists.request();
  return afterFrame();
}

let latest: EngineBatch | null = null;
const clock = throttled(publishClock, clockUpdateMs);

function publishClock(): void {
  const s = useEngineStore.getState();
  if (!latest || !s.powered) return;
  useEngineStore.setState({
    now: latest.now,
    // Same states as before: keep the old array, so nothing that shows them re-renders.
    status: sameStatus(s.status, latest.status) ? s.status : latest.status,
    speed: latest.speed,
  });
}

/** Events and accesses received but not yet shown (at most LIST_UPDATE_MS worth). */
const queuedEvents: SimEvent[] = [];
const queuedAccesses: AccessRecord[] = [];
const queuedTransactions: Transaction[] = [];
const lists = throttled(publishLists, listUpdateMs);

function publishLists(): void {
  if (!queuedEvents.length && !queuedAccesses.length && !queuedTransactions.length) return;
  const s = useEngineStore.getState();
  useEngineStore.setState({
    events: queuedEvents.length ? [...s.events, ...queuedEvents.splice(0)].slice(-TIMELINE_LIMIT) : s.events,
    eventsTotal: eventLog.total,
    accesses: queuedAccesses.length ? [...s.accesses, ...queuedAccesses.splice(0)].slice(-ACCESS_LIMIT) : s.accesses,
    transactions: queuedTransactions.length ? [...s.transactions, ...queuedTransactions.splice(0)].slice(-TRANSACTION_LIMIT) : s.transactions,
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
  deferred.clear();
  eventLog.reset();
  queuedEvents.length = 0;
  queuedAccesses.length = 0;
  queuedTransactions.length = 0;
  lists.cancel();
  clock.cancel();
  latest = null;
  for (const fn of resetListeners) fn();
  useEngineStore.setState({ events: [], eventsTotal: 0, accesses: [], transactions: [], now: 0 });
}

/** Listeners told when a power cycle starts, so consoles can clear themselves. */
const resetListeners = new Set<() => void>();
export function onConsolesReset(fn: () => void): () => void {
  resetListeners.add(fn);
  return () => resetListeners.delete(fn);
}

/** Clears every console (and text waiting for one), as a power cycle does. */
export function clearConsoles(): void {
  pending.clear();
  deferred.clear();
  for (const fn of resetListeners) fn();
}

export const engineControls = {
  async powerOn(board: Board, seed = 1): Promise<void> {
    lastSeed = seed;
    // A fresh start runs: a pause left from the last session would look like a board that never boots.
    const speed = useEngineStore.getState().speed || 1;
    useEngineStore.setState({ powered: true, poweredAt: performance.now(), runningBoard: board, status: [], speed, resumeSpeed: speed, failure: null });
    clearSession();
    try {
      const { session, keyChannel } = newSession();
      await call('power on', (r) => r.powerOn(board, seed, Comlink.proxy(receive), session, keyChannel));
      await call('set speed', (r) => r.setSpeed(speed));
    } catch {
      /* fail() has said why and offers a restart */
    }
  },
  /** Always ends powered off, even when the engine has died or does not answer. */
  async powerOff(): Promise<void> {
    if (live && useEngineStore.getState().powered) {
      // Wait a moment for the engine's last output, but no longer: a stuck engine must not keep the board "running".
      await Promise.race([call('power off', (r) => r.powerOff()).catch(ignore), new Promise((r) => setTimeout(r, POWER_OFF_WAIT_MS))]);
    }
    if (useEngineStore.getState().powered) {
      for (const vm of VM_IDS) writeConsole(vm, `\r\n${note('— powered off —')}\r\n`);
    }
    useEngineStore.setState({ powered: false, runningBoard: null, status: [] });
    keyChannel?.close();
    keyChannel = null;
    echoing = new Set();
  },
  /** After a failure: a new worker, booting the board that was running (if one was). */
  async restartEngine(): Promise<void> {
    const failure = useEngineStore.getState().failure;
    useEngineStore.setState({ failure: null });
    if (failure?.board) await engineControls.powerOn(failure.board, failure.seed);
    else engine();
  },
  dismissFailure: () => useEngineStore.setState({ failure: null }),
  /**
   * The keyboard went into a console: the page counts as typed into from now
   * (its other redraws wait), so the first key's frame does not queue behind them.
   */
  keyboardIn: typed,
  keys: (vm: VmId, data: string) => {
    typed();
    const key = ++keysSent;
    void call('keys', (r) => r.keys(vm, data, key)).catch(ignore);
    // Drawn at once when the shell will echo it as itself: its echo is a worker's round trip and a frame away.
    const { powered, failure } = useEngineStore.getState();
    const foreseen = powered && !failure && echoing.has(vm) && (unforeseen.get(vm) ?? 0) <= keysHandled;
    if (foreseen) flushDeferred(vm);
    if (foreseen && sinks.get(vm)?.ahead?.typeAhead(data, key)) return afterNextPaint(keyFramePainted);
    // Its frame is the one after its echo (showBatch): the redraws that wait for a key's frame would
    // otherwise run before the echo came, and that frame would carry them.
    unforeseen.set(vm, key);
  },
  exec: (vm: VmId, line: string) => void call('exec', (r) => r.exec(vm, line)).catch(ignore),
  setSpeed: (speed: number) => {
    useEngineStore.setState(speed > 0 ? { speed, resumeSpeed: speed } : { speed });
    void call('set speed', (r) => r.setSpeed(speed)).catch(ignore);
  },
  skipToNextEvent: () => call('skip to next event', (r) => r.skipToNextEvent()).catch(() => null),
  step: (ms: number) => void call('step', (r) => r.step(ms)).catch(ignore),
  blastRadius: (board: Board, master: string, enforce: boolean) =>
    call('blast radius', (r) => r.blastRadius(board, master, enforce)).catch((): string[] => []),
  transaction: (n: number) => call('trace', (r) => r.transaction(n)).catch(() => null),
};

// Edits made while powered on wait for the next boot; the engine is told, so an attack can say it ran against the old configuration.
useBoardStore.subscribe((s) => {
  const { powered, runningBoard } = useEngineStore.getState();
  if (powered && runningBoard && live) void call('board edited', (r) => r.boardEdited(s.board === runningBoard ? null : s.board)).catch(ignore);
});
