// What this module needs from the engine, passed in so it stays deterministic:
// simulated time, a seeded random source, and a sink for CONTRACT §5 events.

export type ImageVm = 'system' | 'app';

export interface FragmentEvent {
  /** Simulated time in ms. */
  t: number;
  type: string;
  vm: ImageVm;
  message: string;
  [detail: string]: unknown;
}

export type EventSink = (e: FragmentEvent) => void;

export interface Clock {
  now(): number;
  schedule(delayMs: number, fn: () => void): void;
}

/** A seeded random source: a number in [0, 1). */
export interface Random {
  next(): number;
}
