// `lab lesson list [--json]` and `lab lesson verify <id | lesson.json>`
// (CONTRACT §4): instructors keep their own lessons in CI; every built-in
// lesson's reference solution is verified by the test suite the same way.

import { nodeIo, readText, type CliIo } from './io.ts';
import { safeMessage } from '../model/safeText.ts';
import { ALL_LESSONS, findLesson, parseLessonFile, verifyLesson, type Lesson } from '../lessons/index.ts';

export const LESSON_USAGE = `Usage:
  lab lesson list [--json]
      The built-in lessons and challenges, one per line: <id>  <title>.
      --json prints one JSON object per line: {"id", "kind", "title", "steps"}.
  lab lesson verify <id | lesson.json>
      Play the lesson's reference solution headless, checking each step's goal.
      Exit 0 when every goal is met, 1 when one is not (which, and why, on
      stderr), 2 when the lesson file is refused or the id is unknown.
`;

export function lessonCommand(args: string[], io: CliIo = nodeIo): number {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') {
    io.stdout(LESSON_USAGE);
    return 0;
  }
  // `lab lesson list --help`, as `lab <command> --help` everywhere (docs/cli.md).
  if ((sub === 'list' || sub === 'verify') && rest.some((a) => a === '--help' || a === '-h')) {
    io.stdout(LESSON_USAGE);
    return 0;
  }
  if (sub === 'list') return list(rest, io);
  if (sub === 'verify') return verify(rest, io);
  io.stderr(`lab lesson: ${sub === undefined ? 'which subcommand?' : `unknown subcommand "${sub}"`}\n\n${LESSON_USAGE}`);
  return 2;
}

function list(args: string[], io: CliIo): number {
  const unknown = args.find((a) => a !== '--json');
  if (unknown) {
    io.stderr(`lab lesson list: unknown argument ${unknown}\n\n${LESSON_USAGE}`);
    return 2;
  }
  if (args.includes('--json')) {
    io.stdout(ALL_LESSONS.map((l) => JSON.stringify({ id: l.id, kind: l.kind, title: l.title, steps: l.steps.length }) + '\n').join(''));
  } else {
    const width = Math.max(...ALL_LESSONS.map((l) => l.id.length));
    io.stdout(ALL_LESSONS.map((l) => `${l.id.padEnd(width)}  ${l.title}\n`).join(''));
  }
  return 0;
}

function verify(args: string[], io: CliIo): number {
  if (args.length !== 1 || args[0].startsWith('-') && args[0] !== '-') {
    io.stderr(`lab lesson verify: ${args.length === 0 ? 'which lesson? (an id from "lab lesson list", or a lesson file)' : args.length > 1 ? 'one lesson at a time' : `unknown option ${args[0]}`}\n\n${LESSON_USAGE}`);
    return 2;
  }
  const target = args[0];
  let lesson: Lesson | undefined = findLesson(target);
  if (!lesson) {
    if (!/\.json$/i.test(target) && target !== '-') {
      io.stderr(`lab lesson verify: no built-in lesson "${target}" (see "lab lesson list"), and it is not a .json file.\n`);
      return 2;
    }
    const read = readText(io, target, { name: 'a lesson file', format: 'UTF-8 JSON' });
    if (!read.ok) {
      io.stderr(`lab lesson verify: ${safeMessage(read.error)}\n`);
      return 2;
    }
    const parsed = parseLessonFile(read.text);
    if (!parsed.ok) {
      io.stderr(`${safeMessage(`lab lesson verify: ${target} refused: ${parsed.error}`)}\n`);
      return 2;
    }
    lesson = parsed.lesson;
  }
  const report = verifyLesson(lesson);
  for (const s of report.steps) {
    const line = `step ${s.step}/${lesson.steps.length}: ${s.met ? 'goal met' : 'goal NOT met'}\n`;
    if (s.met) io.stdout(line);
    else io.stderr(`lab lesson verify: ${lesson.id} ${line}  why: ${s.why}\n  step: ${lesson.steps[s.step - 1].text}\n`);
    for (const n of s.notes) (s.met ? io.stdout : io.stderr)(`  note: ${n}\n`);
  }
  if (!report.ok) return 1;
  const score = lesson.kind === 'challenge' ? ` in ${report.changes} board change${report.changes === 1 ? '' : 's'}` : '';
  io.stdout(`${lesson.id}: every goal met${score}.\n`);
  return 0;
}
