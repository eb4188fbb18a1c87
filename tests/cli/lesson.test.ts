// `lab lesson` as instructors' CI runs it: a real process, real files, exit codes.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lessonCommand } from '../../src/cli/lesson.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { ALL_LESSONS, findLesson, serializeLesson } from '../../src/lessons/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function lab(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'src/cli/lab.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lab-lesson-')), name);
  writeFileSync(file, text);
  return file;
}

/** The command in-process, with files from a map. */
function run(args: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (p) => {
      if (!(p in files)) throw new Error('ENOENT: no such file');
      return files[p];
    },
  };
  const code = lessonCommand(args, io);
  return { code, stdout, stderr };
}

describe('lab lesson (a real process)', () => {
  it('list prints every lesson and challenge as "<id>  <title>"', () => {
    const r = lab('lesson', 'list');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(ALL_LESSONS.length);
    expect(lines[0]).toMatch(/^partition +1\. Partition a board$/);
  });

  it('verify of a lesson file that is refused exits 2 with the path on stderr', () => {
    const r = lab('lesson', 'verify', tempFile('bad.lesson.json', '{"format":"isolation-lab/lesson","version":1}'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused: \$\.id/);
  });

  it('verify of a built-in lesson exits 0', () => {
    const r = lab('lesson', 'verify', 'partition');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('partition: every goal met.');
  });
});

describe('lab lesson --help', () => {
  it('each subcommand prints the usage with --help, as every lab command does', () => {
    for (const args of [['--help'], ['list', '--help'], ['verify', '--help'], ['verify', '-h']]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toContain('lab lesson verify');
    }
  });
});

describe('lab lesson verify', () => {
  for (const lesson of ALL_LESSONS) {
    it(`${lesson.id}: the reference solution passes (exit 0)`, () => {
      const r = run(['verify', lesson.id]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });
  }

  it('a lesson file whose solution leaves one step out fails (exit 1), saying which goal and why', () => {
    const lesson = JSON.parse(serializeLesson(findLesson('dma-escape')!));
    lesson.steps[1].solution = lesson.steps[1].solution.filter((a: { do: string }) => a.do !== 'protect');
    const r = run(['verify', 'mine.lesson.json'], { 'mine.lesson.json': JSON.stringify(lesson) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dma-escape step 2/3: goal NOT met');
    expect(r.stderr).toContain('why: needs dma0 with DMA protection "Firewall identity"; dma0 is in Application VM with DMA protection "None"');
  });

  it('an instructor\'s own lesson file passes (exit 0)', () => {
    const lesson = JSON.parse(serializeLesson(findLesson('memory-budget')!));
    lesson.id = 'my-sensor';
    const r = run(['verify', 'my.lesson.json'], { 'my.lesson.json': JSON.stringify(lesson) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('my-sensor: every goal met.');
  });

  it('an unknown id, a missing file and bad arguments exit 2', () => {
    expect(run(['verify', 'nope']).code).toBe(2);
    expect(run(['verify', 'missing.json']).stderr).toContain('cannot read missing.json');
    expect(run(['verify']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['list', '--yaml']).code).toBe(2);
  });

  it('list --json gives one object a line', () => {
    const r = run(['list', '--json']);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => x.id)).toEqual(ALL_LESSONS.map((l) => l.id));
    expect(rows[0]).toEqual({ id: 'partition', kind: 'lesson', title: '1. Partition a board', steps: 4 });
  });
});
