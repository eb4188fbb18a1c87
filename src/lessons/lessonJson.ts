// A lesson as file data, without the parser (lessonFile.ts, with zod, reads lesson files):
// what the page needs up front to write a lesson or link to one.
import { boardToJson } from '../model/boardJson.ts';
import type { Lesson } from './types.ts';

export const LESSON_FORMAT = 'isolation-lab/lesson' as const;
export const LESSON_VERSION = 1 as const;
export const MAX_LESSON_FILE_CHARS = 1_000_000;

export function lessonToJson(lesson: Lesson): Record<string, unknown> {
  return { format: LESSON_FORMAT, version: LESSON_VERSION, ...lesson, board: boardToJson(lesson.board) };
}

export function serializeLesson(lesson: Lesson): string {
  return JSON.stringify(lessonToJson(lesson), null, 2) + '\n';
}
