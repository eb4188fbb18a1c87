import { describe, expect, it } from 'vitest';
import { runCommand, parseScript, parseDuration } from '../../src/cli/run.ts';
import { oven } from './helpers.ts';

function io(files: Record<string, string>) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (t: string) => { out.stdout += t; },
      stderr: (t: string) => { out.stderr += t; },
      readFile: (p: string) => {
        if (!(p in files)) throw new Error('ENOENT: no such file');
        return files[p];
      },
    },
  };
}

const BOARD = JSON.stringify(oven('firewall-id', { refresh: { everySeconds: 3600 } }));
const SCRIPT = [
  '# the oven lesson',
  'app: lsdev',
  'app: echo hello > /data/note',
  '',
  'app: attack dma-escape',
  'sleep 2h',
  'app: cat /data/note',
  'system: vmm list',
].join('\n');

describe('lab run <board> --script <file>', () => {
  it('prints each console transcript, then the event log, and exits 0', async () => {
    const { out, io: x } = io({ 'b.json': BOARD, 's.txt': SCRIPT });
    expect(await runCommand(['b.json', '--script', 's.txt'], x)).toBe(0);
    const text = out.stdout;
    expect(text).toContain('=== console: app (Application VM) ===');
    expect(text).toContain('root@app-vm:~# lsdev\ndma0 dma direct\nuart0 uart direct\nwifi0 wifi paravirtual\n');
    expect(text).toContain('root@app-vm:~# cat /data/note\nhello\n');
    expect(text).toContain('STOPPED by the firewall');
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\r');
    expect(text.indexOf('=== events')).toBeGreaterThan(text.indexOf('=== console: rt'));
    expect(text.match(/vm\.refresh\s+app/g)).toHaveLength(2);
  });

  it('--json prints one object per line, events and console text in order of occurrence', async () => {
    const { out, io: x } = io({ 'b.json': BOARD, 's.txt': SCRIPT });
    expect(await runCommand(['b.json', '--script', 's.txt', '--json', '--seed', '9'], x)).toBe(0);
    const lines = out.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect('console' in l ? typeof l.text : typeof l.t).toBe(l.console ? 'string' : 'number');
    const firstDeny = lines.findIndex((l) => l.type === 'firewall.deny');
    const lsdev = lines.findIndex((l) => l.console === 'app' && String(l.text).includes('lsdev'));
    expect(lsdev).toBeGreaterThan(-1);
    expect(firstDeny).toBeGreaterThan(lsdev);
    expect(lines[firstDeny]).toMatchObject({ type: 'firewall.deny', vm: 'app', master: 'dma:dma0', target: 'system-ram' });
  });

  it('a script that is not UTF-8 is refused in the words of a script, not of a board file', async () => {
    const out = { stdout: '', stderr: '' };
    // "café" in Latin-1 (é is the byte 0xE9), and a UTF-16 file with its byte-order mark.
    const latin1 = Uint8Array.from([...new TextEncoder().encode('app: echo caf'), 0xe9, 0x0a]);
    const files: Record<string, Uint8Array | string> = { 'b.json': BOARD, 's.txt': latin1, 'u.txt': Uint8Array.from([0xff, 0xfe, 0x61, 0x00]) };
    const x = { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), readFile: (p: string) => files[p]! };
    expect(await runCommand(['b.json', '--script', 's.txt'], x)).toBe(2);
    expect(out.stderr).toContain('cannot read s.txt: the file is not UTF-8 text (it has bytes no UTF-8 text can hold); a console script is UTF-8 text. Save it again as UTF-8.');
    expect(await runCommand(['b.json', '--script', 'u.txt'], x)).toBe(2);
    expect(out.stderr).toContain('cannot read u.txt: the file is UTF-16 text; a console script is UTF-8.');
    expect(out.stderr).not.toContain('board file');
  });

  it('--seed takes 0 to 4294967295, the engine\'s 32-bit seed; past either end it is refused, not wrapped onto another seed', async () => {
    const run = async (seed: string) => {
      const { out, io: x } = io({ 'b.json': BOARD, 's.txt': 'app: echo hi\n' });
      return { code: await runCommand(['b.json', '--script', 's.txt', '--json', '--seed', seed], x), ...out };
    };
    for (const ok of ['0', '4294967295']) expect((await run(ok)).code).toBe(0);
    for (const bad of ['4294967296', '4294967297', '-1', '1e3', '0x10']) {
      const r = await run(bad);
      expect(r.code, bad).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`--seed needs a whole number from 0 to 4294967295, got ${bad}`);
    }
  });

  it('types each line when its own console shows the prompt, not when the whole device is quiet', async () => {
    const withFlash = oven('firewall-id');
    withFlash.components.push({ id: 'flash0', kind: 'flash', domain: 'shared' });
    const events = async (script: string, board = BOARD) => {
      const { out, io: x } = io({ 'b.json': board, 's.txt': script });
      expect(await runCommand(['b.json', '--script', 's.txt', '--json'], x)).toBe(0);
      return out.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    // vmm verify is typed at once: it, not the security monitor's later measurement, finds the file
    const now = await events('app: echo payload > /usr/bin/backdoor\nsystem: vmm verify app\n');
    expect(now.find((l) => l.type === 'integrity.violation')).toMatchObject({ detectedBy: 'vmm verify' });
    // after a sleep, the measurement came first
    const later = await events('app: echo payload > /usr/bin/backdoor\nsleep 10s\nsystem: vmm verify app\n');
    expect(later.find((l) => l.type === 'integrity.violation')).toMatchObject({ detectedBy: 'secmon' });
    // a line for the application VM is typed while the system VM is down, and waits there for /data
    const down = await events('system: attack crash\napp: cat /data/settings.conf\n', JSON.stringify(withFlash));
    const typed = down.findIndex((l) => l.console === 'app' && l.text === 'cat /data/settings.conf\n');
    const crash = down.findIndex((l) => l.type === 'vm.crash' && l.vm === 'system');
    const back = down.findIndex((l, i) => i > crash && l.type === 'vm.boot' && l.vm === 'system');
    expect(crash).toBeGreaterThan(-1);
    expect(typed).toBeGreaterThan(-1);
    expect(typed).toBeLessThan(back);
    expect(down.slice(back).some((l) => l.console === 'app' && String(l.text).startsWith('temperature.unit=C'))).toBe(true);
  });

  it('is byte-identical on repeat', async () => {
    const a = io({ 'b.json': BOARD, 's.txt': SCRIPT });
    const b = io({ 'b.json': BOARD, 's.txt': SCRIPT });
    await runCommand(['b.json', '--script', 's.txt', '--json'], a.io);
    await runCommand(['b.json', '--script', 's.txt', '--json'], b.io);
    expect(a.out.stdout).toBe(b.out.stdout);
  });

  it('a board with diagnostic errors still runs; a refused file or bad arguments exit 2', async () => {
    const bad = JSON.stringify(oven('none'));
    expect(await runCommand(['b.json', '--script', 's.txt'], io({ 'b.json': bad, 's.txt': 'app: attack dma-escape' }).io)).toBe(0);

    const refused = io({ 'b.json': '{"format":"nope"}', 's.txt': '' });
    expect(await runCommand(['b.json', '--script', 's.txt'], refused.io)).toBe(2);
    expect(refused.out.stderr).toContain('refused');
    expect(refused.out.stdout).toBe('');

    expect(await runCommand(['b.json'], io({ 'b.json': BOARD }).io)).toBe(2);
    expect(await runCommand(['b.json', '--script', 'missing.txt'], io({ 'b.json': BOARD }).io)).toBe(2);
    expect(await runCommand(['b.json', '--script', 's.txt'], io({ 'b.json': BOARD, 's.txt': 'oven: on' }).io)).toBe(2);
  });

  it('scripts: durations, comments and vm prefixes', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('soon')).toBeNull();
    const s = parseScript('# x\n\nrt: help\nsleep 1s\n');
    expect(s).toEqual({ ok: true, steps: [{ kind: 'command', vm: 'rt', line: 'help', lineNo: 3 }, { kind: 'sleep', ms: 1000, lineNo: 4 }] });
  });
});
