// The lesson controls as the action registry runs them. What the controls do (lessonFlow.ts) loads
// when one is first used, not with the page's first script; the lessons and their goals
// (lessonTracking.ts) load with the lesson panel, after the first paint.
import type { Lesson } from '../../lessons/types.ts';

const flow = async () => (await import('./lessonFlow.ts')).lessonFlow;

export const lessonActions = {
  open: async (id: string) => (await flow()).open(id),
  /** A lesson that is not built in (a lesson file, a builder link): kept, then opened. */
  openCustom: async (lesson: Lesson) => (await flow()).openCustom(lesson),
  close: async () => (await flow()).close(),
  hint: async () => (await flow()).hint(),
  showMe: async () => (await flow()).showMe(),
  /** Board, consoles, timeline and notices back to the lesson's start. */
  resetLab: async () => (await flow()).resetLab(),
  restoreOwnBoard: async () => (await flow()).restoreOwnBoard(),
};
