// The typed surface the UI uses to talk to the engine worker (through comlink).
import type { Board } from '../model/types.ts';
import type { SimOutput, Transaction, VmId, VmStatus } from '../sim/types.ts';

/** What the worker sends back, at most once per frame. */
export interface EngineBatch extends SimOutput {
  now: number;
  status: VmStatus[];
  speed: number;
  /** The power-on it belongs to (the page's number for it), and its place in that power-on's batches from 0. */
  session: number;
  seq: number;
  /** The number of the last typed key the engine has handled (EngineApi.keys), 0 before the first. */
  keys: number;
  /** The guests whose shell would echo a printable key typed now as itself, and nothing else (drawn ahead by the page). */
  echo: VmId[];
}

export interface EngineApi {
  /** The watchdog's heartbeat: answered at once by a live worker whose engine is not stuck in a long step. */
  ping(): true;
  /**
   * Build the VMs from `board` and boot them; `onBatch` receives output (a comlink proxy).
   * The next batch waits until the promise `onBatch` returns has settled (back-pressure).
   * The output of typed keys (their echo) goes instead on the BroadcastChannel named `keyChannel`,
   * when there is one: Chromium holds a worker's messages to the page back until the next frame
   * after an input event, and a broadcast is not held. Batches are numbered (`seq`) across both
   * ways, so the page shows them in order.
   */
  powerOn(board: Board, seed: number, onBatch: (batch: EngineBatch) => void | Promise<void>, session: number, keyChannel?: string): void;
  powerOff(): void;
  /** Typed keys; `key` numbers them from 1 per power-on, and batches say the last one handled (EngineBatch.keys). */
  keys(vm: VmId, data: string, key?: number): void;
  exec(vm: VmId, line: string): void;
  /** Simulated ms per real ms; 0 pauses. */
  setSpeed(speed: number): void;
  /** Run simulated time up to the next engine event (at most a day ahead); its time, or null if none came. */
  skipToNextEvent(): number | null;
  /** Advance simulated time by `ms` at once. */
  step(ms: number): void;
  /** The board as edited since power on (null: as it booted); attacks then say they ran against the boot configuration. */
  boardEdited(board: Board | null): void;
  /** A recent bus transaction by number (the trace view's selection), or null when it is no longer kept. */
  transaction(n: number): Transaction | null;
  /** What `master` can reach on `board` (works powered off: the firewall is derived from the board). */
  blastRadius(board: Board, master: string, enforce: boolean): string[];
}
