// A refreshed application VM boots with `quiet`: its console keeps what led to the refresh in view.
import { describe, expect, it } from 'vitest';
import { Simulation, stripAnsi } from '../../src/sim/index.ts';
import { oven, run } from './helpers.ts';

/** What the application VM's console printed since the last drain, as plain text. */
const appConsole = (sim: Simulation) => stripAnsi(sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join(''));

/** Types `line` into the system VM's console and lets everything it starts finish. */
function system(sim: Simulation, line: string): void {
  sim.exec('system', line);
  sim.settle();
}

describe('the refreshed kernel boots quiet', () => {
  it('the first boot prints every line; a refresh prints its line and the image check, and dmesg keeps the rest', () => {
    const sim = new Simulation(oven(), { seed: 1 });
    sim.powerOn();
    sim.settle();
    const first = appConsole(sim);
    expect(first).toContain('Booting Linux');
    expect(first).toContain('device-app: started');

    system(sim, 'vmm refresh app');
    const after = appConsole(sim);
    expect(after).toContain('[vmm] refreshing Application VM from its master image (manual); its kernel boots with `quiet`');
    expect(after).toMatch(/verify: \d+ signed fragments of app-os/);
    expect(after).not.toContain('Booting Linux');
    expect(after).not.toContain('device-app: started');
    expect(after).toMatch(/root@app-vm:~# $/);

    const dmesg = run(sim, 'app', 'dmesg').text;
    expect(dmesg).toContain('Booting Linux');
    // The kernel's log starts with the kernel: the image check before it is not in it, and its clock starts near 0.
    expect(dmesg).not.toContain('verify:');
    expect(dmesg).toMatch(/^\[\s+0\.0[0-4]\d{4}\] Booting Linux/m);
    expect(dmesg).toContain('device-app: started');
  });

  it('reloading the kernel alone boots it quiet too', () => {
    const sim = new Simulation(oven(), { seed: 1 });
    sim.powerOn();
    sim.settle();
    sim.drain();
    system(sim, 'vmm refresh app --part kernel');
    const after = appConsole(sim);
    expect(after).toContain('[vmm] reloading the kernel from the master image (manual); it boots with `quiet`');
    expect(after).not.toContain('Booting Linux');
    expect(after).toMatch(/root@app-vm:~# $/);
  });
});

describe('the real-time container has no Linux kernel to boot quiet', () => {
  it('its refresh line says nothing of a kernel, and its RTOS prints its start as on the first boot', () => {
    const sim = new Simulation(oven(), { seed: 1 });
    sim.powerOn();
    sim.settle();
    const first = stripAnsi(sim.drain().console.filter((c) => c.vm === 'rt').map((c) => c.text).join(''));
    system(sim, 'vmm refresh rt');
    const after = stripAnsi(sim.drain().console.filter((c) => c.vm === 'rt').map((c) => c.text).join(''));
    expect(after).toContain('[vmm] refreshing Real-time container from its master image (manual)');
    expect(after).not.toMatch(/kernel|quiet|dmesg/);
    // The RTOS's own start lines, as the first boot printed them.
    const firstLine = first.split('\r\n').find((l) => l.trim() !== '')!;
    expect(after).toContain(firstLine);
  });
});
