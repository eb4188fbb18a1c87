// The lessons the page knows (built in, or one of the visitor's own) and their goals, checked
// after every change of the board or the engine's state, never against the DOM.
import { findLesson } from '../../lessons/builtin.ts';
import { evaluate } from '../../lessons/goals.ts';
import { lessonParser } from '../parsers.ts';
import type { Lesson } from '../../lessons/types.ts';
import type { Board } from '../../model/types.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { useEngineStore } from '../store/engineStore.ts';
import { CURRENT_KEY, CUSTOM_KEY, ownBoards, PROGRESS_KEY, read, saveCurrent, useLessonStore, WELCOMED_KEY, write } from './lessonStore.ts';

/** A built-in lesson, or the custom one when it has this id. */
export function lessonById(id: string | null): Lesson | undefined {
  if (!id) return undefined;
  const custom = useLessonStore.getState().custom;
  return custom?.id === id ? custom : findLesson(id);
}

export function currentLesson(): Lesson | undefined {
  return lessonById(useLessonStore.getState().lessonId);
}

/** Checks the current step's goal and moves on while goals are met (several at once when the board already meets them). */
export function checkGoal(): void {
  const s = useLessonStore.getState();
  const lesson = currentLesson();
  if (!lesson || s.finished) return;
  const { board } = useBoardStore.getState();
  const engine = useEngineStore.getState();
  let { step, stepStart, hintsShown } = s;
  let why = '';
  while (step < lesson.steps.length) {
    const r = evaluate(lesson.steps[step].goal, { board, powered: engine.powered, running: engine.powered ? engine.runningBoard : null, status: engine.status, events: s.log.slice(Math.max(stepStart, s.bootStart)) });
    if (!r.met) {
      why = r.why;
      break;
    }
    step++;
    stepStart = s.log.length;
    hintsShown = 0;
  }
  const finished = step >= lesson.steps.length;
  if (step === s.step && why === s.why && !finished) return;
  // What another tab of the page stored meanwhile is kept: progress only grows.
  const stored = mergeProgress(s.progress, read(PROGRESS_KEY, {}));
  const before = stored[lesson.id];
  // A challenge's score is the participant's own: one that Show me helped solve records none.
  const best = lesson.kind === 'challenge' && finished && !s.shownHow ? Math.min(before?.best ?? Infinity, s.changes) : before?.best;
  const progress = { ...stored, [lesson.id]: { steps: Math.max(step, before?.steps ?? 0), done: finished || (before?.done ?? false), ...(best !== undefined ? { best } : {}) } };
  useLessonStore.setState({ step, stepStart, hintsShown, why, finished, progress });
  write(PROGRESS_KEY, progress);
  saveCurrent();
}

type Progress = ReturnType<typeof useLessonStore.getState>['progress'];

/** Both records of progress in one: the most steps, done in either, the best score of either. */
export function mergeProgress(a: Progress, b: Progress): Progress {
  const out: Progress = { ...a };
  for (const [id, p] of Object.entries(b)) {
    if (typeof p?.steps !== 'number') continue; // not written by this page
    const q = out[id];
    if (!q) {
      out[id] = p;
      continue;
    }
    const best = Math.min(q.best ?? Infinity, p.best ?? Infinity);
    out[id] = { steps: Math.max(q.steps, p.steps), done: q.done || p.done, ...(best !== Infinity ? { best } : {}) };
  }
  return out;
}

function sameExceptLayout(a: Board, b: Board): boolean {
  const { layout: _a, ...restA } = a;
  const { layout: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

let started = false;

type SavedLesson = { lessonId: string; step: number; hintsShown: number; changes: number; shownHow?: boolean; finished: boolean; diagnosticsShown?: boolean };

function restore(saved: SavedLesson): void {
  useLessonStore.setState({ ...saved, shownHow: saved.shownHow ?? false, diagnosticsShown: saved.diagnosticsShown ?? false, log: [], stepStart: 0, bootStart: 0 });
  checkGoal();
}

/** Restores progress and the open lesson, and checks the goal after every change (once per page). */
export function startLessonTracking(): void {
  if (started) return;
  started = true;
  const saved = read<SavedLesson | null>(CURRENT_KEY, null);
  const customText = read<string | null>(CUSTOM_KEY, null);
  useLessonStore.setState({ progress: read(PROGRESS_KEY, {}), welcomed: read(WELCOMED_KEY, false), custom: null, ownKept: ownBoards().length });
  // A saved lesson of the instructor's own is read with the lesson parser, loaded only when there is one.
  if (customText) {
    void lessonParser().then(({ parseLessonFile }) => {
      const custom = parseLessonFile(customText);
      if (!custom.ok || useLessonStore.getState().custom !== null) return;
      useLessonStore.setState({ custom: custom.lesson });
      // The lesson open before the reload was this one: open it again where it was.
      if (saved?.lessonId === custom.lesson.id && useLessonStore.getState().lessonId === null) restore(saved);
    });
  }
  if (saved && lessonById(saved.lessonId)) restore(saved);
  useBoardStore.subscribe((state, prev) => {
    if (state.board === prev.board) return;
    // A challenge's score counts changes to the hardware and settings, not where a block sits on the diagram.
    const counted = useLessonStore.getState().lessonId && !useLessonStore.getState().finished && !sameExceptLayout(state.board, prev.board);
    if (counted) useLessonStore.setState((s) => ({ changes: s.changes + 1 }));
    checkGoal();
  });
  useEngineStore.subscribe((state, prev) => {
    // A power-on (or Apply & reboot): the goals look at what happens from here on.
    if (state.poweredAt !== prev.poweredAt && useLessonStore.getState().lessonId) useLessonStore.setState((s) => ({ bootStart: s.log.length }));
    if (state.events !== prev.events) {
      const last = prev.events.at(-1);
      const at = last ? state.events.lastIndexOf(last) : -1;
      const fresh = at >= 0 ? state.events.slice(at + 1) : state.events;
      if (fresh.length && useLessonStore.getState().lessonId) useLessonStore.setState((s) => ({ log: [...s.log, ...fresh] }));
    }
    if (state.events !== prev.events || state.status !== prev.status || state.powered !== prev.powered) checkGoal();
  });
  checkGoal();
}
