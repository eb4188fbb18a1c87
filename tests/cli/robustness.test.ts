// `lab` under hostile or runaway input: it stops with a clear error, and never prints raw control characters.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { MAX_RUN_OUTPUT_CHARS, MAX_SCRIPT_SLEEP_MS, runCommand } from '../../src/cli/run.ts';
import { serializeBoard } from '../../src/model/boardFile.ts';
import { example } from '../../src/model/examples.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const utf8 = (t: string) => new TextEncoder().encode(t);

function fakeIo(files: Record<string, Uint8Array | string>) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (t) => { out.stdout += t; },
    stderr: (t) => { out.stderr += t; },
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return files[p]!;
    },
  };
  return { io, out };
}

const oven = () => structuredClone(example('smart-oven')!.board);
const everySecond = () => {
  const b = oven();
  b.vms.app.refresh = { everySeconds: 1, onCrash: true, onCompromise: true };
  return serializeBoard(b);
};

describe('lab run limits', () => {
  it('given a sleep past the week a script may sleep, then it returns at once with an error naming the line and the limit', async () => {
    const { io, out } = fakeIo({ 'b.json': serializeBoard(oven()), 's.txt': 'app: uname\nsleep 99999999999999999999h\n' });
    expect(await runCommand(['b.json', '--script', 's.txt'], io)).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('line 2');
    expect(out.stderr).toContain('7 days (168h)');
  });

  it('given sleeps that add up past the limit, then the one that crosses it is named', async () => {
    const hours = MAX_SCRIPT_SLEEP_MS / 3_600_000;
    const { io, out } = fakeIo({ 'b.json': serializeBoard(oven()), 's.txt': `sleep ${hours}h\nsleep 1ms\n` });
    expect(await runCommand(['b.json', '--script', 's.txt'], io)).toBe(2);
    expect(out.stderr).toContain('line 2');
  });

  it('given a board refreshing every second and sleep 10h, then the run stops near the output limit with an error and keeps what it printed', async () => {
    const { io, out } = fakeIo({ 'b.json': everySecond(), 's.txt': 'sleep 10h\n' });
    expect(await runCommand(['b.json', '--script', 's.txt'], io)).toBe(2);
    expect(out.stderr).toMatch(/line 1: stopped at \d+\.\d{3}s of simulated time \(the last event printed is at \d+\.\d{3}s\)/);
    expect(out.stderr).toContain('1,000,000 characters');
    expect(out.stdout).toContain('=== events (');
    // The time the message gives is the last event line's own.
    const said = out.stderr.match(/the last event printed is at (\d+\.\d{3})s/)![1]!;
    const lines = out.stdout.slice(out.stdout.indexOf('=== events (')).trimEnd().split('\n');
    expect(lines.at(-1)!.trim().startsWith(`${said}s`)).toBe(true);
    expect(out.stdout.length).toBeGreaterThan(MAX_RUN_OUTPUT_CHARS * 0.9);
    expect(out.stdout.length).toBeLessThan(MAX_RUN_OUTPUT_CHARS * 1.2);
  });

  it('given the same runaway run with --json, then it stops the same way', async () => {
    const { io, out } = fakeIo({ 'b.json': everySecond(), 's.txt': 'sleep 10h\n' });
    expect(await runCommand(['b.json', '--script', 's.txt', '--json'], io)).toBe(2);
    expect(out.stderr).toContain('1,000,000 characters');
    expect(out.stdout.length).toBeLessThan(MAX_RUN_OUTPUT_CHARS * 1.5);
  });

  it('given one command printing five times the limit, then what is kept stops at the limit, on a whole line', async () => {
    const { io, out } = fakeIo({ 'b.json': serializeBoard(oven()), 's.txt': 'app: hexdump -C /boot/Image\nsystem: uname\n' });
    expect(await runCommand(['b.json', '--script', 's.txt'], io)).toBe(2);
    expect(out.stderr).toMatch(/line 1: stopped at .*1,000,000 characters/);
    // The transcripts and the event lines together, with the headings around them.
    expect(out.stdout.length).toBeGreaterThan(MAX_RUN_OUTPUT_CHARS * 0.9);
    expect(out.stdout.length).toBeLessThanOrEqual(MAX_RUN_OUTPUT_CHARS + 2_000);
    const app = out.stdout.slice(out.stdout.indexOf('=== console: app'), out.stdout.indexOf('=== console: rt'));
    expect(app.trimEnd().split('\n').at(-1)).toMatch(/^[0-9a-f]{8}  ([0-9a-f]{2} ){8} ([0-9a-f]{2} ){8} \|.{16}\|$/);
    expect(out.stdout).not.toContain('root@system-vm:~# uname'); // the run stopped at line 1
  });
});

describe('lab run at a paused VM', () => {
  it('given a line typed while the VM is paused, then it says so, and the line runs once the VM is resumed', async () => {
    const paused = 'system: vmm pause app\napp: uname -r\nsystem: vmm list\n';
    const { io, out } = fakeIo({ 'b.json': serializeBoard(oven()), 's.txt': paused });
    expect(await runCommand(['b.json', '--script', 's.txt'], io)).toBe(0);
    expect(out.stdout).toContain("\n[lab run] line 2: 'uname -r' typed while the Application VM is paused: it runs when the VM is resumed\n");
    expect(out.stdout).not.toContain('5.15.148-devicemaker\n');

    const resumed = fakeIo({ 'b.json': serializeBoard(oven()), 's.txt': `${paused}system: vmm resume app\nsleep 1s\n` });
    expect(await runCommand(['b.json', '--script', 's.txt'], resumed.io)).toBe(0);
    expect(resumed.out.stdout).toMatch(/is resumed\nuname -r\n5\.15\.148-devicemaker\n/);
  });
});

describe('lab reads bytes as the page does', () => {
  it('given a board file with two byte-order marks, then check refuses it (the page refuses it too)', async () => {
    const { io, out } = fakeIo({ 'b.json': utf8(`\uFEFF\uFEFF${serializeBoard(oven())}`) });
    expect(await checkCommand(['b.json'], io)).toBe(2);
    expect(out.stderr).toContain('two byte-order marks');
    const one = fakeIo({ 'b.json': utf8(`\uFEFF${serializeBoard(oven())}`) });
    expect(await checkCommand(['b.json'], one.io)).toBe(0);
  });

  it('given a file that is not UTF-8, then it says so', async () => {
    const { io, out } = fakeIo({ 'b.json': Uint8Array.from([0x7b, 0xe9, 0x7d]) });
    expect(await checkCommand(['b.json'], io)).toBe(2);
    expect(out.stderr).toContain('not UTF-8');
  });
});

describe('lab never prints raw control characters from data (a real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-safe-'));
  const lab = (...args: string[]) => spawnSync('npx', ['tsx', 'src/cli/lab.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

  it('given a board file with terminal escapes and a 900 KB key, then stderr shows them as text, briefly', () => {
    const b = JSON.parse(serializeBoard(oven()));
    b.vms.app[`\x1b]0;pwned\x07\x9b2J${'k'.repeat(900_000)}`] = 1;
    const file = join(dir, 'hostile.board.json');
    writeFileSync(file, JSON.stringify(b));
    const r = lab('check', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('\\u001b]0;pwned\\u0007\\u009b2J');
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stderr.length).toBeLessThan(1000);
  });

  it('given a script line with escapes, then stderr and the transcript show them as text', () => {
    const board = join(dir, 'oven.board.json');
    writeFileSync(board, serializeBoard(oven()));
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'boom \x1b[2J\x9b31m\n');
    const r1 = lab('run', board, '--script', bad);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toContain('\\u001b[2J\\u009b31m');
    expect(r1.stderr).not.toMatch(CONTROL);
    const typed = join(dir, 'typed.txt');
    writeFileSync(typed, 'app: echo \x9b2J\x9d8;;http://x\x9c\n');
    const r2 = lab('run', board, '--script', typed);
    expect(r2.status).toBe(0);
    expect(r2.stdout).not.toMatch(CONTROL);
    expect(r2.stdout).toContain('\\u009b2J');
  });
});

describe('lab run at a console whose prompt never comes back', () => {
  it('given a command waiting on a hung system VM, then the transcript says so for it and for the line typed behind it', async () => {
    const board = oven();
    board.components = board.components.filter((c) => c.kind !== 'watchdog'); // nothing resets the hung system VM
    const { io, out } = fakeIo({ 'b.json': serializeBoard(board), 's.txt': 'system: attack hang\napp: cat /data/settings.conf\napp: echo AFTER\n' });
    expect(await runCommand(['b.json', '--script', 's.txt'], io)).toBe(0);
    expect(out.stdout).toContain("\n[lab run] line 2: 'cat /data/settings.conf' gave no prompt back within 10 simulated minutes: the script goes on\n");
    expect(out.stdout).toContain("\n[lab run] line 3: 'echo AFTER' typed while the Application VM is still busy with the line before (no prompt within 10 simulated minutes): it waits in the console's input\n");
  });
});

describe('lab run arguments', () => {
  it('refuses the board and the script both from standard input, and two scripts, before reading anything', async () => {
    const both = fakeIo({});
    expect(await runCommand(['-', '--script', '-'], both.io)).toBe(2);
    expect(both.out.stderr).toContain("lab run: the board and the script cannot both be '-' (standard input)");
    const two = fakeIo({ 'b.json': serializeBoard(oven()), 'a.txt': 'app: uname\n', 'b.txt': 'app: pwd\n' });
    expect(await runCommand(['b.json', '--script', 'a.txt', '--script', 'b.txt'], two.io)).toBe(2);
    expect(two.out.stderr).toContain('lab run: one --script at a time');
  });
});
