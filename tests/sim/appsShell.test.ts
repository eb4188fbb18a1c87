// The application VM's supervisor through the shell: launch, stop, kill,
// supervisor, ps and free, and the PID race through `lab run --json`.
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.ts';
import { runCommand } from '../../src/cli/run.ts';
import { parseBoard, serializeBoard } from '../../src/model/boardFile.ts';
import type { Board } from '../../src/model/types.ts';
import { appsBoard, booted, oven, run } from './helpers.ts';

const of = (events: { type: string }[], type: string) => events.filter((e) => e.type === type);

/** The ps row of a command (columns: PID CONTAINER NS-PID APP-ID APP RSS COMMAND). */
function psRow(text: string, command: string): string[] | undefined {
  return text.split('\n').map((l) => l.trim().split(/\s{2,}/)).find((cols) => cols.at(-1) === command);
}

describe('apps in the application VM shell', () => {
  it('launch starts a trusted app directly and an untrusted one in a container; ps shows both PID views, free the charge', () => {
    const sim = booted(appsBoard());
    const launched = run(sim, 'app', 'launch browser media-player');
    expect(of(launched.events, 'app.launch')).toEqual([
      expect.objectContaining({ vm: 'app', app: 'browser', appId: 'app-0001', trusted: false, container: 'c1', pid: 1, misattributed: false }),
      expect.objectContaining({ vm: 'app', app: 'media-player', appId: 'app-0002', trusted: true, misattributed: false }),
    ]);
    expect(launched.text).toContain('[supervisor] The supervisor launched browser in container c1 (untrusted)');

    const ps = run(sim, 'app', 'ps').text;
    const browser = psRow(ps, '/usr/bin/browser')!;
    expect(browser.slice(1, 5)).toEqual(['c1', '1', 'app-0001', 'browser']);
    expect(Number(browser[0])).toBeGreaterThan(4); // after init, supervisor, device-app, sh
    expect(psRow(ps, 'init')?.[0]).toBe('1');
    expect(psRow(ps, 'sh')).toBeDefined();
    expect(psRow(ps, '/usr/bin/media-player')?.slice(1, 5)).toEqual(['-', '-', 'app-0002', 'media-player']);

    const inside = run(sim, 'app', 'ps --ns c1').text;
    expect(inside).toMatch(/^1\s+0\s+3200\s+\/usr\/bin\/browser$/m);
    expect(inside).not.toContain('media-player');
    expect(run(sim, 'app', 'ps --ns c9').text).toContain('ps: no container c9');

    const free = run(sim, 'app', 'free').text;
    expect(free).toMatch(/^c1\s+browser\s+app-0001\s+\d+\s+\d+\s+12288\s+\d+%$/m);
    expect(run(sim, 'app', 'supervisor').text).toMatch(/app-0002\s+media-player\s+trusted\s+-\s+running\s+decoder,display-port,audio/);
  });

  it('stop and kill end processes and give the resources back (app.exit); the VM\'s own processes cannot be killed', () => {
    const sim = booted(appsBoard());
    run(sim, 'app', 'launch browser media-player');
    const browserPid = psRow(run(sim, 'app', 'ps').text, '/usr/bin/browser')![0];
    const killed = run(sim, 'app', `kill ${browserPid}`);
    // The container's PID 1 died: the kernel killed its renderer too.
    expect(of(killed.events, 'app.exit')).toEqual([expect.objectContaining({ app: 'browser', appId: 'app-0001', reason: 'exited', released: ['display-port', 'socket'] })]);
    const stopped = run(sim, 'app', 'stop media-player');
    expect(of(stopped.events, 'app.exit')).toEqual([expect.objectContaining({ app: 'media-player', reason: 'stopped', released: ['decoder', 'display-port', 'audio'] })]);
    const ps = run(sim, 'app', 'ps').text;
    expect(ps).not.toContain('browser');
    expect(ps).not.toContain('media-player');
    expect(run(sim, 'app', 'free').text).toContain('no containers');

    expect(run(sim, 'app', 'stop media-player').text).toContain("stop: no running app 'media-player'");
    expect(run(sim, 'app', 'kill 1').text).toContain('PID 1 is init, part of the VM itself');
    expect(run(sim, 'app', 'kill 999').text).toContain('kill: no process 999');
    expect(run(sim, 'app', 'kill abc').text).toContain('usage: kill <pid>');
    expect(run(sim, 'app', 'launch nosuch').text).toContain("launch: no app 'nosuch'");
  });

  it('a tampered package is refused (app.rejected) and nothing of it runs', () => {
    const sim = booted(appsBoard());
    const { events, text } = run(sim, 'app', 'launch media-player-tampered');
    expect(events).toEqual([expect.objectContaining({ type: 'app.rejected', vm: 'app', app: 'media-player-tampered', reason: 'tampered' })]);
    expect(text).toContain('The supervisor refused media-player-tampered');
    expect(run(sim, 'app', 'ps').text).not.toContain('media-player');
  });

  it('a container over its memory limit is killed (app.oom); the other app and the VM keep running', () => {
    const sim = booted(appsBoard());
    run(sim, 'app', 'launch browser memory-hog');
    sim.advance(10_000);
    const out = sim.drain();
    expect(of(out.events, 'app.oom')).toEqual([expect.objectContaining({ vm: 'app', app: 'memory-hog', container: 'c2', limitKiB: 4096 })]);
    expect(of(out.events, 'vm.crash')).toEqual([]);
    const ps = run(sim, 'app', 'ps').text;
    expect(psRow(ps, '/usr/bin/browser')?.[1]).toBe('c1');
    expect(ps).not.toContain('memory-hog');
    expect(sim.status().find((s) => s.vm === 'app')?.state).toBe('running');
  });

  it('supervisor serialize off|on switches the mode; the board setting sets it at boot', () => {
    const sim = booted(appsBoard());
    expect(run(sim, 'app', 'supervisor').text).toContain('launches: serialised');
    expect(run(sim, 'app', 'supervisor serialize off').text).toContain('launches are now parallel');
    expect(run(sim, 'app', 'supervisor').text).toContain('launches: parallel');
    expect(run(sim, 'app', 'supervisor serialize maybe').text).toContain('usage: supervisor | supervisor serialize on|off');
    const parallel = appsBoard();
    parallel.vms.app.serializeLaunches = false;
    expect(run(booted(parallel), 'app', 'supervisor').text).toContain('launches: parallel');
  });

  it('a reboot starts a fresh supervisor: no app of the old life, and nothing of it fires later', () => {
    const sim = booted(appsBoard());
    sim.exec('app', 'launch stuck-app');
    sim.advance(1000);
    run(sim, 'app', 'reboot');
    sim.advance(15_000);
    const out = sim.drain();
    expect(of(out.events, 'app.timeout')).toEqual([]);
    expect(run(sim, 'app', 'supervisor').text).toContain('no apps launched');
  });

  it('a 32-bit program is in the process table while it runs, and kill ends it', () => {
    const sim = booted(oven());
    const started = run(sim, 'app', 'run32 sum32 &').text;
    const pid = /\[1\] (\d+)/.exec(started)![1];
    expect(psRow(run(sim, 'app', 'ps').text, 'run32 sum32')?.[0]).toBe(pid);
    const killed = run(sim, 'app', `kill ${pid}`);
    expect(killed.text).toContain(`killed host PID ${pid}`);
    sim.advance(1000);
    expect(sim.drain().console.map((c) => c.text).join('')).toContain(`sum32: killed (pid ${pid})`);
    expect(run(sim, 'app', 'ps').text).not.toContain('run32 sum32');
  });
});

describe('the board setting vms.app.serializeLaunches', () => {
  it('is read for the application VM, kept on a round trip, and refused on the system VM', () => {
    const b = appsBoard();
    b.vms.app.serializeLaunches = false;
    const r = parseBoard(JSON.parse(serializeBoard(b)));
    expect(r.ok && r.board.vms.app.serializeLaunches).toBe(false);
    const sys = JSON.parse(serializeBoard(appsBoard()));
    sys.vms.system.serializeLaunches = false;
    expect(parseBoard(sys).ok).toBe(false);
    const notBool = JSON.parse(serializeBoard(appsBoard()));
    notBool.vms.app.serializeLaunches = 'no';
    const bad = parseBoard(notBool);
    expect(!bad.ok && bad.error).toContain('vms.app.serializeLaunches');
  });
});

describe('the PID race through lab run --json', () => {
  async function labRun(board: Board, seed: number): Promise<{ stdout: string; launches: Record<string, unknown>[] }> {
    let stdout = '';
    const files: Record<string, string> = { 'b.json': serializeBoard(board), 's.txt': 'app: launch recipe-book browser\n' };
    const io: CliIo = {
      stdout: (t) => { stdout += t; },
      stderr: () => {},
      readFile: (p) => files[p],
    };
    expect(await runCommand(['b.json', '--script', 's.txt', '--seed', String(seed), '--json'], io)).toBe(0);
    const launches = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'app.launch');
    return { stdout, launches };
  }
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];

  it('with serialisation off, the engine charges the wrong app for some seeds, the same way every run', async () => {
    const board = appsBoard();
    board.vms.app.serializeLaunches = false;
    let wrong = 0;
    for (const seed of seeds) {
      const { stdout, launches } = await labRun(board, seed);
      expect(launches.map((e) => e.app)).toEqual(['recipe-book', 'browser']);
      for (const e of launches) expect(e.misattributed).toBe(e.processOfAppId !== e.appId);
      if (launches.some((e) => e.misattributed)) wrong++;
      expect((await labRun(board, seed)).stdout).toBe(stdout);
    }
    expect(wrong).toBeGreaterThan(0);
  });

  it('with serialisation on (the default), no seed mis-charges a process', async () => {
    for (const seed of seeds) {
      const { launches } = await labRun(appsBoard(), seed);
      expect(launches.map((e) => [e.app, e.misattributed])).toEqual([['recipe-book', false], ['browser', false]]);
    }
  });
});
