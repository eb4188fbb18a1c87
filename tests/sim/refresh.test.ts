import { describe, expect, it } from 'vitest';
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

  it('fast-forwarding hours is cheap: the skip lands on the next scheduled event', () => {
    const sim = booted(oven('firewall-id', { refresh: { everySeconds: 7200 } }));
    const next = sim.nextEventTime()!;
    sim.runToNextEvent();
    expect(sim.now).toBe(next);
    expect(sim.drain().events[0]).toMatchObject({ type: 'vm.refresh', reason: 'schedule' });
  });
});
