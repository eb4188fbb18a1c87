import { describe, expect, it } from 'vitest';
import { HOST_NS, ProcessTable } from '../../../src/sim/apps/index.ts';
import { Emu32Process, HOSTS } from '../../../src/sim/emu/index.ts';

describe('process table with PID namespaces', () => {
  it('given two containers, when each starts processes, then each first process is PID 1 inside and has its own host PID', () => {
    const t = new ProcessTable();
    t.createNamespace('c1');
    t.createNamespace('c2');
    const a = t.spawn({ command: 'a', ns: 'c1', ppid: 1, rssKiB: 10 });
    const b = t.spawn({ command: 'b', ns: 'c2', ppid: 1, rssKiB: 10 });
    const a2 = t.spawn({ command: 'a-child', ns: 'c1', ppid: a.hostPid, rssKiB: 10 });
    expect(a.pids).toEqual({ [HOST_NS]: 2, c1: 1 });
    expect(b.pids).toEqual({ [HOST_NS]: 3, c2: 1 });
    expect(a2.pids).toEqual({ [HOST_NS]: 4, c1: 2 });
    expect(t.find('c1', 1)).toBe(a);
    expect(t.find('c2', 1)).toBe(b);
    expect(t.find(HOST_NS, 1)?.command).toBe('init');
  });

  it('lists everything from the VM, and only its own processes from inside a container', () => {
    const t = new ProcessTable();
    t.createNamespace('c1');
    t.spawn({ command: 'trusted', ns: HOST_NS, ppid: 1, rssKiB: 5 });
    t.spawn({ command: 'boxed', ns: 'c1', ppid: 1, rssKiB: 7 });
    expect(t.list(HOST_NS).map((p) => p.command)).toEqual(['init', 'trusted', 'boxed']);
    expect(t.list('c1').map((p) => [p.pids.c1, p.command])).toEqual([[1, 'boxed']]);
    expect(t.charge('c1')).toBe(7);
  });

  it('holds a 32-bit emulated program: its getpid() is its PID in its namespace and its memory is what it mapped', () => {
    const t = new ProcessTable();
    t.createNamespace('c1');
    const p = t.spawnEmu32('c1', 1, (allocatePid) => new Emu32Process('hello32', HOSTS['gateway-a53'], { allocatePid }));
    expect(p.pids.c1).toBe(1);
    expect(p.emu?.pid).toBe(1);
    expect(p.command).toBe('run32 hello32');
    expect(t.rss(p)).toBe(Math.ceil(p.emu!.mappedBytes() / 1024));
    expect(t.rss(p)).toBeGreaterThan(0);
  });
});
