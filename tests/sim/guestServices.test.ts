import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index.ts';
import type { Board } from '../../src/model/types.ts';
import { appsBoard, booted, makeBoard, oven, run } from './helpers.ts';

const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('updates from signed, merged image fragments', () => {
  it('a bad signature or overlapping fragments are rejected and change nothing', () => {
    const sim = booted(oven());
    const bad = run(sim, 'system', 'update apply system-os-2.0-badsig');
    expect(bad.events).toEqual([expect.objectContaining({ type: 'update.rejected', vm: 'system', bundle: 'system-os-2.0-badsig', reason: expect.stringMatching(/system-net-2.0: its signature does not verify/) })]);
    const overlap = run(sim, 'system', 'update apply system-os-2.0-overlap');
    expect(overlap.events).toEqual([expect.objectContaining({ type: 'update.rejected', reason: expect.stringMatching(/\/usr\/lib\/libnet\.so/) })]);
    expect(run(sim, 'system', 'update list').text).toContain('system-net-1.0');
    expect(run(sim, 'system', 'uname -a').text).toContain('6.6.30-sys');
  });

  it('a valid system-OS update switches the boot configuration and restarts only the system VM', () => {
    const sim = booted(oven());
    const appUptime = sim.status()[1].uptimeMs;
    const { events } = run(sim, 'system', 'update apply system-os-2.0');
    expect(types(events)).toEqual(['update.applied', 'vm.stop', 'update.boot-attempt', 'vm.boot']);
    expect(events.every((e) => e.vm === 'system')).toBe(true);
    expect(run(sim, 'system', 'uname -a').text).toContain('6.6.45-sys');
    expect(run(sim, 'app', 'uname -a').text).toContain('5.15.148-devicemaker');
    expect(sim.status()[1].uptimeMs).toBeGreaterThan(appUptime);
  });
});

describe('booting from verified fragments', () => {
  it('each Linux VM mounts the volume composed from its boot configuration, an overlay, and /data in the application VM', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'cat /etc/os-release').text).toContain('VERSION="5.2"');
    const mounts = run(sim, 'app', 'mount').text;
    expect(mounts).toContain('fragments on /sysroot type merged (ro,verified,fragments=app-kernel-5.15.148-devicemaker:app-base-5.2:app-device-5.2:app-browser-1.4:app-media-player-2.1)');
    // The oven of the tests has no flash: /data is a RAM file system (tests/sim/storage: on vda when flash0 is shared).
    expect(mounts).toContain('tmpfs on /data type tmpfs');
    expect(run(sim, 'system', 'mount').text).not.toContain('/data');
    run(sim, 'app', 'echo hello > /tmp/note');
    expect(run(sim, 'app', 'cat /tmp/note').text).toContain('hello');
    // tmpfs defaults to half of the RAM the kernel manages (MemTotal, what the boot log and free
    // report), not of the VM's RAM: that is less the kernel image and the reserved regions.
    const memTotal = (s: Simulation, vm: 'system' | 'app') => Number(/Memory: (\d+)K\//.exec(run(s, vm, 'dmesg').text)![1]);
    const overlay = (s: Simulation, vm: 'system' | 'app') => Number(/^overlay\s+(\d+)\s/m.exec(run(s, vm, 'df').text)![1]);
    for (const vm of ['system', 'app'] as const) {
      expect(overlay(sim, vm)).toBe(memTotal(sim, vm) / 2);
      expect(overlay(sim, vm)).toBeLessThan(sim.board.vms[vm].memoryMiB * 1024 / 2);
    }
    const mcu = booted(oven('firewall-id', { soc: 'mcu-16', systemMiB: 4, appMiB: 6 }));
    expect(overlay(mcu, 'system')).toBe(memTotal(mcu, 'system') / 2);
    expect(run(sim, 'rt', 'mount').text).toContain('mount: not in the Real-time container — it is a command of the System VM and the Application VM; type it in the System VM or the Application VM console');
    expect(run(sim, 'system', 'launch browser').text).toContain('launch: not in the System VM — it is a command of the Application VM; type it in the Application VM console');
  });

  /** Boots the board; the image check's line of each VM, as its console showed it (it runs before the kernel, so it is not in dmesg). */
  const bootedWithLog = (board: Board) => {
    const sim = new Simulation(board, { seed: 1 });
    sim.powerOn();
    sim.settle();
    const text = sim.drain().console;
    return Object.assign(sim, {
      verifyLine: (vm: 'system' | 'app') => text.filter((c) => c.vm === vm).map((c) => c.text).join('').split(/\r?\n/).find((l) => l.startsWith('verify:'))!,
    });
  };

  it('verification takes simulated time: a crypto accelerator makes the system VM boot sooner', () => {
    const bootAt = (withAccel: boolean) => {
      const board = oven();
      if (withAccel) board.components.push({ id: 'crypto0', kind: 'crypto-accelerator', domain: 'system' } as (typeof board.components)[number]);
      const sim = bootedWithLog(board);
      const line = sim.verifyLine('system');
      return { ms: Number(/checked in ([\d.]+) ms/.exec(line)![1]), line };
    };
    const [soft, accel] = [bootAt(false), bootAt(true)];
    expect(soft.line).toContain('in software (no crypto accelerator)');
    expect(accel.line).toContain('by the crypto accelerator crypto0');
    expect(soft.ms).toBeGreaterThan(accel.ms * 5);
  });

  it('without a security processor the board still boots, and the boot line says where the key is kept instead', () => {
    const board = oven();
    board.components = board.components.filter((c) => c.kind !== 'security-processor');
    const sim = bootedWithLog(board);
    expect(sim.guests.system.state).toBe('running');
    expect(sim.verifyLine('system')).toContain('held by the system VM\'s own flash (no security processor in the system VM');
  });

  it('a paravirtualized security processor: the boot line says the system VM drives it for both VMs and does not keep the key in it', () => {
    const board = oven();
    board.components = board.components.map((c) => (c.kind === 'security-processor' ? { ...c, domain: 'shared' as const } : c));
    const sim = bootedWithLog(board);
    for (const vm of ['system', 'app'] as const) {
      const line = sim.verifyLine(vm);
      expect(line).not.toContain('no security processor');
      expect(line).toContain('held by the system VM\'s own flash (security processor sec0 is paravirtualized: the system VM drives it '
        + 'and serves the application VM\'s requests to it over vsock, so it does not hold the vendor key, which is only as safe as the flash)');
    }
  });

  it('a security processor or crypto accelerator passed to the application VM does not serve the system VM\'s image checks', () => {
    const board = oven();
    board.components = board.components.filter((c) => c.kind !== 'security-processor');
    board.components.push({ id: 'sec9', kind: 'security-processor', domain: 'app' }, { id: 'crypto0', kind: 'crypto-accelerator', domain: 'app' } as (typeof board.components)[number]);
    const sim = bootedWithLog(board);
    for (const vm of ['system', 'app'] as const) {
      const line = sim.verifyLine(vm);
      expect(line).toContain('in software (no crypto accelerator in the system VM: crypto0 is in the Application VM)');
      expect(line).toContain('held by the system VM\'s own flash (no security processor in the system VM');
      expect(line).not.toContain('sec9');
    }
  });

  it('an update whose init is broken panics, is retried, and falls back to the last known-good image by itself, with no watchdog: panic=2 resets it', () => {
    const sim = booted(oven());
    expect(sim.systemWatchdog()).toBeUndefined();
    const { events } = run(sim, 'system', 'update apply system-os-2.0-badboot');
    sim.settle(60_000);
    const all = [...events, ...sim.drain().events];
    expect(all.filter((e) => e.type === 'update.boot-attempt').map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(all).toContainEqual(expect.objectContaining({ type: 'update.rollback', reason: 'boot-failed', to: 'system-os-1.0' }));
    // the rollback follows the third failed boot, and that last failure does not promise another try
    const crashes = all.filter((e) => e.type === 'vm.crash');
    expect(crashes).toHaveLength(3);
    expect(all.indexOf(crashes[2]!)).toBeLessThan(all.findIndex((e) => e.type === 'update.rollback'));
    expect(crashes.map((e) => e.message.endsWith('the bootloader tries again.'))).toEqual([true, true, false]);
    expect(crashes[2]!.message).toContain('the bootloader boots the last known-good system-os-1.0');
    for (const c of crashes) expect(c.message).toContain('its kernel asks the hypervisor for a reset after 2 s (panic=2 on its command line)');
    expect(sim.guests.system.state).toBe('running');
    expect(run(sim, 'system', 'uname -a').text).toContain('6.6.30-sys');
  });

  it('update rollback returns to the previous configuration, refused when there is none', () => {
    const sim = booted(oven());
    expect(run(sim, 'system', 'update rollback').text).toContain('there is no previous configuration');
    run(sim, 'system', 'update apply system-os-2.0');
    const back = run(sim, 'system', 'update rollback');
    expect(back.events).toEqual([expect.objectContaining({ type: 'update.rollback', reason: 'manual', to: 'system-os-1.0' })]);
    run(sim, 'system', 'reboot');
    expect(run(sim, 'system', 'uname -a').text).toContain('6.6.30-sys');
  });
});

describe('measurement, the /data scan and the quarantine', () => {
  it('secmon finds a file changed outside /data at its next measurement, with no attack to tell it', () => {
    const sim = booted(oven());
    run(sim, 'app', 'echo scratch > /root/notes');
    expect(sim.drain().events.map((e) => e.type)).not.toContain('integrity.violation');
    const t0 = sim.now;
    const { events } = run(sim, 'app', 'echo payload > /usr/bin/backdoor');
    const v = events.find((e) => e.type === 'integrity.violation');
    expect(v).toMatchObject({ vm: 'app', detectedBy: 'secmon', findings: ['added /usr/bin/backdoor'] });
    expect(v!.t - t0).toBeLessThanOrEqual(10_000);
    expect(events.find((e) => e.type === 'vm.refresh')).toMatchObject({ vm: 'app', reason: 'compromise' });
    expect(run(sim, 'app', 'ls /usr/bin').text).not.toContain('backdoor');
  });

  it('with the refresh policy off, a change is reported once and the VM keeps running changed', () => {
    const sim = booted(oven('firewall-id', { refresh: { onCompromise: false } }));
    const events = run(sim, 'app', 'echo payload > /usr/bin/backdoor').events;
    sim.advance(60_000);
    events.push(...sim.drain().events);
    expect(events.filter((e) => e.type === 'integrity.violation')).toHaveLength(1);
    expect(events.map((e) => e.type)).not.toContain('vm.refresh');
    expect(run(sim, 'app', 'cat /usr/bin/backdoor').text).toContain('payload');
  });

  it('vmm verify app finds a file changed outside /data and /tmp; the refresh policy then applies', () => {
    // secmon's own schedule is an hour away here, so the measurement on demand is the one that finds it.
    const sim = booted(oven('firewall-id', { refresh: { measureEverySeconds: 3600 } }));
    run(sim, 'app', 'echo note > /tmp/note');
    run(sim, 'app', 'echo hello > /data/hello.txt');
    expect(run(sim, 'system', 'vmm verify app').text).toMatch(/integrity: \d+ files match the recorded hashes of app-os-5.2/);
    run(sim, 'app', 'echo planted > /usr/bin/evil');
    const { text, events } = run(sim, 'system', 'vmm verify app');
    expect(text).toContain('added    /usr/bin/evil');
    expect(events.map((e) => e.type)).toEqual(['integrity.violation', 'vm.refresh', 'vm.boot']);
    expect(run(sim, 'app', 'ls /usr/bin').text).not.toContain('evil');
    expect(run(sim, 'app', 'cat /data/hello.txt').text).toContain('hello');
  });

  it('a refresh moves an autostart entry out of /data into quarantine, and restore puts it back', () => {
    const sim = booted(oven());
    run(sim, 'app', 'echo start-me > /data/autorun.sh');
    const { events } = run(sim, 'system', 'vmm refresh app');
    expect(events).toContainEqual(expect.objectContaining({ type: 'data.quarantined', path: '/data/autorun.sh' }));
    expect(run(sim, 'app', 'ls /data').text).not.toContain('autorun.sh');
    expect(run(sim, 'system', 'vmm quarantine list').text).toContain('/data/autorun.sh');
    expect(run(sim, 'system', 'vmm quarantine restore /data/autorun.sh').text).toContain('restored to /data');
    expect(run(sim, 'app', 'cat /data/autorun.sh').text).toContain('start-me');
    expect(run(sim, 'system', 'vmm quarantine list').text).toContain('quarantine is empty');
  });
});

describe('the supervisor launches apps one at a time', () => {
  it('stuck-app times out after ten seconds, then the next app launches with its own unique id', () => {
    const sim = booted(appsBoard());
    const { events } = run(sim, 'app', 'launch browser stuck-app media-player');
    expect(types(events)).toEqual(['app.launch', 'app.timeout', 'app.launch']);
    expect(events[0]).toMatchObject({ app: 'browser', appId: 'app-0001', trusted: false, container: 'c1' });
    expect(events[1]).toMatchObject({ app: 'stuck-app', appId: 'app-0002' });
    expect(events[2]).toMatchObject({ app: 'media-player', appId: 'app-0003', trusted: true });
    expect(events[2].t - events[1].t).toBeLessThan(1000);
    expect(events[1].t - events[0].t).toBeGreaterThanOrEqual(10_000);
  });

  it('on a SoC without a DSP, an app needing a decoder is refused and says the SoC has none, not to assign one', () => {
    const sim = booted(oven());
    const { text, events } = run(sim, 'app', 'launch media-player');
    expect(events).toEqual([expect.objectContaining({ type: 'app.rejected', vm: 'app', app: 'media-player', reason: 'resources', resource: 'decoder' })]);
    expect(text).toContain('no decoder on this board for the application VM: this SoC (IoT A7+M4) has no DSP the application VM could use, so an app that needs one cannot run on it');
    expect(text).not.toContain('assign a DSP');
  });

  it('fix advice names only blocks the SoC has: a display on mcu-16 does not exist, Wi-Fi does', () => {
    const sim = booted(makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }], { soc: 'mcu-16', systemMiB: 4, appMiB: 6 }));
    const text = run(sim, 'app', 'launch browser').text;
    expect(text).toContain('this SoC (MCU-16) has no display the application VM could use');
    expect(text).not.toContain('assign a display');
  });
});

describe('32-bit programs through the kernel-call emulator', () => {
  it('hello32 runs on the i386 interpreter; each kernel call is an emu.call event', () => {
    const sim = booted(oven());
    const hello = run(sim, 'app', 'run32 hello32');
    expect(hello.text).toMatch(/Hello from a 32-bit program: hello32, pid \d+/);
    expect(hello.text).toContain('needs the CPU simulator and the kernel-call layer');
    expect(hello.text).toContain('exited with status 0');
    const calls = hello.events.filter((e) => e.type === 'emu.call');
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.map((e) => e.call)).toContain('write');
    expect(calls.every((e) => e.vm === 'app' && e.program === 'hello32')).toBe(true);
  });

  it('badptr32 gets EFAULT, as from the kernel, and goes on to print its own error', () => {
    const sim = booted(oven());
    const bad = run(sim, 'app', 'run32 badptr32');
    const faults = bad.events.filter((e) => e.type === 'emu.fault');
    expect(faults.map((e) => e.kind)).toEqual(['efault', 'efault']);
    expect(bad.text).toContain('write: Bad address (EFAULT)');
    expect(bad.text).toContain('exited with status 1');
  });

  it('--trace shows the thunk with 32-bit registers on a 32-bit host and x registers on the 64-bit gateway', () => {
    const arm32 = run(booted(oven()), 'app', 'run32 --trace hello32').text;
    expect(arm32).toContain('Linux i386 int 0x80: eax=');
    expect(arm32).toContain('Linux Arm EABI svc #0: r7=');
    expect(arm32).not.toMatch(/\bx0=/);
    const gateway = makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 });
    const arm64 = run(booted(gateway), 'app', 'run32 --trace hello32').text;
    expect(arm64).toContain('Linux AArch64 svc #0: x8=');
  });

  it('a program run in the background is listed by ps while it runs, and gone when it ends', () => {
    const sim = booted(oven());
    run(sim, 'app', 'run32 sum32 &');
    expect(run(sim, 'app', 'ps').text).toContain('run32 sum32');
    sim.advance(1000);
    expect(run(sim, 'app', 'ps').text).not.toContain('run32 sum32');
  });
});
