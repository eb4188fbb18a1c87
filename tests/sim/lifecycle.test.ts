import { describe, expect, it } from 'vitest';
import { parseBoardFile, serializeBoard } from '../../src/model/boardFile.ts';
import { check, memoryBudget } from '../../src/model/check.ts';
import { Simulation, stripAnsi } from '../../src/sim/index.ts';
import { booted, oven, run } from './helpers.ts';

// secmon would find the changes these tests make and refresh the whole VM first: measure hourly here.
const quiet = { measureEverySeconds: 3600 };

describe('partial refresh', () => {
  it('vmm refresh app --part app:<name> puts that app\'s files back; the rest of the VM keeps running', () => {
    const sim = booted(oven('firewall-id', { refresh: quiet }));
    run(sim, 'app', 'echo changed >> /opt/apps/media-player/app.conf');
    run(sim, 'app', 'echo mine > /root/keep');
    const { events } = run(sim, 'system', 'vmm refresh app --part app:media-player');
    const r = events.find((e) => e.type === 'vm.refresh');
    expect(r).toMatchObject({ vm: 'app', reason: 'manual', part: 'app:media-player', downtimeMs: 200, reset: ['/opt/apps/media-player/app.conf'] });
    expect(events.map((e) => e.type)).not.toContain('vm.boot');
    expect(run(sim, 'app', 'cat /opt/apps/media-player/app.conf').text).not.toContain('changed');
    expect(run(sim, 'app', 'cat /root/keep').text).toContain('mine');
    expect(events.map((e) => e.type)).not.toContain('vm.stop');
    expect(sim.status().find((x) => x.vm === 'app')!.state).toBe('running');
  });

  it('every boot starts over an empty overlay (a tmpfs): a reboot or a crash\'s restart keeps /data only', () => {
    const sim = booted(oven('firewall-id', { refresh: { measureEverySeconds: 3600 } }));
    run(sim, 'app', 'echo mine > /root/note');
    run(sim, 'app', 'echo kept > /data/note');
    run(sim, 'system', 'echo mine > /root/note');
    sim.exec('app', 'reboot');
    sim.exec('system', 'reboot');
    sim.settle(30_000);
    expect(run(sim, 'app', 'cat /root/note').text).toContain('No such file or directory');
    expect(run(sim, 'system', 'cat /root/note').text).toContain('No such file or directory');
    expect(run(sim, 'app', 'cat /data/note').text).toContain('kept');
    run(sim, 'app', 'echo again > /root/note');
    run(sim, 'app', 'attack crash');
    sim.settle(30_000);
    expect(sim.guests.app.state).toBe('running');
    expect(run(sim, 'app', 'cat /root/note').text).toContain('No such file or directory');
  });

  it('a kernel part reboots the VM; a driver part reloads that driver, which probes its device again', () => {
    // secmon would find /boot/evil and refresh the whole VM first: measure rarely.
    const sim = booted(oven('firewall-id', { refresh: { measureEverySeconds: 3600 } }));
    run(sim, 'app', 'echo y > /boot/evil');
    run(sim, 'app', 'echo mine > /root/keep');
    const k = run(sim, 'system', 'vmm refresh app --part kernel').events;
    // The restart, like every boot, starts over an empty overlay (a tmpfs): every changed file goes, /data stays.
    expect(k.find((e) => e.type === 'vm.refresh')).toMatchObject({ part: 'kernel', reset: ['/boot/evil', '/root/keep'] });
    expect(run(sim, 'app', 'ls /boot').text).not.toContain('evil');
    expect(run(sim, 'app', 'cat /root/keep').text).toContain('No such file or directory');
    // The outage is reported once, measured, by the vm.boot that ends it.
    expect(k.find((e) => e.type === 'vm.refresh')).not.toHaveProperty('downtimeMs');
    expect(k.find((e) => e.type === 'vm.boot')).toHaveProperty('downtimeMs');
    // The driver's module is a file of the image: a changed copy is put back, and the event names it.
    const module = `/lib/modules/${sim.utsname('app').release}/extra/devicemaker-uart.ko`;
    expect(run(sim, 'app', `ls /lib/modules/${sim.utsname('app').release}/extra`).text).toContain('devicemaker-uart.ko');
    run(sim, 'app', `echo patched > ${module}`);
    sim.drain();
    sim.exec('system', 'vmm refresh app --part driver:uart0');
    sim.settle();
    const out = sim.drain();
    expect(out.events.find((e) => e.type === 'vm.refresh')).toMatchObject({ part: 'driver:uart0', downtimeMs: 30, reset: [module] });
    expect(out.events.find((e) => e.type === 'vm.refresh')!.message).toContain(`(${module}: 1 changed file(s) put back)`);
    expect(run(sim, 'app', `cat ${module}`).text).not.toContain('patched');
    expect(out.accesses.some((a) => a.target === 'uart0')).toBe(true);
  });

  it('a part that does not exist is refused with what there is', () => {
    const sim = booted(oven());
    expect(run(sim, 'system', 'vmm refresh app --part driver:spi9').text).toContain('no driver spi9 in this VM (drivers: dma0, uart0, wifi0)');
    expect(run(sim, 'system', 'vmm refresh app --part app:game').text).toContain('apps: browser, media-player');
    expect(run(sim, 'system', 'vmm refresh app --part firmware').text).toContain('use kernel, driver:<id> or app:<name>');
  });

  it('per-part schedules, fixed and random, run on the simulated clock; the random one is the same for the same seed', () => {
    const board = oven('firewall-id', { refresh: { parts: [{ part: 'driver:uart0', everySeconds: 60 }, { part: 'app:browser', randomSeconds: [30, 90] }] } });
    const times = (seed: number) => {
      const sim = booted(board, seed);
      sim.advance(600_000);
      return sim.drain().events.filter((e) => e.type === 'vm.refresh').map((e) => `${e.part}@${e.t}`);
    };
    const a = times(7);
    expect(a.filter((x) => x.startsWith('driver:uart0'))).toHaveLength(10);
    const random = a.filter((x) => x.startsWith('app:browser')).map((x) => Number(x.split('@')[1]));
    expect(random.length).toBeGreaterThanOrEqual(6);
    const gaps = random.slice(1).map((t, i) => t - random[i]);
    expect(gaps.every((g) => g >= 30_000 && g <= 90_000)).toBe(true);
    expect(new Set(gaps).size).toBeGreaterThan(1);
    expect(times(7)).toEqual(a);
    expect(times(8)).not.toEqual(a);
  });
});

describe('the hot spare', () => {
  const downtime = (hotSpare: boolean) => {
    // 64 MiB of RAM: two 10 MiB instances of the application VM fit beside the system VM.
    const sim = booted(oven('firewall-id', { hotSpare, appMiB: 10 }));
    sim.advance(10_000); // the spare has booted
    sim.drain();
    const t0 = sim.now;
    const { events } = run(sim, 'system', 'vmm refresh app');
    const refresh = events.find((e) => e.type === 'vm.refresh')!;
    const boot = events.find((e) => e.type === 'vm.boot' && e.vm === 'app');
    const running = sim.status()[1].state;
    return { refresh, boot, t0, running };
  };

  it('measured on the timeline: without a spare the refresh is a full boot; with one, the switch-over is immediate', () => {
    const without = downtime(false);
    expect(without.refresh).not.toHaveProperty('switched', true);
    expect(without.boot!.downtimeMs as number).toBeGreaterThan(500);
    expect(without.boot!.t - without.t0).toBe(without.boot!.downtimeMs);
    const withSpare = downtime(true);
    expect(withSpare.refresh).toMatchObject({ switched: true, downtimeMs: 0 });
    expect(withSpare.boot).toBeUndefined();
    expect(withSpare.running).toBe('running');
  });

  it('after a crash, the switch to the spare reports the real outage: from the crash until the VMM acted', () => {
    const sim = booted(oven('firewall-id', { hotSpare: true, appMiB: 10 }));
    sim.advance(10_000);
    sim.drain();
    const { events } = run(sim, 'app', 'attack crash');
    const crash = events.find((e) => e.type === 'vm.crash')!;
    const refresh = events.find((e) => e.type === 'vm.refresh')!;
    expect(refresh).toMatchObject({ switched: true, downtimeMs: refresh.t - crash.t });
    expect(refresh.downtimeMs).toBe(1000);
    expect(refresh.message).toContain('took over as soon as the VMM acted (downtime 1000 ms, since the Application VM went down)');
  });

  it('the spare that takes over keeps its own uptime: it booted long before the switch', () => {
    const sim = booted(oven('firewall-id', { hotSpare: true, appMiB: 10 }));
    sim.advance(60_000);
    const { events } = run(sim, 'system', 'vmm refresh app');
    expect(events.find((e) => e.type === 'vm.refresh')).toMatchObject({ switched: true });
    const app = sim.status().find((s) => s.vm === 'app')!;
    expect(app.uptimeMs).toBeGreaterThan(55_000);
    expect(run(sim, 'system', 'vmm list').text).toMatch(/^app .* 0h01m0\ds/m);
    // Its kernel's log counts from that boot too: the banner at 0, the switch when it happened.
    const log = run(sim, 'app', 'dmesg').text;
    expect(log).toMatch(/^\[\s+0\.000000\] Linux version/m);
    expect(Number(/^\[\s*([\d.]+)\] hot spare: in service$/m.exec(log)?.[1])).toBeGreaterThan(55);
  });

  it('a second refresh before the new spare has booted is a full boot again', () => {
    const sim = booted(oven('firewall-id', { hotSpare: true, appMiB: 10 }));
    sim.advance(10_000);
    run(sim, 'system', 'vmm refresh app');
    const { events } = run(sim, 'system', 'vmm refresh app');
    expect(events.find((e) => e.type === 'vm.refresh')).toMatchObject({ switched: false });
    expect(events.find((e) => e.type === 'vm.boot' && e.vm === 'app')).toBeDefined();
  });

  it('counts its memory in the budget, and a board that cannot hold it does not boot', () => {
    const b = oven('firewall-id', { hotSpare: true, appMiB: 10 });
    expect(memoryBudget(b)).toMatchObject({ spareMiB: 10, totalMiB: 16 + 10 + 10 + 2, fits: true });
    const tight = oven('firewall-id', { hotSpare: true, appMiB: 30 }); // 16 + 30 + 30 + 2 = 78 > 64
    expect(check(tight).find((d) => d.rule === 'memory-budget')?.message).toContain('turn the hot spare off');
    expect(new Simulation(tight).powerOn().map((d) => d.rule)).toContain('memory-budget');
  });
});

describe('board settings for refresh', () => {
  it('round-trip through the board file; a bad schedule is reported with the fix', () => {
    const b = oven('firewall-id', { hotSpare: true, refresh: { measureEverySeconds: 30, parts: [{ part: 'kernel', randomSeconds: [90, 30] }] } });
    const back = parseBoardFile(serializeBoard(b));
    expect(back.ok && back.board.vms.app).toEqual(b.vms.app);
    expect(check(b).find((d) => d.rule === 'refresh-schedule')?.message).toContain('put the smaller number first');
    const bad = JSON.parse(serializeBoard(b));
    bad.vms.app.refresh.parts[0].part = 'firmware';
    const r = parseBoardFile(JSON.stringify(bad));
    expect(r.ok).toBe(false);
  });
});

describe('a hang', () => {
  it('is on the timeline at once, known by nobody; the watchdog acts 5 s later', () => {
    const sim = booted(oven());
    const t0 = sim.now;
    const events = run(sim, 'app', 'attack hang').events;
    const hang = events.find((e) => e.type === 'vm.hang')!;
    expect(hang).toMatchObject({ vm: 'app', knownBy: [] });
    expect(hang.t - t0).toBeLessThan(100);
    expect(events.find((e) => e.type === 'vm.refresh')).toMatchObject({ reason: 'hang' });
  });
});

describe('keys typed while a guest is down', () => {
  const appText = (sim: Simulation) => stripAnsi(sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join(''));

  it('before the VMM has started it: its console keeps them, and its shell reads them after the first prompt', () => {
    const sim = new Simulation(oven(), { seed: 1 });
    sim.powerOn();
    expect(sim.guests.app.state).toBe('off'); // the VMM starts it 900 ms after the system VM
    sim.keys('app', 'uname -m\r');
    sim.settle();
    expect(appText(sim)).toMatch(/root@app-vm:~# uname -m\r?\narmv7l\r?\nroot@app-vm:~# $/);
  });

  it('crashed, until its refresh: the new shell reads them; what was typed before the crash is gone with the old one', () => {
    const sim = booted(oven());
    sim.drain();
    sim.keys('app', 'echo lost');
    sim.exec('app', 'attack crash');
    sim.advance(10);
    expect(sim.guests.app.state).toBe('crashed');
    sim.keys('app', 'echo kept\r');
    sim.settle();
    const text = appText(sim);
    expect(text).toMatch(/root@app-vm:~# echo kept\r?\nkept\r?\nroot@app-vm:~# $/);
    expect(text).not.toMatch(/^lost\r?$/m); // echoed as it was typed, never run
    expect(text).not.toContain('lostecho');
  });

  it('hung, or on a board powered off, nothing reads them and nothing keeps them', () => {
    const sim = booted(oven());
    sim.exec('app', 'attack hang');
    sim.advance(10);
    expect(sim.guests.app.state).toBe('hung');
    sim.keys('app', 'echo never\r');
    sim.settle();
    expect(appText(sim)).not.toContain('never');
    sim.powerOff();
    sim.keys('app', 'echo never\r');
    sim.powerOn();
    sim.settle();
    expect(appText(sim)).not.toContain('never');
  });

  it('keeps at most 4,096 characters, as a tty\'s input buffer: the first ones', () => {
    const sim = new Simulation(oven(), { seed: 1 });
    sim.powerOn();
    sim.keys('app', `echo ${'a'.repeat(5000)}`);
    sim.keys('app', 'b\r');
    sim.settle();
    const text = appText(sim);
    expect(text).toContain(`echo ${'a'.repeat(4091)}`);
    expect(text).not.toContain('a'.repeat(4092));
    expect(text).not.toContain(`${'a'.repeat(100)}b`);
  });
});

describe('update timing: the application VM asks, the system VM decides', () => {
  it('a hold asked over vsock delays the restart into an applied update until it ends', () => {
    const sim = booted(oven());
    const asked = run(sim, 'app', 'update timing hold 30');
    expect(asked.text).toContain('held until');
    expect(asked.events.find((e) => e.type === 'vsock.request')).toMatchObject({ op: 'update-timing', verdict: 'ok' });
    const applied = run(sim, 'system', 'update apply system-os-2.0');
    expect(applied.text).toContain('asked to hold restarts');
    expect(applied.events.map((e) => e.type)).not.toContain('vm.stop');
    sim.advance(29 * 60_000);
    expect(sim.drain().events.map((e) => e.type)).not.toContain('vm.stop');
    sim.advance(2 * 60_000);
    sim.settle();
    const later = sim.drain().events;
    expect(later.find((e) => e.type === 'vm.stop')).toMatchObject({ vm: 'system' });
    expect(run(sim, 'system', 'cat /etc/os-release').text).toContain('2.0');
  });

  it('without a hold the restart is at once; a hold past the limit is refused; the app VM cannot apply updates', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'update timing hold 9999').events.find((e) => e.type === 'vsock.request')).toMatchObject({ verdict: 'refused' });
    expect(run(sim, 'app', 'update apply system-os-2.0').text).toContain('updates are applied by the system VM');
    expect(run(sim, 'system', 'update apply system-os-2.0').events.map((e) => e.type)).toContain('vm.stop');
  });

  it('a hold without a number of minutes is a mistake in the request, said as one, and nothing is sent', () => {
    const sim = booted(oven());
    for (const [line, why] of [['update timing hold', 'for how many minutes?'], ['update timing hold abc', "'abc' is not a whole number of minutes"]] as const) {
      const r = run(sim, 'app', line);
      expect(r.text, line).toContain(`update timing hold: ${why} — e.g. 'update timing hold 30' (updated grants 1 to 240)`);
      expect(r.events.map((e) => e.type), line).not.toContain('vsock.request');
    }
  });

  it('in the system VM it only shows the hold: arguments are refused with what to type instead, and nothing is held', () => {
    const sim = booted(oven());
    for (const line of ['update timing hold 5', 'update timing release']) {
      const r = run(sim, 'system', line);
      expect(r.text, line).toContain(`update: a hold is the application VM's request — type '${line}' in the Application VM console; `
        + `in the System VM 'update timing' takes no arguments and shows what updated holds`);
      expect(r.text, line).not.toContain('no hold');
      expect(r.events.map((e) => e.type), line).not.toContain('vsock.request');
    }
    expect(run(sim, 'system', 'update timing soon').text).toContain(
      `update: 'update timing' takes no arguments in the System VM (it shows what updated holds) — not 'soon'`);
    expect(run(sim, 'system', 'update timing').text).toContain('updated: no hold');
  });

  it('while the system VM is down, nobody answers', () => {
    const sim = booted(oven());
    sim.exec('system', 'attack crash');
    const r = run(sim, 'app', 'update timing hold 10');
    expect(r.events.find((e) => e.type === 'vsock.request')).toMatchObject({ verdict: 'no-answer' });
  });
});
