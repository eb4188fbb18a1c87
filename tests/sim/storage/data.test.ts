import { describe, expect, it } from 'vitest';
import type { Component } from '../../../src/model/types.ts';
import { Simulation } from '../../../src/sim/index.ts';
import { IO_TIMEOUT_MS } from '../../../src/sim/storage/index.ts';
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

  it('a write that gets no answer fails with EIO after the timeout, says why, and changes nothing; later writes work', () => {
    const sim = booted(withFlash('shared'));
    sim.stopVm('system');
    sim.drain();
    sim.exec('app', 'echo lost > /data/late');
    sim.advance(IO_TIMEOUT_MS - 1000);
    expect(sim.guests.app.isBusy).toBe(true);
    sim.advance(2000);
    const out = sim.drain();
    const text = out.console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(text).toMatch(/echo: \/data\/late: Input\/output error — vda: no answer from storaged in the system VM for 30 s \(the system VM is stopped\)/);
    expect(out.events).toEqual([expect.objectContaining({ type: 'storage.timeout', vm: 'app', path: '/data/late', systemState: 'stopped' })]);
    expect(sim.guests.app.isBusy).toBe(false);
    // Files outside /data do not wait.
    expect(run(sim, 'app', 'ls /').text).toContain('data/');
    sim.startVm('system');
    sim.settle();
    expect(run(sim, 'app', 'ls /data').text).not.toContain('late');
    expect(run(sim, 'app', 'echo now > /data/late').text).not.toContain('error');
    expect(run(sim, 'app', 'cat /data/late').text).toContain('now');
  });

  it('a system VM hung with no watchdog of its own never answers: the read fails after the timeout and says nothing will reset it', () => {
    const sim = booted(withFlash('shared'));
    sim.exec('system', 'attack hang');
    sim.drain();
    sim.exec('app', 'cat /data/settings.conf');
    sim.advance(IO_TIMEOUT_MS + 1000);
    const text = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(text).toContain('(the system VM is hung); /data works again once the system VM is back, but no hardware watchdog is assigned to it, so nothing will reset it');
    expect(text).not.toContain('vmm start system');
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
