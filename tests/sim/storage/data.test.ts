import { describe, expect, it } from 'vitest';
import type { Component } from '../../../src/model/types.ts';
import { Simulation } from '../../../src/sim/index.ts';
import { HUNG_TASK_TIMEOUT_MS } from '../../../src/sim/storage/index.ts';
import { HUNG_TASK_WARNINGS } from '../../../src/sim/guest.ts';
import { bytesOf } from '../../../src/sim/crypto/signing.ts';
import { booted, makeBoard, run } from '../helpers.ts';

const base: Component[] = [
  { id: 'uart0', kind: 'uart', domain: 'app' },
  { id: 'wifi0', kind: 'wifi', domain: 'shared' },
  { id: 'sec0', kind: 'security-processor', domain: 'system' },
];
const withFlash = (domain: 'shared' | 'system') => makeBoard([...base, { id: 'flash0', kind: 'flash', domain }]);

const indexOf = (hay: Uint8Array, needle: string) => {
  const n = bytesOf(needle);
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    for (let k = 0; k < n.length; k++) if (hay[i + k] !== n[k]) continue outer;
    return i;
  }
  return -1;
};

describe('/data on the application VM\'s vda, served by storaged onto flash0', () => {
  it('a file written in the app VM is in flash0\'s bits, through pv ring writes and the system VM\'s flash controller accesses', () => {
    const sim = booted(withFlash('shared'));
    expect(sim.storage.mode).toEqual({ kind: 'paravirtual', flash: 'flash0', dev: 'vda' });
    sim.exec('app', 'echo secret-recipe > /data/recipe');
    sim.settle();
    const out = sim.drain();
    expect(indexOf(sim.storage.flash!.bytes, 'secret-recipe')).toBeGreaterThan(0);
    const txns = out.transactions;
    expect(txns.some((t) => t.master === 'cpu:app' && t.target === 'pv-buffers' && t.op === 'write' && t.allowed)).toBe(true);
    expect(txns.some((t) => t.master === 'cpu:system' && t.target === 'flash0' && t.op === 'write' && t.allowed)).toBe(true);
    // The app VM never touches the flash controller itself.
    expect(txns.some((t) => t.master === 'cpu:app' && t.target === 'flash0')).toBe(false);
    expect(run(sim, 'app', 'trace last').text).toContain('cpu:system write flash0');
    expect(run(sim, 'app', 'mount').text).toContain('/dev/vda on /data type labfs');
  });

  it('hexdump -C /dev/vda and cat /dev/vda show the real blocks: the superblock and the file', () => {
    const sim = booted(withFlash('shared'));
    run(sim, 'app', 'echo hello-blocks > /data/note');
    const dump = run(sim, 'app', 'hexdump -C -n 16 /dev/vda').text;
    expect(dump).toContain('00000000  4c 41 42 46 53 31 00 00  00 10 00 00 00 01 00 00  |LABFS1..........|');
    expect(run(sim, 'app', 'cat /dev/vda').text).toContain('hello-blocks');
    // Change the flash behind the file system's back: the guest reads what the chip holds.
    const at = indexOf(sim.storage.flash!.bytes, 'hello-blocks');
    sim.storage.flash!.bytes[at] = 'j'.charCodeAt(0);
    expect(run(sim, 'app', 'cat /data/note').text).toContain('jello-blocks');
  });

  it('df counts /data in the blocks labfs allocates, as the allocation bitmap shows them', () => {
    const sim = booted(withFlash('shared'));
    const used = () => Number(run(sim, 'app', 'df').text.split('\n').find((l) => l.startsWith('/dev/vda'))!.trim().split(/\s+/)[2]);
    expect(used()).toBe(4); // settings.conf: one 4 KiB block
    for (let i = 0; i < 5; i++) run(sim, 'app', `echo x > /data/f${i}`);
    expect(used()).toBe(24); // six files of a few bytes: six blocks
    // The bitmap (block 1): the six metadata blocks and the six data blocks.
    expect(run(sim, 'app', 'hexdump -C -s 4096 -n 2 /dev/vda').text).toContain('00001000  ff 0f');
  });

  it('hexdump of a file shows its bytes; of a device whose content is not modelled, says so', () => {
    const sim = booted(withFlash('shared'));
    expect(run(sim, 'app', 'hexdump -C /data/settings.conf').text).toContain('00000000  74 65 6d 70 65 72 61 74  75 72 65 2e 75 6e 69 74  |temperature.unit|');
    expect(run(sim, 'system', 'hexdump -C /dev/mtd0').text).toContain('the raw content of this device is not modelled');
    expect(run(sim, 'app', 'hexdump -C -n x /dev/vda').text).toContain('-n needs a whole number');
  });

  it('/data survives a refresh of the app VM and a power cycle; a file outside it does not', () => {
    const sim = booted(withFlash('shared'));
    run(sim, 'app', 'echo kept > /data/kept');
    run(sim, 'app', 'echo lost > /tmp/lost');
    sim.refreshVm('app', 'manual');
    sim.settle();
    expect(run(sim, 'app', 'cat /data/kept').text).toContain('kept');
    expect(run(sim, 'app', 'cat /tmp/lost').text).toContain('No such file');
    sim.powerOff();
    sim.powerOn();
    sim.settle();
    expect(run(sim, 'app', 'cat /data/kept').text).toContain('kept');
  });

  it('without a flash the app VM can reach, /data is in RAM: kept across a refresh, lost at power off', () => {
    const sim = booted(withFlash('system'));
    expect(sim.storage.mode.kind).toBe('ram');
    expect(run(sim, 'app', 'mount').text).toContain('tmpfs on /data type tmpfs');
    run(sim, 'app', 'echo v > /data/v');
    sim.refreshVm('app', 'manual');
    sim.settle();
    expect(run(sim, 'app', 'cat /data/v').text).toContain('v');
    sim.powerOff();
    sim.powerOn();
    sim.settle();
    expect(run(sim, 'app', 'cat /data/v').text).toContain('No such file');
    expect(run(sim, 'app', 'cat /data/settings.conf').text).toContain('temperature.unit=C');
  });
});

describe('/data while the system VM is down', () => {
  it('a read waits for storaged and completes when the system VM is back', () => {
    const sim = booted(withFlash('shared'));
    sim.stopVm('system');
    sim.drain();
    sim.exec('app', 'cat /data/settings.conf');
    sim.advance(5000);
    expect(sim.guests.app.isBusy).toBe(true);
    expect(sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('')).not.toContain('temperature');
    sim.startVm('system');
    sim.settle();
    expect(sim.guests.app.isBusy).toBe(false);
    const text = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(text).toContain('temperature.unit=C');
  });

  it('what a command printed before it waited is not printed again when it goes on', () => {
    const sim = booted(withFlash('shared'));
    run(sim, 'app', 'echo first-file > /tmp/first');
    sim.stopVm('system');
    sim.drain();
    sim.exec('app', 'cat /tmp/first /data/settings.conf');
    sim.advance(5000);
    const before = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(before).toContain('first-file');
    sim.startVm('system');
    sim.settle();
    const after = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(after).toContain('temperature.unit=C');
    expect(after).not.toContain('first-file');
  });

  it('a write that gets no answer is not failed: it waits, the hung-task detector reports it, and it is done once storaged answers', () => {
    const sim = booted(withFlash('shared'));
    const app = sim.guests.app;
    const bootLog = [...app.dmesg];
    sim.stopVm('system');
    sim.drain();
    const sh = app.processes.find((p) => p.name === 'sh')!;
    const blockedAt = sim.now;
    sim.exec('app', 'echo lost > /data/late');
    // khungtaskd checks every 120 s from boot: the first check after the block notes the task, the next reports it.
    const firstCheck = app.bootedAt + (Math.floor((blockedAt - app.bootedAt) / HUNG_TASK_TIMEOUT_MS) + 1) * HUNG_TASK_TIMEOUT_MS;
    const reportAt = firstCheck + HUNG_TASK_TIMEOUT_MS;
    sim.advance(reportAt - sim.now - 1);
    let out = sim.drain();
    let text = out.console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(text).not.toMatch(/Input\/output error|INFO: task/);
    expect(out.events.filter((e) => e.type === 'storage.timeout')).toEqual([]);
    expect(app.isBusy).toBe(true);
    sim.advance(2);
    out = sim.drain();
    text = out.console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(text).toBe(`INFO: task sh:${sh.pid} blocked for more than 120 seconds.\r\n      Not tainted ${sim.utsname('app').release} #1\r\n`
      + '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.\r\n');
    expect(out.events).toEqual([expect.objectContaining({ type: 'storage.timeout', vm: 'app', path: '/data/late', systemState: 'stopped', pid: sh.pid, comm: 'sh', waitedMs: reportAt - blockedAt })]);
    expect(app.dmesg.at(-3)).toMatch(/^\[ *\d+\.\d{6}\] INFO: task sh:\d+ blocked for more than 120 seconds\.$/);
    // On the kernel's clock, as the boot's lines are: the boot's last line was logged 40 ms before the VM ran.
    const stamp = (line: string) => Number(/^\[ *(\d+\.\d{6})\]/.exec(line)![1]);
    expect(stamp(app.dmesg.at(-3)!) - stamp(bootLog.at(-1)!)).toBeCloseTo((reportAt - (app.bootedAt - 40)) / 1000, 6);
    expect(app.isBusy).toBe(true);
    sim.startVm('system');
    sim.settle();
    expect(app.isBusy).toBe(false);
    expect(run(sim, 'app', 'cat /data/late').text).toContain('lost');
  });

  it('Ctrl-C does not end a task in D state: ^C shows, and the command dies without its output once the request completes', () => {
    const sim = booted(withFlash('shared'));
    sim.stopVm('system');
    sim.drain();
    sim.exec('app', 'cat /data/settings.conf');
    sim.advance(1000);
    sim.drain();
    sim.guests.app.keys('\x03ls\r');
    sim.advance(5000);
    let text = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(text).toBe('^C');
    expect(sim.guests.app.isBusy).toBe(true);
    sim.startVm('system');
    sim.settle();
    text = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(text).not.toContain('temperature.unit');
    // The line typed after ^C was not flushed: it runs once the prompt is back.
    expect(text.replace(/\x1b\[[0-9;]*m/g, '')).toBe('\r\nroot@app-vm:~# ls\r\nREADME\r\nroot@app-vm:~# ');
    expect(run(sim, 'app', 'cat /data/settings.conf').text).toContain('temperature.unit=C');
  });

  it('a system VM hung with no watchdog never answers: the task is reported every 120 s, ten times a boot, and the event says nothing will reset it', () => {
    const sim = booted(withFlash('shared'));
    sim.exec('system', 'attack hang');
    sim.drain();
    sim.exec('app', 'cat /data/settings.conf');
    sim.advance(HUNG_TASK_TIMEOUT_MS * (HUNG_TASK_WARNINGS + 3));
    const out = sim.drain();
    const text = out.console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    const reports = out.events.filter((e) => e.type === 'storage.timeout');
    expect(reports).toHaveLength(HUNG_TASK_WARNINGS);
    expect(text.match(/INFO: task sh:\d+ blocked/g)).toHaveLength(HUNG_TASK_WARNINGS);
    expect(text).toContain('Future hung task reports are suppressed, see sysctl kernel.hung_task_warnings');
    expect(reports[0].message).toContain('(the system VM is hung)');
    expect(reports[0].message).toContain('no hardware watchdog is assigned to the system VM, so nothing will reset it');
    expect(reports.map((e) => e.t).slice(1).map((t, i) => t - reports[i].t)).toEqual(Array(HUNG_TASK_WARNINGS - 1).fill(HUNG_TASK_TIMEOUT_MS));
    expect(sim.guests.app.isBusy).toBe(true);
  });

  it('no scheduled refresh of the app VM (and no scan of its /data) while the VMM\'s system VM is down', () => {
    const sim = booted(makeBoard([...base, { id: 'flash0', kind: 'flash', domain: 'shared' }], { refresh: { everySeconds: 10 } }));
    run(sim, 'app', 'echo x > /data/autorun.sh');
    sim.stopVm('system');
    sim.drain();
    expect(() => sim.advance(25_000)).not.toThrow();
    expect(sim.drain().events.filter((e) => e.type === 'vm.refresh')).toEqual([]);
    sim.startVm('system');
    sim.advance(12_000);
    expect(sim.drain().events.filter((e) => e.type === 'vm.refresh' || e.type === 'data.quarantined').map((e) => e.type).sort()).toEqual(['data.quarantined', 'vm.refresh']);
  });

  it('same board, script and seed: the same bytes on flash and the same transactions', () => {
    const go = () => {
      const sim = new Simulation(withFlash('shared'), { seed: 7 });
      sim.powerOn();
      sim.settle();
      for (const l of ['echo a > /data/a', 'cat /data/a', 'hexdump -C -n 64 /dev/vda']) sim.exec('app', l);
      sim.settle();
      const out = sim.drain();
      return JSON.stringify([out.console, out.transactions, Array.from(sim.storage.flash!.eraseCounts)]) + Buffer.from(sim.storage.flash!.bytes).toString('base64');
    };
    expect(go()).toBe(go());
  });
});
