// The built `lab` file (scripts/build-cli.mjs, run by bin/lab.cjs with a V8 code cache and
// node:crypto in place of the JavaScript crypto) prints the very bytes the sources print:
// without a code cache, with the one its first run wrote, and with a damaged one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { lessonCommand } from '../../src/cli/lesson.ts';
import { runCommand } from '../../src/cli/run.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cacheDir = join(root, 'node_modules/.cache/isolation-lab');
const script = join(mkdtempSync(join(tmpdir(), 'lab-built-')), 'oven.txt');
writeFileSync(script, 'app: lsdev\napp: attack dma-escape\nsystem: update apply system-os-2.0-badsig\nsleep 2h\nsystem: vmm list\nsystem: vmm verify app\n');

const lab = (...args: string[]) => spawnSync('node', ['bin/lab.cjs', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
const caches = () => readdirSync(cacheDir).filter((f) => f.endsWith('.v8cache'));

async function inProcess(command: (args: string[], io: CliIo) => Promise<number> | number, args: string[]): Promise<{ stdout: string; stderr: string; status: number }> {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = { stdout: (t) => { out.stdout += t; }, stderr: (t) => { out.stderr += t; }, readFile: (p) => readFileSync(p) };
  const status = await command(args, io);
  return { ...out, status };
}

describe('the built lab file', () => {
  beforeAll(() => {
    const r = spawnSync('node', ['scripts/build-cli.mjs'], { cwd: root, encoding: 'utf8', timeout: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(cacheDir).sort()).toEqual(['lab-lesson.cjs', 'lab.cjs', 'lab.sources.json']);
  }, 200_000);

  it('prints what the sources print, before and after its code cache exists, and with a damaged one', async () => {
    for (const json of [false, true]) {
      const args = ['run', 'public/examples/smart-oven.board.json', '--script', script, ...(json ? ['--json', '--seed', '5'] : [])];
      const want = await inProcess(runCommand, args.slice(1));
      expect(want.stdout).toContain('update apply system-os-2.0-badsig');
      const first = lab(...args);
      expect({ stdout: first.stdout, stderr: first.stderr, status: first.status }).toEqual(want);
      expect(caches()).toEqual([expect.stringMatching(/^lab\.run\./)]);
      const warm = lab(...args);
      expect({ stdout: warm.stdout, stderr: warm.stderr, status: warm.status }).toEqual(want);
      writeFileSync(join(cacheDir, caches()[0]!), 'not a code cache');
      const damaged = lab(...args);
      expect({ stdout: damaged.stdout, stderr: damaged.stderr, status: damaged.status }).toEqual(want);
      expect(readFileSync(join(cacheDir, caches()[0]!), 'utf8')).not.toBe('not a code cache');
    }
  }, 120_000);

  it('lab check: the same output and exit status, with a code cache of its own', async () => {
    const want = await inProcess(checkCommand, ['public/examples/broken-oven.board.json']);
    expect(want.status).toBe(1);
    const got = lab('check', 'public/examples/broken-oven.board.json');
    expect({ stdout: got.stdout, stderr: got.stderr, status: got.status }).toEqual(want);
    expect(caches().filter((c) => c.startsWith('lab.check.'))).toHaveLength(1);
  }, 60_000);

  it('lab check of refused boards (the built file parses without zod\'s generated parsers): the same messages', async () => {
    const board = JSON.parse(readFileSync(join(root, 'public/examples/smart-oven.board.json'), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'lab-refused-'));
    const refused = {
      kind: { ...board, components: [...board.components, { id: 'x1', kind: 'toaster', domain: 'app' }] },
      types: { ...board, vms: { ...board.vms, app: { ...board.vms.app, memoryMiB: 'lots' } } },
      extra: { ...board, extra: 1 },
      missing: { format: board.format, version: board.version },
    };
    for (const [name, content] of Object.entries(refused)) {
      const file = join(dir, `${name}.board.json`);
      writeFileSync(file, JSON.stringify(content));
      for (const args of [['check', file], ['check', file, '--json']]) {
        const want = await inProcess(checkCommand, args.slice(1));
        const got = lab(...args);
        expect({ stdout: got.stdout, stderr: got.stderr, status: got.status }).toEqual(want);
      }
    }
  }, 60_000);

  it('lab lesson, whose chunk is loaded only for it: the same output as the sources', async () => {
    const want = await inProcess(lessonCommand, ['verify', 'refresh']);
    expect(want.stdout).toContain('every goal met');
    for (let i = 0; i < 2; i++) {
      const got = lab('lesson', 'verify', 'refresh');
      expect({ stdout: got.stdout, stderr: got.stderr, status: got.status }).toEqual(want);
    }
    expect(caches().filter((c) => c.startsWith('lab-lesson.lesson.'))).toHaveLength(1);
  }, 60_000);

  it('once a source file it was built from is newer, lab runs the sources instead (same bytes, no code cache)', async () => {
    const args = ['check', 'public/examples/smart-oven.board.json', '--json'];
    const want = await inProcess(checkCommand, args.slice(1));
    for (const c of caches()) rmSync(join(cacheDir, c));
    const source = join(root, 'src/model/check.ts');
    const { atime, mtime } = statSync(source);
    try {
      utimesSync(source, atime, new Date(statSync(join(cacheDir, 'lab.cjs')).mtimeMs + 60_000));
      const got = lab(...args);
      expect({ stdout: got.stdout, stderr: got.stderr, status: got.status }).toEqual(want);
      expect(caches()).toEqual([]);
    } finally {
      utimesSync(source, atime, mtime);
    }
    lab(...args);
    expect(caches()).toEqual([expect.stringMatching(/^lab\.check\./)]);
  }, 120_000);
});
