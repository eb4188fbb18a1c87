// The lesson being followed in the page: which step, which hints are shown,
// the events since it began (fed by the engine store's batches), and the
// progress of every lesson, kept across reloads. Goals are checked after every
// change of the board or the engine's state, never against the DOM.
import { create } from 'zustand';
import { findLesson } from '../../lessons/builtin.ts';
import { evaluate } from '../../lessons/goals.ts';
import { serializeLesson } from '../../lessons/lessonJson.ts';
import { lessonParser } from '../parsers.ts';
import type { Lesson } from '../../lessons/types.ts';
import type { Board } from '../../model/types.ts';
import type { SimEvent } from '../../sim/types.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { useEngineStore } from '../store/engineStore.ts';

export const PROGRESS_KEY = 'isolation-lab:lessons';
export const CURRENT_KEY = 'isolation-lab:lesson';
export const WELCOMED_KEY = 'isolation-lab:welcomed';
/** The visitor's own board, kept when a lesson replaced it (restorable from the lesson panel). */
export const OWN_BOARD_KEY = 'isolation-lab:own-board';
/** A lesson opened from a lesson file or a builder link (its lesson-file text). */
export const CUSTOM_KEY = 'isolation-lab:custom-lesson';

export interface LessonProgress {
  /** Steps done. */
  steps: number;
  done: boolean;
  /** Challenges: fewest board changes it took. */
  best?: number;
}

export interface LessonState {
  lessonId: string | null;
  step: number;
  hintsShown: number;
  /** Events since the lesson was opened; `stepStart` is where the current step's begin. */
  log: SimEvent[];
  stepStart: number;
  /** Why the current goal is not met yet. */
  why: string;
  /** Board changes since the lesson started (a challenge's score). */
  changes: number;
  finished: boolean;
  diagnosticsShown: boolean;
  listOpen: boolean;
  /** "Show me" is playing. */
  playing: boolean;
  /** Concept card shown, or "glossary" for all of them. */
  card: string | null;
  /** The first-visit welcome was answered (never shown again). */
  welcomed: boolean;
  progress: Record<string, LessonProgress>;
  /** A lesson that is not built in (from a link or the builder), or null. */
  custom: Lesson | null;
  builderOpen: boolean;
  /** How many of the visitor's own boards are kept (restorable). */
  ownKept: number;
  set: (patch: Partial<Omit<LessonState, 'set'>>) => void;
}

function read<T>(key: string, fallback: T): T {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage disabled: progress lives as long as the page */
  }
}

export const useLessonStore = create<LessonState>((set) => ({
  lessonId: null,
  step: 0,
  hintsShown: 0,
  log: [],
  stepStart: 0,
  why: '',
  changes: 0,
  finished: false,
  diagnosticsShown: false,
  listOpen: false,
  playing: false,
  card: null,
  welcomed: read(WELCOMED_KEY, false),
  progress: {},
  custom: null,
  builderOpen: false,
  ownKept: 0,
  set: (patch) => set(patch),
}));

/** A built-in lesson, or the custom one when it has this id. */
export function lessonById(id: string | null): Lesson | undefined {
  if (!id) return undefined;
  const custom = useLessonStore.getState().custom;
  return custom?.id === id ? custom : findLesson(id);
}

export function currentLesson(): Lesson | undefined {
  return lessonById(useLessonStore.getState().lessonId);
}

export function keepCustom(lesson: Lesson | null): void {
  write(CUSTOM_KEY, lesson ? serializeLesson(lesson) : null);
  useLessonStore.setState({ custom: lesson });
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
    const r = evaluate(lesson.steps[step].goal, { board, powered: engine.powered, status: engine.status, events: s.log.slice(stepStart) });
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
  const before = s.progress[lesson.id];
  const best = lesson.kind === 'challenge' && finished ? Math.min(before?.best ?? Infinity, s.changes) : before?.best;
  const progress = { ...s.progress, [lesson.id]: { steps: Math.max(step, before?.steps ?? 0), done: finished || (before?.done ?? false), ...(best !== undefined ? { best } : {}) } };
  useLessonStore.setState({ step, stepStart, hintsShown, why, finished, progress });
  write(PROGRESS_KEY, progress);
  saveCurrent();
}

export function saveCurrent(): void {
  const { lessonId, step, hintsShown, changes, finished, diagnosticsShown } = useLessonStore.getState();
  write(CURRENT_KEY, lessonId ? { lessonId, step, hintsShown, changes, finished, diagnosticsShown } : null);
}

/** The visitor's own boards a lesson replaced, newest last (each a board file's text). */
export function ownBoards(): string[] {
  const v = read<unknown>(OWN_BOARD_KEY, []);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const MAX_OWN_BOARDS = 10;

/** Keeps a board before a lesson replaces it (not twice in a row, at most the last ten). */
export function keepOwnBoard(text: string): void {
  const kept = ownBoards();
  if (kept.at(-1) === text) return;
  const next = [...kept, text].slice(-MAX_OWN_BOARDS);
  write(OWN_BOARD_KEY, next);
  useLessonStore.setState({ ownKept: next.length });
}

/** Takes the newest kept board off the list. */
export function takeOwnBoard(): string | null {
  const kept = ownBoards();
  const text = kept.pop() ?? null;
  write(OWN_BOARD_KEY, kept.length ? kept : null);
  useLessonStore.setState({ ownKept: kept.length });
  return text;
}

export function setWelcomed(): void {
  write(WELCOMED_KEY, true);
  useLessonStore.setState({ welcomed: true });
}

function sameExceptLayout(a: Board, b: Board): boolean {
  const { layout: _a, ...restA } = a;
  const { layout: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

let started = false;

/** Restores progress and the open lesson, and checks the goal after every change (once per page). */
export function startLessonTracking(): void {
  if (started) return;
  started = true;
  const saved = read<{ lessonId: string; step: number; hintsShown: number; changes: number; finished: boolean; diagnosticsShown?: boolean } | null>(CURRENT_KEY, null);
  const customText = read<string | null>(CUSTOM_KEY, null);
  useLessonStore.setState({ progress: read(PROGRESS_KEY, {}), welcomed: read(WELCOMED_KEY, false), custom: null, ownKept: ownBoards().length });
  // A saved lesson of the instructor's own is read with the lesson parser, loaded only when there is one.
  if (customText) {
    void lessonParser().then(({ parseLessonFile }) => {
      const custom = parseLessonFile(customText);
      if (custom.ok && useLessonStore.getState().custom === null) useLessonStore.setState({ custom: custom.lesson });
    });
  }
  if (saved && lessonById(saved.lessonId)) {
    useLessonStore.setState({ ...saved, diagnosticsShown: saved.diagnosticsShown ?? false, log: [], stepStart: 0 });
  }
  useBoardStore.subscribe((state, prev) => {
    if (state.board === prev.board) return;
    // A challenge's score counts changes to the hardware and settings, not where a block sits on the diagram.
    const counted = useLessonStore.getState().lessonId && !useLessonStore.getState().finished && !sameExceptLayout(state.board, prev.board);
    if (counted) useLessonStore.setState((s) => ({ changes: s.changes + 1 }));
    checkGoal();
  });
  useEngineStore.subscribe((state, prev) => {
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
