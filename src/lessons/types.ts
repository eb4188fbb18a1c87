// A lesson is data (like a level of Learn Git Branching): a starting board,
// steps each with a goal checked automatically, hints, and a reference
// solution made of the same actions a participant performs. Nothing here
// knows about React or the DOM; the CLI plays lessons headless and the page
// plays them through its action registry.

import type { Board, ComponentKind, DmaProtection, Domain, RefreshPolicy, SocId } from '../model/types.ts';
import type { VmId, VmState } from '../sim/types.ts';

/** Scalar event details a goal can require (`{"reason": "compromise"}`). */
export type EventFields = Record<string, string | number | boolean>;

/**
 * What a step asks for, checked after every action against the board, the
 * engine's status and its event log (events since the step began and the last power-on), never the DOM.
 */
export type Goal =
  | { all: readonly Goal[] }
  /** At least `count` (default 1) components match every given field. */
  | { check: 'component'; id?: string; kind?: ComponentKind; domain?: Domain | null; dmaProtection?: DmaProtection; count?: number }
  /** Every placed component has a domain (and there is at least one). */
  | { check: 'all-assigned' }
  /** None of these diagnostic rules stands. */
  | { check: 'no-diagnostic'; rules: string[] }
  /** No error diagnostic of the "cannot boot" class (CONTRACT §3). */
  | { check: 'bootable' }
  /** No error diagnostic at all. */
  | { check: 'no-errors' }
  | { check: 'soc'; soc: SocId }
  | { check: 'vm-memory'; vm: 'system' | 'app'; atMostMiB?: number; atLeastMiB?: number }
  | { check: 'refresh-policy'; onCrash?: boolean; onCompromise?: boolean }
  | { check: 'firewall'; enforce: boolean }
  | { check: 'powered' }
  | { check: 'vm-state'; vm: VmId; state: VmState }
  /** At least `count` (default 1) events of this type with these details since the step began and the last power-on. */
  | { check: 'event'; type: string; where?: EventFields; count?: number }
  /** No event of this type with these details since the step began and the last power-on. */
  | { check: 'no-event'; type: string; where?: EventFields };

/**
 * One thing a participant does: a board edit, the power switch, a console
 * command, or letting simulated time pass. The page maps each to its action
 * registry; the CLI applies it to a headless Simulation.
 */
export type LessonAction =
  | { do: 'add'; kind: ComponentKind; domain: Domain | null }
  | { do: 'assign'; id: string; domain: Domain | null }
  | { do: 'remove'; id: string }
  | { do: 'protect'; id: string; protection: DmaProtection }
  | { do: 'memory'; vm: 'system' | 'app'; mib: number }
  | { do: 'soc'; soc: SocId }
  | { do: 'firewall'; enforce: boolean }
  | ({ do: 'refresh-policy' } & RefreshPolicy)
  /** The application VM's hot spare (Board settings): a refresh switches to it at once. */
  | { do: 'hot-spare'; on: boolean }
  | { do: 'power-on' }
  | { do: 'power-off' }
  /** Power off and on again with the edited board ("Board changed — apply & reboot"). */
  | { do: 'restart' }
  | { do: 'type'; vm: VmId; line: string }
  | { do: 'wait'; ms: number };

export interface LessonStep {
  /** What to do, in plain words (shown as text, never HTML). */
  text: string;
  goal: Goal;
  /** Revealed one at a time. */
  hints: string[];
  /** The reference solution of this step. */
  solution: LessonAction[];
  /** Concept card ids this step is about. */
  concepts?: string[];
}

export interface Lesson {
  id: string;
  kind: 'lesson' | 'challenge';
  title: string;
  /** What you will learn, one sentence. */
  summary: string;
  /** Said on the finish card. */
  learned: string[];
  board: Board;
  steps: LessonStep[];
  /** Concept cards linked from the finish card. */
  concepts: string[];
  /** Seed of the simulation's random numbers (default 1). */
  seed?: number;
  /** Challenges: hide the diagnostics until asked for. */
  hideDiagnostics?: boolean;
  /** Challenges: board changes the reference solution needs (the score to beat). */
  par?: number;
}

/** What goals are checked against: the same in the CLI and the page. */
export interface LabState {
  board: Board;
  powered: boolean;
  /** The board the running simulation was built from (null while powered off): edits reach it at the next power-on. */
  running: Board | null;
  status: readonly { vm: VmId; state: VmState }[];
  /** Events since the current step began. */
  events: readonly { type: string; [detail: string]: unknown }[];
}
