// The lesson file (`*.lesson.json`, docs/lessons.md): a lesson as JSON, for
// instructors' own worksheets. Read whole or refused whole, with the first
// problem and where it is (JSON path), like a board file.

import { z } from 'zod';
import { formatPath, parseBoard, refreshSchema } from '../model/boardFile.ts';
import { excerpt, hasControls } from '../model/safeText.ts';
import { COMPONENT_KINDS, DMA_PROTECTIONS, DOMAINS, SOC_IDS } from '../model/types.ts';
import { EVENT_TYPES, VM_IDS } from '../sim/types.ts';
import { RULES } from '../model/check.ts';
import type { Goal, Lesson } from './types.ts';

import { LESSON_FORMAT, LESSON_VERSION, MAX_LESSON_FILE_CHARS } from './lessonJson.ts';
export { LESSON_FORMAT, LESSON_VERSION, lessonToJson, MAX_LESSON_FILE_CHARS, serializeLesson } from './lessonJson.ts';

const VM_STATES = ['off', 'booting', 'running', 'paused', 'crashed', 'hung', 'stopped'] as const;
const text = (max: number) => z.string().min(1).max(max);
/**
 * A command line "Show me" types into a guest's terminal: no control characters (ESC, CSI…), which a
 * terminal would obey. (The shell shows them as text anyway; a lesson file that has them is damaged or hostile.)
 */
const commandLine = z.string().max(1000).refine((s) => !hasControls(s), {
  message: 'a command line cannot hold control characters (escape sequences, tabs, line breaks); write one plain command per "type" action',
});
const domain = z.enum(DOMAINS).nullable();
const vm = z.enum(VM_IDS as [string, ...string[]]);
const fields = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const goal: z.ZodType<Goal> = z.lazy(() => z.union([
  z.strictObject({ all: z.array(goal).min(1).max(32) }),
  z.strictObject({
    check: z.literal('component'), id: z.string().optional(), kind: z.enum(COMPONENT_KINDS).optional(), domain: domain.optional(),
    dmaProtection: z.enum(DMA_PROTECTIONS).optional(), count: z.int().min(1).max(256).optional(),
  }),
  z.strictObject({ check: z.literal('all-assigned') }),
  z.strictObject({ check: z.literal('no-diagnostic'), rules: z.array(z.string()).min(1) }),
  z.strictObject({ check: z.literal('bootable') }),
  z.strictObject({ check: z.literal('no-errors') }),
  z.strictObject({ check: z.literal('soc'), soc: z.enum(SOC_IDS) }),
  z.strictObject({ check: z.literal('vm-memory'), vm: z.enum(['system', 'app']), atMostMiB: z.number().optional(), atLeastMiB: z.number().optional() }),
  z.strictObject({ check: z.literal('refresh-policy'), onCrash: z.boolean().optional(), onCompromise: z.boolean().optional() }),
  z.strictObject({ check: z.literal('firewall'), enforce: z.boolean() }),
  z.strictObject({ check: z.literal('powered') }),
  z.strictObject({ check: z.literal('vm-state'), vm, state: z.enum(VM_STATES) }),
  z.strictObject({ check: z.literal('event'), type: z.string().min(1), where: fields.optional(), count: z.int().min(1).max(1000).optional() }),
  z.strictObject({ check: z.literal('no-event'), type: z.string().min(1), where: fields.optional() }),
]) as z.ZodType<Goal>);

const action = z.discriminatedUnion('do', [
  z.strictObject({ do: z.literal('add'), kind: z.enum(COMPONENT_KINDS), domain }),
  z.strictObject({ do: z.literal('assign'), id: z.string(), domain }),
  z.strictObject({ do: z.literal('remove'), id: z.string() }),
  z.strictObject({ do: z.literal('protect'), id: z.string(), protection: z.enum(DMA_PROTECTIONS) }),
  z.strictObject({ do: z.literal('memory'), vm: z.enum(['system', 'app']), mib: z.int().min(1).max(1 << 20) }),
  z.strictObject({ do: z.literal('soc'), soc: z.enum(SOC_IDS) }),
  z.strictObject({ do: z.literal('firewall'), enforce: z.boolean() }),
  // Everything the Board settings form sets (the builder records it), as the board file reads it.
  refreshSchema.extend({ do: z.literal('refresh-policy') }),
  z.strictObject({ do: z.literal('hot-spare'), on: z.boolean() }),
  z.strictObject({ do: z.literal('power-on') }),
  z.strictObject({ do: z.literal('power-off') }),
  z.strictObject({ do: z.literal('restart') }),
  z.strictObject({ do: z.literal('type'), vm, line: commandLine }),
  z.strictObject({ do: z.literal('wait'), ms: z.int().min(0).max(7 * 24 * 3_600_000) }),
]);

const lessonSchema = z.strictObject({
  format: z.literal(LESSON_FORMAT),
  version: z.literal(LESSON_VERSION),
  id: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  kind: z.enum(['lesson', 'challenge']),
  title: text(120),
  summary: text(400),
  learned: z.array(text(400)).max(20),
  board: z.unknown(),
  steps: z.array(z.strictObject({
    text: text(2000),
    goal,
    hints: z.array(text(1000)).max(10),
    solution: z.array(action).max(100),
    concepts: z.array(z.string()).optional(),
  })).min(1).max(50),
  concepts: z.array(z.string()).max(40),
  seed: z.int().min(0).max(0xffffffff).optional(),
  hideDiagnostics: z.boolean().optional(),
  par: z.int().min(0).optional(),
});

const GOAL_CHECKS = ['component', 'all-assigned', 'no-diagnostic', 'bootable', 'no-errors', 'soc', 'vm-memory', 'refresh-policy', 'firewall', 'powered', 'vm-state', 'event', 'no-event'];

/**
 * An event type or diagnostic rule a goal names that does not exist: the goal could never be met
 * (or, for "no-event", always would be), so the file is refused as a goal of another form is.
 */
function namesUnknown(goals: readonly Goal[]): { step: number; at: string; problem: string } | null {
  const find = (g: Goal, at: string): { at: string; problem: string } | null => {
    if ('all' in g) {
      for (const [i, sub] of g.all.entries()) {
        const found = find(sub, `${at}.all[${i}]`);
        if (found) return found;
      }
      return null;
    }
    if ((g.check === 'event' || g.check === 'no-event') && !(EVENT_TYPES as readonly string[]).includes(g.type)) {
      return { at: `${at}.type`, problem: `"${excerpt(g.type)}" is not an event type: docs/events.md lists them (${EVENT_TYPES.slice(0, 4).join(', ')}, …)` };
    }
    if (g.check === 'no-diagnostic') {
      const i = g.rules.findIndex((r) => !(RULES as readonly string[]).includes(r));
      if (i >= 0) return { at: `${at}.rules[${i}]`, problem: `"${excerpt(g.rules[i]!)}" is not a diagnostic rule: docs/diagnostics.md lists them (${RULES.slice(0, 3).join(', ')}, …)` };
    }
    return null;
  };
  for (const [step, goal] of goals.entries()) {
    const found = find(goal, '');
    if (found) return { step, ...found };
  }
  return null;
}

export type LessonParse = { ok: true; lesson: Lesson } | { ok: false; error: string };

export function parseLesson(value: unknown): LessonParse {
  if (typeof value === 'object' && value !== null && (value as { format?: unknown }).format === LESSON_FORMAT
    && typeof (value as { version?: unknown }).version === 'number' && (value as { version: number }).version > LESSON_VERSION) {
    return { ok: false, error: `$.version: this lesson file is version ${(value as { version: number }).version}; this Isolation Lab reads version ${LESSON_VERSION}. Open it with a newer Isolation Lab.` };
  }
  const r = lessonSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path as (string | number)[];
    // A goal matches none of the forms: zod's "Invalid input" says nothing of what is wrong.
    const message = issue.code === 'invalid_union'
      ? `not a goal this file format has: "check" is one of ${GOAL_CHECKS.join(', ')} (or "all": [goals]), each with the fields docs/lessons.md lists for it, and no others`
      : issue.message;
    return { ok: false, error: `${formatPath(path)}: ${message}` };
  }
  const unknown = namesUnknown(r.data.steps.map((s) => s.goal));
  if (unknown) return { ok: false, error: `$.steps[${unknown.step}].goal${unknown.at}: ${unknown.problem}` };
  const board = parseBoard(r.data.board);
  if (!board.ok) return { ok: false, error: `$.board${board.error.slice(1)}` };
  const { format: _f, version: _v, ...rest } = r.data;
  return { ok: true, lesson: { ...rest, board: board.board } as Lesson };
}

/** Parses the text of a lesson file. Never throws. */
export function parseLessonFile(source: string): LessonParse {
  if (source.length > MAX_LESSON_FILE_CHARS) return { ok: false, error: `$: the file has ${source.length} characters; a lesson file has at most ${MAX_LESSON_FILE_CHARS}.` };
  let value: unknown;
  try {
    value = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, error: `$: not valid JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  return parseLesson(value);
}
