import { describe, expect, it } from 'vitest';
import { booted, makeBoard, oven, run } from './helpers.ts';

const withFlash = () => makeBoard([
  { id: 'uart0', kind: 'uart', domain: 'app' },
  { id: 'wifi0', kind: 'wifi', domain: 'shared' },
  { id: 'sec0', kind: 'security-processor', domain: 'system' },
  { id: 'flash0', kind: 'flash', domain: 'shared' },
]);

/** What a command printed, without its echoed line and the next prompt. */
const out = (text: string) => text.split(/\r?\n/).slice(1, -1).join('\n');

describe('mkdir, rmdir and rm in the Linux guests', () => {
  it('an empty directory exists, is listed, takes files, and goes with rmdir once empty', () => {
    const sim = booted(oven());
    expect(out(run(sim, 'app', 'mkdir /tmp/work').text)).toBe('');
    expect(out(run(sim, 'app', 'ls /tmp').text)).toContain('work/');
    expect(out(run(sim, 'app', 'ls /tmp/work').text)).toBe('');
    expect(out(run(sim, 'app', 'cd /tmp/work').text)).toBe('');
    expect(out(run(sim, 'app', 'pwd').text)).toBe('/tmp/work');
    run(sim, 'app', 'echo draft > note');
    expect(out(run(sim, 'app', 'ls').text)).toBe('note');
    expect(out(run(sim, 'app', 'rmdir /tmp/work').text)).toBe("rmdir: failed to remove '/tmp/work': Directory not empty");
    expect(out(run(sim, 'app', 'rm note').text)).toBe('');
    expect(out(run(sim, 'app', 'rmdir /tmp/work').text)).toBe('');
    expect(out(run(sim, 'app', 'ls /tmp/work').text)).toBe("ls: cannot access '/tmp/work': No such file or directory");
  });

  it('mkdir says why it cannot, as mkdir(1) does; -p makes the parents and accepts what exists', () => {
    const sim = booted(oven());
    expect(out(run(sim, 'system', 'mkdir /root/a/b').text)).toBe("mkdir: cannot create directory '/root/a/b': No such file or directory (mkdir -p makes /root/a too)");
    expect(out(run(sim, 'system', 'mkdir -p /root/a/b').text)).toBe('');
    expect(out(run(sim, 'system', 'ls /root/a').text)).toBe('b/');
    expect(out(run(sim, 'system', 'mkdir /root/a').text)).toBe("mkdir: cannot create directory '/root/a': File exists");
    expect(out(run(sim, 'system', 'mkdir -p /root/a /etc').text)).toBe('');
    expect(out(run(sim, 'system', 'mkdir /etc/hostname/x').text)).toBe("mkdir: cannot create directory '/etc/hostname/x': Not a directory (/etc/hostname is a file)");
    expect(out(run(sim, 'system', 'mkdir /dev/x').text)).toBe("mkdir: cannot create directory '/dev/x': Permission denied (device nodes are made by the kernel)");
    expect(out(run(sim, 'system', 'mkdir -m 700 /root/c').text)).toBe("mkdir: option '-m' is not supported — mkdir [-p] <dir>…");
    expect(out(run(sim, 'system', 'mkdir').text)).toBe('mkdir: missing operand — mkdir [-p] <dir>…');
  });

  it('rm removes files only; a file of the verified volume is hidden by a whiteout, which the security monitor finds and a refresh undoes', () => {
    const sim = booted(oven());
    expect(out(run(sim, 'app', 'rm /etc').text)).toBe("rm: cannot remove '/etc': Is a directory (rmdir removes an empty one)");
    expect(out(run(sim, 'app', 'rm /nothing').text)).toBe("rm: cannot remove '/nothing': No such file or directory");
    expect(out(run(sim, 'app', 'rm -f /nothing').text)).toBe('');
    expect(out(run(sim, 'app', 'rm -r /tmp').text)).toContain("rm: option '-r' is not supported");
    expect(out(run(sim, 'app', 'rmdir /').text)).toContain('Device or resource busy');
    // No error; the security monitor's next measurement (every 10 s on this board) finds the whiteout,
    // and the refresh it asks for brings the file back.
    const removed = run(sim, 'app', 'rm /etc/hostname');
    expect(removed.text.split(/\r?\n/)[1]).toBe('root@app-vm:~# ');
    expect(removed.events.find((e) => e.type === 'integrity.violation')?.findings).toEqual(['deleted /etc/hostname']);
    expect(removed.events.some((e) => e.type === 'vm.refresh' && e.reason === 'compromise')).toBe(true);
    expect(out(run(sim, 'app', 'cat /etc/hostname').text)).toBe('app-vm');
  });

  it('a directory in /data outlives a refresh; the autostart entry put in it is quarantined, on labfs as on a RAM /data', () => {
    for (const board of [withFlash(), oven()]) {
      const sim = booted(board);
      expect(out(run(sim, 'app', 'echo run > /data/autostart/job').text)).toBe('echo: /data/autostart/job: No such file or directory');
      run(sim, 'app', 'mkdir /data/autostart');
      run(sim, 'app', 'echo run > /data/autostart/job');
      expect(out(run(sim, 'app', 'ls /data').text)).toContain('autostart/');
      const { events } = run(sim, 'system', 'vmm refresh app');
      expect(events.filter((e) => e.type === 'data.quarantined').map((e) => e.path)).toEqual(['/data/autostart/job']);
      expect(events.find((e) => e.type === 'vm.refresh')!.dataKept).toEqual(['/data/settings.conf']);
      sim.advance(30_000);
      sim.drain();
      expect(out(run(sim, 'app', 'ls /data').text)).toBe('autostart/  settings.conf');
      expect(out(run(sim, 'app', 'ls /data/autostart').text)).toBe('');
    }
  });

  it('with /data waiting for storaged, mkdir of several directories does none until it can do all (and then does each once)', () => {
    const sim = booted(withFlash());
    sim.stopVm('system');
    sim.drain();
    sim.exec('app', 'mkdir /tmp/first /data/second');
    sim.advance(5000);
    expect(sim.guests.app.isBusy).toBe(true);
    sim.startVm('system');
    sim.settle();
    const text = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(text).not.toContain('File exists');
    expect(out(run(sim, 'app', 'ls /tmp /data').text)).toBe('/tmp:\nfirst/\n/data:\nsecond/  settings.conf');
  });

  it('the real-time container, which has no Linux file system, has none of them', () => {
    const sim = booted(oven());
    expect(run(sim, 'rt', 'mkdir /x').text).toContain('mkdir: not in the Real-time container');
  });
});
