// Plays a lesson's reference solution headless on the engine's public facade
// (`lab lesson verify`, and the tests): each step's actions in order, its goal
// checked after every action, the way the page checks after every action.

import type { Board } from '../model/types.ts';
import { Simulation } from '../sim/simulation.ts';
import type { SimEvent } from '../sim/types.ts';
import { editBoard } from './actions.ts';
import { evaluate } from './goals.ts';
import type { LabState, Lesson, LessonAction } from './types.ts';

/** How long a console command may run before the player moves on (simulated). */
const COMMAND_BUDGET_MS = 10 * 60_000;
const BOOT_BUDGET_MS = 60_000;

export interface StepReport {
  step: number;
  met: boolean;
  /** Why the goal is not met (when it is not). */
  why?: string;
  /** Things the player could not do (a refused power-on, a command typed into a VM that is down). */
  notes: string[];
}

export interface VerifyReport {
  ok: boolean;
  steps: StepReport[];
  /** Board changes the solution made (a challenge's score). */
  changes: number;
}

/** A headless lab: the board, the simulation built from it when powered, the event log. */
export class HeadlessLab {
  board: Board;
  private sim: Simulation | null = null;
  private readonly seed: number;
  /** Every event since the lesson started, across power cycles. */
  readonly events: SimEvent[] = [];
  /** Where in `events` the last power-on began: goals see only what happened since (as in the page). */
  private bootedAt = 0;

  constructor(board: Board, seed = 1) {
    this.board = JSON.parse(JSON.stringify(board)) as Board;
    this.seed = seed;
  }

  state(since: number): LabState {
    return {
      board: this.board,
      powered: this.sim?.isPoweredOn ?? false,
      running: this.sim?.isPoweredOn ? this.sim.board : null,
      status: this.sim?.status() ?? [],
      events: this.events.slice(Math.max(since, this.bootedAt)),
    };
  }

  /** Performs one action; returns a note when it could not be done, as the page would refuse it. */
  perform(action: LessonAction): string | null {
    const edited = editBoard(this.board, action);
    if (edited) {
      this.board = edited;
      return null;
    }
    switch (action.do) {
      case 'power-on':
        if (this.sim?.isPoweredOn) return 'power on: already on';
        return this.boot();
      case 'power-off':
        this.shutdown();
        return null;
      case 'restart':
        this.shutdown();
        return this.boot();
      case 'type': {
        const g = this.sim?.guests[action.vm];
        if (!this.sim || !g || !g.alive) return `'${action.line}' not typed: the ${action.vm} VM is ${g?.state ?? 'off'}`;
        this.sim.exec(action.vm, action.line);
        this.sim.settle(COMMAND_BUDGET_MS);
        this.collect();
        return null;
      }
      case 'wait':
        this.sim?.advance(action.ms);
        this.sim?.settle(COMMAND_BUDGET_MS);
        this.collect();
        return null;
      default:
        return null;
    }
  }

  private boot(): string | null {
    // The engine refuses a board the hardware cannot build, as the page and `lab run` do.
    const sim = new Simulation(this.board, { seed: this.seed });
    const blocking = sim.powerOn();
    if (blocking.length) return `power on refused: ${blocking[0].rule}: ${blocking[0].message}`;
    this.sim = sim;
    this.bootedAt = this.events.length;
    this.sim.settle(BOOT_BUDGET_MS);
    this.collect();
    return null;
  }

  private shutdown(): void {
    if (!this.sim) return;
    this.sim.powerOff();
    this.collect();
    this.sim = null;
  }

  private collect(): void {
    if (!this.sim) return;
    this.events.push(...this.sim.drain().events);
    this.sim.drainAccesses();
  }
}

/**
 * Plays the reference solution step by step. A step passes when its goal is
 * met after any of its actions (as in the page, which checks after every
 * action); the run stops at the first step that does not pass.
 */
export function verifyLesson(lesson: Lesson, solution: readonly LessonAction[][] = lesson.steps.map((s) => s.solution)): VerifyReport {
  const lab = new HeadlessLab(lesson.board, lesson.seed ?? 1);
  const steps: StepReport[] = [];
  let changes = 0;
  for (let i = 0; i < lesson.steps.length; i++) {
    const since = lab.events.length;
    const notes: string[] = [];
    let result = evaluate(lesson.steps[i].goal, lab.state(since));
    for (const action of solution[i] ?? []) {
      if (editBoard(lab.board, action)) changes++;
      const note = lab.perform(action);
      if (note) notes.push(note);
      const now = evaluate(lesson.steps[i].goal, lab.state(since));
      if (!result.met) result = now;
    }
    steps.push(result.met ? { step: i + 1, met: true, notes } : { step: i + 1, met: false, why: result.why, notes });
    if (!result.met) return { ok: false, steps, changes };
  }
  return { ok: true, steps, changes };
}
