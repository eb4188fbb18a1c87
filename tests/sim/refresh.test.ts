import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index.ts';
import { booted, oven, run } from './helpers.ts';

describe('refreshing the application VM from its master image', () => {
  it('every hour for 24 hours: 24 scheduled refreshes, and /data survives each one', () => {
    const sim = booted(oven('firewall-id', { refresh: { everySeconds: 3600 } }));
    run(sim, 'app', 'echo 42 > /data/counter');
    run(sim, 'app', 'echo scratch > /root/scratch');
    sim.advance(24 * 3600 * 1000);
    sim.settle();
    const refreshes = sim.drain().events.filter((e) => e.type === 'vm.refresh');
    expect(refreshes).toHaveLength(24);
    expect(refreshes.every((e) => e.vm === 'app' && e.reason === 'schedule')).toBe(true);
    expect(run(sim, 'app', 'cat /data/counter').text).toContain('42');
    expect(run(sim, 'app', 'cat /root/scratch').text).toContain('No such file');
  });

  it('a refresh names the files /data kept (not the scratch files outside it, nor code taken out of /data)', () => {
    const sim = booted(oven());
    run(sim, 'app', 'echo mine > /data/note.txt');
    run(sim, 'app', 'echo scratch > /root/scratch');
    run(sim, 'app', 'echo "#!/bin/sh" > /data/autorun.sh');
    const { events } = run(sim, 'system', 'vmm refresh app');
    const refresh = events.find((e) => e.type === 'vm.refresh' && e.vm === 'app')!;
    expect(refresh.dataKept).toContain('/data/note.txt');
    expect(refresh.dataKept).not.toContain('/data/autorun.sh');
    expect(run(sim, 'app', 'cat /data/note.txt').text).toContain('mine');
  });

  it('no schedule, no scheduled refresh', () => {
    const sim = booted(oven());
    sim.advance(24 * 3600 * 1000);
    expect(sim.drain().events.filter((e) => e.type === 'vm.refresh')).toEqual([]);
  });

  it('vmm refresh app is a manual refresh; vmm stop and start stop and boot it', () => {
    const sim = booted(oven());
    expect(run(sim, 'system', 'vmm refresh app').events[0]).toMatchObject({ type: 'vm.refresh', vm: 'app', reason: 'manual' });
    expect(run(sim, 'system', 'vmm stop app').events).toEqual([expect.objectContaining({ type: 'vm.stop', vm: 'app' })]);
    expect(sim.status()[1].state).toBe('stopped');
    expect(run(sim, 'system', 'vmm start app').events).toEqual([expect.objectContaining({ type: 'vm.boot', vm: 'app' })]);
  });

  it('power off stops every VM with vm.stop; nothing is left scheduled', () => {
    const sim = booted(oven('firewall-id', { refresh: { everySeconds: 60 } }));
    sim.powerOff();
    expect(sim.drain().events.map((e) => `${e.type}:${e.vm}`)).toEqual(['vm.stop:system', 'vm.stop:app', 'vm.stop:rt']);
    expect(sim.nextEventTime()).toBeNull();
    expect(sim.status().every((s) => s.state === 'off')).toBe(true);
  });

  it('fast-forwarding: the skip lands on the next scheduled event, two hours ahead', () => {
    // secmon's measurements (every 10 s by default) are scheduled events too: measure every 3 hours here.
    const sim = booted(oven('firewall-id', { refresh: { everySeconds: 7200, measureEverySeconds: 3 * 3600 } }));
    const next = sim.nextEventTime()!;
    sim.runToNextEvent();
    expect(sim.now).toBe(next);
    expect(sim.drain().events[0]).toMatchObject({ type: 'vm.refresh', reason: 'schedule' });
  });

  it('"skip to next event" passes over background traffic and stops at the next thing on the timeline', () => {
    const sim = new Simulation(oven('firewall-id', { refresh: { everySeconds: 3600 } }), { seed: 1, background: true });
    sim.powerOn();
    sim.settle();
    sim.drain();
    expect(sim.nextEventTime()! - sim.now).toBeLessThan(1000); // traffic every second
    expect(sim.skipToNextEvent()).toBe(3_600_000);
    expect(sim.now).toBe(3_600_000);
    expect(sim.drain().events[0]).toMatchObject({ type: 'vm.refresh', reason: 'schedule' });
  });

  it('"skip to next event" with nothing ahead moves on by the horizon and says so', () => {
    const sim = new Simulation(oven(), { seed: 1, background: true });
    sim.powerOn();
    sim.settle();
    const from = sim.now;
    expect(sim.skipToNextEvent(3_600_000)).toBeNull();
    expect(sim.now).toBe(from + 3_600_000);
  });
});

describe('what a refresh resets, and who performs it', () => {
  it('a refresh starts the VM with fresh RAM: what the old life wrote there is gone', () => {
    const sim = booted(oven());
    run(sim, 'app', 'poke app-ram 0x1234 0x40');
    expect(run(sim, 'app', 'peek app-ram 0x40').text).toContain('0x00001234');
    run(sim, 'system', 'vmm refresh app');
    sim.settle();
    expect(run(sim, 'app', 'peek app-ram 0x40').text).not.toContain('0x00001234');
  });

  it('a reboot starts the shell in the home directory again', () => {
    const sim = booted(oven());
    run(sim, 'app', 'cd /tmp');
    run(sim, 'app', 'reboot');
    sim.settle();
    expect(run(sim, 'app', 'pwd').text).toContain('pwd\n/root\n');
  });

  it('the VMM lives in the system VM: an application VM that crashes while the system VM is down waits for it', () => {
    const sim = booted(oven());
    sim.crashVm('system', 'test');
    sim.crashVm('app', 'test');
    sim.settle();
    const events = sim.drain().events;
    const systemBack = events.find((e) => e.type === 'vm.boot' && e.vm === 'system')!;
    const appRefresh = events.find((e) => e.type === 'vm.refresh' && e.vm === 'app')!;
    expect(systemBack).toBeDefined();
    expect(appRefresh).toMatchObject({ reason: 'crash' });
    expect(appRefresh.t).toBeGreaterThanOrEqual(systemBack.t);
  });
});

describe('pausing a VM', () => {
  it('says how: a VM\'s virtual CPUs are descheduled; the real-time core, with no hypervisor above it, is halted through its debug port', () => {
    const sim = booted(oven());
    const app = run(sim, 'system', 'vmm pause app');
    expect(app.text).toContain('its virtual CPUs are no longer scheduled, its memory and state are kept');
    expect(app.events[0]!.message).toContain('its virtual CPUs are no longer scheduled');
    const rt = run(sim, 'system', 'vmm pause rt');
    expect(rt.text).toContain('its core is halted through its debug port (DHCSR C_HALT), its memory and registers kept; its control loop stops meanwhile');
    expect(rt.text).not.toContain('CPUs');
  });


  it('vmm pause freezes the application VM mid-command; vmm resume lets it finish, and what was typed meanwhile runs after', () => {
    const sim = booted(oven());
    sim.exec('app', 'ping updates.vendor.example');
    sim.advance(10);
    expect(run(sim, 'system', 'vmm pause app').events).toEqual([expect.objectContaining({ type: 'vm.pause', vm: 'app' })]);
    expect(sim.status().find((s) => s.vm === 'app')!.state).toBe('paused');
    sim.exec('app', 'echo typed-while-paused');
    sim.advance(60_000);
    const frozen = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(frozen).not.toContain('typed-while-paused');
    expect(frozen).not.toContain('3 sent');

    sim.exec('system', 'vmm resume app');
    sim.settle();
    const out = sim.drain();
    expect(out.events[0]).toMatchObject({ type: 'vm.resume', vm: 'app' });
    const after = out.console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(after).toContain('3 sent');
    expect(after.indexOf('typed-while-paused')).toBeGreaterThan(after.indexOf('3 sent'));
    expect(run(sim, 'system', 'vmm resume app').text).toContain('not paused');
  });
});
