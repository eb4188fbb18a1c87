// Lessons and challenges as data, their goal checks, the headless player and the lesson file.
export * from './types.ts';
export { ALL_LESSONS, CHALLENGES, LESSONS, findLesson } from './builtin.ts';
export { cannotBoot, describeEvent, evaluate } from './goals.ts';
export type { GoalResult } from './goals.ts';
export { boardChanges, describeAction, editBoard } from './actions.ts';
export { HeadlessLab, verifyLesson } from './play.ts';
export type { StepReport, VerifyReport } from './play.ts';
export { LESSON_FORMAT, LESSON_VERSION, lessonToJson, parseLesson, parseLessonFile, serializeLesson } from './lessonFile.ts';
export type { LessonParse } from './lessonFile.ts';
export { CONCEPTS, concept, conceptAbout, conceptOfEvent } from './concepts.ts';
export type { Concept } from './concepts.ts';
