// `lab check` as instructors' CI runs it: a real process, real files, exit codes.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK_USAGE, checkCommand } from '../../src/cli/check.ts';
import { addComponent } from '../../src/model/board.ts';
import { serializeBoard } from '../../src/model/boardFile.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { exampleBoard } from '../model/helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function lab(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'src/cli/lab.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab-check-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('lab check (a real process)', () => {
  it('given a clean example, then it exits 0 and says so', () => {
    const r = lab('check', 'public/examples/smart-oven.board.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('smart-oven.board.json: no problems found');
  });

  it('given the broken example, then it exits 1 and lists each error on its own line', () => {
    const r = lab('check', 'public/examples/broken-oven.board.json');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error +dma-unprotected +dma0 +dma0 is an unprotected DMA engine/m);
    expect(r.stdout).toContain('broken-oven.board.json: 5 errors, 2 warnings');
  });

  it('given a refused file, then it exits 2 and stderr names the JSON path', () => {
    const file = tempFile('bad.board.json', JSON.stringify({
      format: 'isolation-lab/board', version: 1, name: 'Bad', soc: 'iot-a7m4',
      components: [{ id: 'x0', kind: 'toaster', domain: null }], vms: { system: { memoryMiB: 8 }, app: { memoryMiB: 8 } },
    }));
    const r = lab('check', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('$.components[0].kind');
  });

  it('given a file that fits only because it is compact, then it exits 2, as the page refuses to import it', () => {
    const board = JSON.parse(readFileSync(join(root, 'public/examples/smart-oven.board.json'), 'utf8')) as Record<string, unknown>;
    board.notes = Array.from({ length: 90_000 }, () => [1]); // 450,000 characters compact, over 1,000,000 indented
    const r = lab('check', tempFile('compact.board.json', JSON.stringify(board)));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('written with the two-space indent every save uses');
  });

  it('given --json, then stdout is one JSON array of diagnostics', () => {
    const r = lab('check', 'public/examples/broken-oven.board.json', '--json');
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.stdout) as { rule: string; severity: string }[];
    expect(diagnostics[0]).toMatchObject({ rule: 'dma-unprotected', severity: 'error', component: 'dma0' });
    expect(diagnostics).toHaveLength(7);
  });

  it('given --help or an unknown command, then it prints usage with exit 0 or 2', () => {
    const help = lab('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('lab check <board.json>');
    const unknown = lab('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
  });
});

describe('lab check (in process)', () => {
  const io = (files: Record<string, string>) => {
    const out = { stdout: '', stderr: '' };
    const cli: CliIo = {
      stdout: (t) => { out.stdout += t; },
      stderr: (t) => { out.stderr += t; },
      readFile: (p) => {
        if (!(p in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return files[p]!;
      },
    };
    return { out, cli };
  };

  it('given a file that does not exist, then it exits 2', async () => {
    const { out, cli } = io({});
    expect(await checkCommand(['nope.json'], cli)).toBe(2);
    expect(out.stderr).toContain('cannot read nope.json: no such file');
  });

  it('given a directory, then it says so in words, not as Node does (EISDIR)', async () => {
    const { out } = io({});
    const dir: CliIo = { stdout: () => {}, stderr: (t) => void (out.stderr += t), readFile: () => { throw Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR' }); } };
    expect(await checkCommand(['boards'], dir)).toBe(2);
    expect(out.stderr).toContain('cannot read boards: it is a directory; give a file in it');
    expect(out.stderr).not.toContain('EISDIR');
  });

  it('given no file or an unknown option, then it exits 2 with usage', async () => {
    const { out, cli } = io({});
    expect(await checkCommand([], cli)).toBe(2);
    expect(await checkCommand(['a.json', '--yaml'], cli)).toBe(2);
    expect(out.stderr).toContain('Usage: lab check');
  });

  it('given --json on a board with a pin conflict, then every key of its output is one the usage names', async () => {
    const { board } = addComponent(exampleBoard('smart-oven'), 'sdcard', 'app');
    const { out, cli } = io({ 'b.json': serializeBoard(board) });
    expect(await checkCommand(['b.json', '--json'], cli)).toBe(1);
    const keys = new Set((JSON.parse(out.stdout) as object[]).flatMap((d) => Object.keys(d)));
    expect(keys).toContain('others');
    for (const key of keys) expect(CHECK_USAGE).toContain(`"${key}"`);
  });

  it('given a version 0 file, then it checks the migrated board and notes the migration on stderr', async () => {
    const v0 = JSON.stringify({
      format: 'isolation-lab/board', version: 0, name: 'Old', soc: 'mcu-16',
      components: [{ id: 'gpio0', kind: 'gpio', assignment: 'none' }],
      vms: [{ id: 'system', memoryMiB: 4 }, { id: 'app', memoryMiB: 6 }],
    });
    const { out, cli } = io({ 'old.json': v0 });
    expect(await checkCommand(['old.json'], cli)).toBe(0);
    expect(out.stderr).toContain('note: Migrated from board file version 0');
    expect(out.stdout).toContain('warning  unassigned-component  gpio0');
    expect(out.stdout).toContain('old.json: 0 errors, 1 warning');
  });
});
