import { describe, expect, it } from 'vitest';
import { appsBoard, booted, makeBoard, oven, run } from './helpers.ts';

const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('updates from signed, merged image fragments', () => {
  it('a bad signature or overlapping fragments are rejected and change nothing', () => {
    const sim = booted(oven());
    const bad = run(sim, 'system', 'update apply system-os-2.0-badsig');
    expect(bad.events).toEqual([expect.objectContaining({ type: 'update.rejected', vm: 'system', reason: 'bad-signature' })]);
    const overlap = run(sim, 'system', 'update apply system-os-2.0-overlap');
    expect(overlap.events).toEqual([expect.objectContaining({ type: 'update.rejected', reason: 'overlap' })]);
    expect(run(sim, 'system', 'update list').text).toContain('system-net-1.0');
    expect(run(sim, 'system', 'uname -a').text).toContain('6.6.30-sys');
  });

  it('a valid system-OS update switches the boot configuration and restarts only the system VM', () => {
    const sim = booted(oven());
    const appUptime = sim.status()[1].uptimeMs;
    const { events } = run(sim, 'system', 'update apply system-os-2.0');
    expect(types(events)).toEqual(['update.applied', 'vm.stop', 'vm.boot']);
    expect(events.every((e) => e.vm === 'system')).toBe(true);
    expect(run(sim, 'system', 'uname -a').text).toContain('6.6.45-sys');
    expect(run(sim, 'app', 'uname -a').text).toContain('5.15.148-devicemaker');
    expect(sim.status()[1].uptimeMs).toBeGreaterThan(appUptime);
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

  it('without a DSP passed to the app VM, an app needing a decoder is refused and says what to assign', () => {
    const sim = booted(oven());
    const { text, events } = run(sim, 'app', 'launch media-player');
    expect(events).toEqual([expect.objectContaining({ type: 'app.rejected', vm: 'app', app: 'media-player', reason: 'resources', resource: 'decoder' })]);
    expect(text).toContain('assign a DSP to the application VM');
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
