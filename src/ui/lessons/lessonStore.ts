// The lesson being followed in the page: which step, which hints are shown,
// the events since it began (fed by the engine store's batches), and the
// progress of every lesson, kept across reloads. Only the state: the lessons
// themselves and their goals (lessonTracking.ts) load with the lesson panel,
// after the page's first paint, so the toolbar's Lessons button needs only this.
import { create } from 'zustand';
import { serializeLesson } from '../../lessons/lessonJson.ts';
import type { Lesson } from '../../lessons/types.ts';
import type { SimEvent } from '../../sim/types.ts';
import { quote } from '../../model/safeText.ts';
import { notify } from '../store/noticeStore.ts';

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
  /**
   * Where in `log` the last power-on began: a step's goal sees only the events since then, so an
   * escape seen before the fix and its reboot does not keep the step from being met after them.
   */
  bootStart: number;
  /** Why the current goal is not met yet. */
  why: string;
  /** Board changes since the lesson started (a challenge's score). */
  changes: number;
  /** Show me played a step since the lesson started: a challenge solved so records no score. */
  shownHow: boolean;
  finished: boolean;
  diagnosticsShown: boolean;
  /** The open challenge hides the diagnostics (until Show diagnostics): the page gives no fix away. */
  diagnosticsHidden: boolean;
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

export function read<T>(key: string, fallback: T): T {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function write(key: string, value: unknown): void {
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
  bootStart: 0,
  why: '',
  changes: 0,
  shownHow: false,
  finished: false,
  diagnosticsShown: false,
  diagnosticsHidden: false,
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

export function keepCustom(lesson: Lesson | null): void {
  write(CUSTOM_KEY, lesson ? serializeLesson(lesson) : null);
  useLessonStore.setState({ custom: lesson });
}

export function saveCurrent(): void {
  const { lessonId, step, hintsShown, changes, shownHow, finished, diagnosticsShown } = useLessonStore.getState();
  write(CURRENT_KEY, lessonId ? { lessonId, step, hintsShown, changes, shownHow, finished, diagnosticsShown } : null);
}

/** The visitor's own boards a lesson replaced, newest last (each a board file's text). */
export function ownBoards(): string[] {
  const v = read<unknown>(OWN_BOARD_KEY, []);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const MAX_OWN_BOARDS = 10;

/** The name in a kept board's text (it was saved by this page, so it reads; else a stand-in). */
function boardName(text: string): string {
  try {
    const name: unknown = JSON.parse(text).name;
    return typeof name === 'string' ? name : 'unnamed';
  } catch {
    return 'unnamed';
  }
}

/** Keeps a board before a lesson replaces it (not twice in a row, at most the last ten). */
export function keepOwnBoard(text: string): void {
  const kept = ownBoards();
  if (kept.at(-1) === text) return;
  const next = [...kept, text].slice(-MAX_OWN_BOARDS);
  if (kept.length >= MAX_OWN_BOARDS) {
    notify('info', `The lessons keep your last ${MAX_OWN_BOARDS} boards; the oldest, ${quote(boardName(kept[0]!))}, is no longer kept. Export a board to keep it for good.`);
  }
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

