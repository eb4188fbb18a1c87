// The Web Worker: runs the engine on a real-time clock and batches its output per frame.
import * as Comlink from 'comlink';
import type { Board } from '../model/types.ts';
import { Simulation } from '../sim/simulation.ts';
import type { ConsoleChunk, Transaction, VmId } from '../sim/types.ts';
import type { EngineApi, EngineBatch } from './api.ts';

const FRAME_MS = 16;
/** With nothing new to say, still tell the page the clock every so often. */
const CLOCK_REFRESH_MS = 200;
/** Never advance more than this in one frame, so a stalled tab doesn't leap hours ahead. */
const MAX_REAL_STEP_MS = 250;
/**
 * Wall time the engine may take per tick. The rest of the frame is left to
 * messages (a typed key is handled, and its echo sent, between two slices):
 * when the board needs more than this to keep up with the chosen speed, the
 * simulated clock falls behind real time instead of the consoles falling
 * behind the keyboard.
 */
const SLICE_MS = 6;

class EngineHost implements EngineApi {
  private sim: Simulation | null = null;
  private onBatch: ((batch: EngineBatch) => void | Promise<void>) | null = null;
  /** A batch the page has not acknowledged yet: output waits in the engine meanwhile. */
  private inFlight = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastTick = 0;
  private speed = 1;
  private dirty = false;
  private lastSent = 0;
  private lastStates = '';
  private faults: ConsoleChunk[] = [];
  private session = 0;
  private seq = 0;
  /** The number of the last typed key handled (EngineBatch.keys). */
  private keysHandled = 0;
  /** Where the echo of typed keys goes (see EngineApi.powerOn), or null: then through onBatch. */
  private keyChannel: BroadcastChannel | null = null;

  ping(): true {
    return true;
  }

  powerOn(board: Board, seed: number, onBatch: (batch: EngineBatch) => void | Promise<void>, session: number, keyChannel?: string): void {
    this.stopClock();
    this.onBatch = onBatch;
    this.inFlight = false;
    this.session = session;
    this.seq = 0;
    this.keysHandled = 0;
    this.keyChannel?.close();
    this.keyChannel = keyChannel && typeof BroadcastChannel === 'function' ? new BroadcastChannel(keyChannel) : null;
    // Background traffic keeps the paravirtual path visibly alive on the diagram.
    this.sim = new Simulation(board, { seed, background: true });
    this.sim.powerOn();
    this.dirty = true;
    this.lastTick = performance.now();
    this.owedMs = 0;
    this.timer = setInterval(() => this.tick(), FRAME_MS);
  }

  powerOff(): void {
    if (!this.sim) return;
    this.sim.powerOff();
    this.flush(true);
    this.stopClock();
    this.sim = null;
    this.onBatch = null;
    this.keyChannel?.close();
    this.keyChannel = null;
  }

  keys(vm: VmId, data: string, key = 0): void {
    this.guard(vm, () => this.sim?.keys(vm, data));
    this.keysHandled = Math.max(this.keysHandled, key);
    // A typed key's echo leaves now, even past a batch the page has not acknowledged yet: it
    // must not wait a frame for that. Keys come at the rate a person types, so this cannot
    // grow the page's queue the way the engine's own output could.
    this.flush(true, true);
  }

  exec(vm: VmId, line: string): void {
    this.guard(vm, () => this.sim?.exec(vm, line));
  }

  /**
   * An engine bug must not take the page down with it: the console says what
   * happened (so it can be reported) and the simulation goes on.
   */
  private guard(vm: VmId, action: () => void): void {
    try {
      action();
    } catch (err) {
      console.error(err);
      this.faults.push({ vm, text: `\r\n\x1b[31m[engine error] ${err instanceof Error ? err.message : String(err)} — please report it with your board file\x1b[0m\r\n` });
    }
    this.dirty = true;
  }

  setSpeed(speed: number): void {
    this.speed = Math.max(0, speed);
    this.flush(true);
  }

  skipToNextEvent(): number | null {
    const at = this.sim?.skipToNextEvent() ?? null;
    this.dirty = true;
    return at;
  }

  step(ms: number): void {
    this.sim?.advance(ms);
    this.dirty = true;
  }

  boardEdited(board: Board | null): void {
    this.sim?.setEditedBoard(board);
  }

  transaction(n: number): Transaction | null {
    return this.sim?.bus.find(n) ?? null;
  }

  blastRadius(board: Board, master: string, enforce: boolean): string[] {
    return new Simulation(board).blastRadius(master, { enforce });
  }

  private owedMs = 0;

  /** Advance up to `ms` of simulated time, one scheduled instant at a time, until the wall-clock deadline; returns the simulated ms advanced. */
  private advanceFor(ms: number, deadline: number): number {
    const sim = this.sim!;
    const start = sim.now;
    const until = start + ms;
    while (sim.now < until) {
      const next = sim.nextEventTime();
      sim.advance((next === null || next > until ? until : next) - sim.now);
      if (performance.now() >= deadline) break;
    }
    return sim.now - start;
  }

  private tick(): void {
    const nowReal = performance.now();
    const realMs = Math.min(nowReal - this.lastTick, MAX_REAL_STEP_MS);
    this.lastTick = nowReal;
    if (this.sim && this.speed > 0) {
      // Simulated time owed, bounded so a board that cannot keep up does not pile up debt.
      this.owedMs = Math.min(this.owedMs + realMs * this.speed, MAX_REAL_STEP_MS * this.speed);
      this.owedMs -= this.advanceFor(Math.floor(this.owedMs), nowReal + SLICE_MS);
      this.dirty = true;
    }
    if (this.dirty) this.flush();
  }

  /**
   * One message per frame at most: everything the engine produced since the last one.
   * Frames with no output and no change of VM state are skipped, but for a periodic clock update.
   * `typed`: the batch answers a typed key, and goes on the key channel when there is one.
   */
  private flush(force = false, typed = false): void {
    if (!this.sim || !this.onBatch) return;
    // One batch in flight at most: the page's queue stays bounded however slow it is.
    if (this.inFlight && !force) return;
    this.dirty = false;
    const out = this.sim.drain();
    out.console.push(...this.faults.splice(0));
    const status = this.sim.status();
    const states = status.map((s) => `${s.vm}:${s.state}:${s.compromised}`).join();
    const now = performance.now();
    const quiet = !out.console.length && !out.events.length && !out.accesses.length && !out.transactions.length && states === this.lastStates;
    if (quiet && !force && now - this.lastSent < CLOCK_REFRESH_MS) return;
    this.lastSent = now;
    this.lastStates = states;
    const batch: EngineBatch = {
      ...out, now: this.sim.now, status, speed: this.speed, session: this.session, seq: this.seq++, keys: this.keysHandled, echo: this.sim.echoing(),
    };
    if (typed && this.keyChannel) {
      this.keyChannel.postMessage(batch);
      return;
    }
    const onBatch = this.onBatch;
    const reply = onBatch(batch);
    this.inFlight = true;
    const done = () => {
      if (this.onBatch !== onBatch) return;
      this.inFlight = false;
      // Output that waited for this acknowledgement goes at once.
      if (this.dirty) this.flush();
    };
    void Promise.resolve(reply).then(done, done);
  }

  private stopClock(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

Comlink.expose(new EngineHost());
