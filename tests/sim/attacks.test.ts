import { describe, expect, it } from 'vitest';
import { booted, makeBoard, oven, run } from './helpers.ts';
import { Simulation, stripAnsi } from '../../src/sim/index.ts';
import type { Board } from '../../src/model/types.ts';

const types = (events: { type: string }[]) => events.map((e) => e.type);
const status = (sim: ReturnType<typeof booted>, vm: string) => sim.status().find((s) => s.vm === vm)!;

describe('attack dma-escape', () => {
  it('on a protected board the DMA firewall identity stops it, and says so', () => {
    const sim = booted(oven('firewall-id'));
    const { text, events } = run(sim, 'app', 'attack dma-escape');
    expect(text).toContain('STOPPED by the firewall: dma0 has its own firewall identity');
    // In the words of the Inspector, not the board file's value ("firewall-id").
    expect(text).not.toContain('firewall-id');
    expect(types(events)).toEqual(['firewall.deny', 'dma.blocked']);
    expect(status(sim, 'system').compromised).toBe(false);
  });

  it('on an unprotected board it gets through, and names the hole', () => {
    const sim = booted(oven('none'));
    const { text, events } = run(sim, 'app', 'attack dma-escape');
    expect(text).toContain('GOT THROUGH');
    expect(text).toContain('dma0 has no firewall identity');
    expect(types(events)).toContain('dma.escape');
    expect(status(sim, 'system').compromised).toBe(true);
  });

  it('a reboot clears a compromise that lived in RAM, or in the overlay over the verified root; the mark follows the measurement', () => {
    const sim = booted(oven('none'));
    run(sim, 'app', 'attack dma-escape');
    expect(status(sim, 'system').compromised).toBe(true);
    sim.advance(1000);
    run(sim, 'system', 'reboot');
    sim.advance(10_000);
    expect(status(sim, 'system')).toMatchObject({ state: 'running', compromised: false });
    expect(run(sim, 'system', 'vmm list').text).not.toContain('COMPROMISED');
    // The malware's binary, dropped outside /data, is in the overlay over the verified root, which a
    // boot starts afresh: after a reboot it is gone, and the measurement finds nothing.
    const app = booted(oven('firewall-id', { refresh: { onCompromise: false } }));
    run(app, 'app', 'attack malware');
    app.advance(2000);
    expect(status(app, 'app').compromised).toBe(true);
    expect(app.measureGuest('app').findings).toEqual(['added /opt/apps/browser/bin/evil-updater']);
    run(app, 'app', 'reboot');
    app.advance(10_000);
    expect(app.measureGuest('app').findings).toEqual([]);
    expect(run(app, 'app', 'ls /opt/apps/browser/bin').text).not.toContain('evil-updater');
    expect(status(app, 'app')).toMatchObject({ state: 'running', compromised: false });
  });

  it('vmm list marks a VM COMPROMISED only once a measurement has told the system VM', () => {
    /** The VM's row and the lines under it that belong to it (indented), each within 60 columns. */
    const row = (sim: ReturnType<typeof booted>, vm: string) => {
      const lines = run(sim, 'system', 'vmm list').text.split('\n');
      const at = lines.findIndex((l) => l.startsWith(`${vm} `));
      const end = lines.findIndex((l, i) => i > at && !l.startsWith(' '));
      const mine = lines.slice(at, end);
      for (const l of mine) expect(l.length).toBeLessThanOrEqual(60);
      return mine.join('\n');
    };
    // No security processor in the system VM: nothing ever measures it, so its VMM never knows.
    const blind = booted(makeBoard([{ id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'none' }]));
    run(blind, 'app', 'attack dma-escape');
    expect(status(blind, 'system').compromised).toBe(true); // the timeline knows
    blind.advance(60_000);
    expect(row(blind, 'system')).not.toContain('COMPROMISED');
    // With one, the kernel measurement a moment later tells it.
    const seen = booted(oven('none'));
    seen.exec('app', 'attack dma-escape');
    seen.advance(100);
    expect(row(seen, 'system')).not.toContain('COMPROMISED');
    seen.advance(3000);
    expect(row(seen, 'system')).toContain('COMPROMISED');
  });

  it('with the IOMMU it faults', () => {
    const board = makeBoard([{ id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'iommu' }], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 });
    const { text, events } = run(booted(board), 'app', 'attack dma-escape');
    expect(text).toContain('STOPPED by the IOMMU');
    expect(types(events)).toContain('iommu.fault');
  });

  it('without a DMA engine the attack has no path', () => {
    const sim = booted(makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }]));
    expect(run(sim, 'app', 'attack dma-escape').text).toContain('the Application VM owns no DMA engine or bus-master peripheral, so the attack has no path — assign one to the Application VM (on IoT A7+M4: ');
  });

  it("from the application VM it never programs the real-time container's DMA engine", () => {
    const sim = booted(makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }, { id: 'dma0', kind: 'dma', domain: 'rt', dmaProtection: 'none' }]));
    const { text, events } = run(sim, 'app', 'attack dma-escape');
    expect(text).toContain('the Application VM owns no DMA engine or bus-master peripheral');
    expect(text).not.toContain('rt-ram');
    expect(events).toEqual([]);
    const named = run(sim, 'app', 'attack dma-escape dma0').text;
    expect(named).toContain('dma0 belongs to the Real-time container; only that environment can program it — type the attack in the Real-time container console');
    // typed where it belongs, it does get through
    expect(run(sim, 'rt', 'attack dma-escape').text).toContain('GOT THROUGH');
  });
});

describe('attack: what a console is told it can run', () => {
  it('with no name, each console lists the attacks it runs, and only those', () => {
    const sim = booted(oven('firewall-id'));
    expect(run(sim, 'rt', 'attack').text).toContain('in the Real-time container, one of dma-escape, crash, hang, oom');
    expect(run(sim, 'app', 'attack').text).toContain('in the Application VM, one of dma-escape, malware, crash, hang, oom');
    expect(run(sim, 'system', 'attack').text).toContain('in the System VM, one of crash, hang, oom');
  });

  it('vmm names a VM it does not know, and says which it does', () => {
    const sim = booted(oven('firewall-id'));
    expect(run(sim, 'system', 'vmm refresh nosuch').text).toContain("vmm: refresh: no VM 'nosuch' — app or rt (vmm list shows them)");
    expect(run(sim, 'system', 'vmm refresh').text).toContain('vmm: refresh which VM? (app or rt)');
  });

  it('given a block that cannot master the bus, dma-escape says so and sends nobody to another console', () => {
    const sim = booted(oven('firewall-id'));
    const text = run(sim, 'app', 'attack dma-escape spi1').text;
    expect(text).toContain('spi1 is a SPI, which cannot master the bus (no DMA)');
    expect(text).not.toContain('type the attack in');
  });
});

describe('attack malware', () => {
  it('on a protected board the firewall and networkd stop it, and the security monitor refreshes the VM', () => {
    const sim = booted(oven('firewall-id'));
    run(sim, 'app', 'echo keep > /data/mine');
    const { text, events } = run(sim, 'app', 'attack malware');
    expect(text).toContain('write to system-ram: STOPPED by stage-2 translation');
    expect(text).toContain('write to sec0 registers: STOPPED by stage-2 translation');
    expect(text).toContain('STOPPED by networkd');
    expect(types(events)).toEqual(expect.arrayContaining(['stage2.fault', 'net.blocked', 'vm.compromise', 'vm.refresh', 'vm.boot']));
    expect(events.find((e) => e.type === 'vm.refresh')).toMatchObject({ vm: 'app', reason: 'compromise' });
    // the security monitor's measurement names the file the malware dropped
    // it came in through the browser app, so the host records the browser as the source and quarantines it
    expect(events.find((e) => e.type === 'integrity.violation')).toMatchObject({ vm: 'app', findings: ['added /opt/apps/browser/bin/evil-updater'], apps: ['browser'] });
    expect(events.find((e) => e.type === 'app.quarantined')).toMatchObject({ app: 'browser' });
    expect(run(sim, 'app', 'ls /opt/apps').text).not.toContain('browser');
    expect(run(sim, 'system', 'vmm quarantine list').text).toContain('browser');
    expect(status(sim, 'app').compromised).toBe(false);
    expect(status(sim, 'system').compromised).toBe(false);
    // the dropped binary was reset by the refresh; the user's data was not
    expect(run(sim, 'app', 'ls /opt/apps/media-player/bin').text).toContain('media-player');
    expect(run(sim, 'app', 'cat /data/mine').text).toContain('keep');
  });

  it('with the firewall off on a Cortex-A7, stage-2 still confines the CPU: only the exfiltration gets out', () => {
    const board: Board = oven('firewall-id', { enforce: false, refresh: { onCompromise: false } });
    board.components = board.components.map((c) => (c.id === 'wifi0' ? { ...c, domain: 'app' } : c));
    const sim = booted(board);
    const { text, events } = run(sim, 'app', 'attack malware');
    expect(text.match(/GOT THROUGH/g)).toHaveLength(1);
    expect(text).toContain('write to system-ram: STOPPED by stage-2 translation');
    expect(types(events)).toContain('net.exfiltrated');
    expect(status(sim, 'system').compromised).toBe(false);
  });

  it('with the firewall off on mcu-16 (no stage-2) and Wi-Fi passed straight to the app VM, it gets through everywhere', () => {
    const board: Board = oven('firewall-id', { enforce: false, soc: 'mcu-16', systemMiB: 4, appMiB: 6, refresh: { onCompromise: false } });
    board.components = board.components.map((c) => (c.id === 'wifi0' ? { ...c, domain: 'app' } : c));
    const sim = booted(board);
    const { text, events } = run(sim, 'app', 'attack malware');
    expect(text.match(/GOT THROUGH/g)).toHaveLength(3);
    expect(text).toContain('primary-network-in-app');
    expect(types(events)).toContain('net.exfiltrated');
    expect(types(events)).not.toContain('vm.refresh');
    expect(status(sim, 'app').compromised).toBe(true);
    expect(status(sim, 'system').compromised).toBe(true);
  });
});

describe('attack crash, hang and oom', () => {
  it('crash: the app VM panics, vm.crash, then a refresh (onCrash); the other VMs are unaffected', () => {
    const sim = booted(oven());
    const before = status(sim, 'system').uptimeMs;
    const { text, events } = run(sim, 'app', 'attack crash');
    expect(text).toContain('Kernel panic');
    expect(types(events)).toEqual(['vm.crash', 'vm.refresh', 'vm.boot']);
    expect(events[1]).toMatchObject({ vm: 'app', reason: 'crash' });
    expect(status(sim, 'system').uptimeMs).toBeGreaterThan(before);
    expect(status(sim, 'rt').state).toBe('running');
  });

  it('the system VM, crashed or hung, is restarted alone by the layer under it: its console says how, not the VMM that runs inside it', () => {
    const cases = [
      ['iot-a7m4', 'crash', '[reset] kernel panic, rebooting after 2 s (panic=2 on its command line): its reset request (PSCI SYSTEM_RESET) goes to the hypervisor, which restarts the System VM alone', 'The hypervisor restarted the System VM'],
      ['iot-a7m4', 'hang', "[reset] hardware watchdog expired (no heartbeat): the watchdog's interrupt goes to the hypervisor, which restarts the System VM alone", 'The hypervisor restarted the System VM'],
      ['gateway-a53', 'crash', '[reset] kernel panic, rebooting after 2 s (panic=2 on its command line): its reset request (PSCI SYSTEM_RESET) goes to the hypervisor, which restarts the System VM alone', 'The hypervisor restarted the System VM'],
    ] as const;
    for (const [soc, attack, words, event] of cases) {
      const board = soc === 'gateway-a53' ? oven('firewall-id', { soc, systemMiB: 256, appMiB: 512 }) : oven();
      board.components.push({ id: 'wdt0', kind: 'watchdog', domain: 'system' });
      const sim = booted(board);
      sim.exec('system', `attack ${attack}`);
      sim.settle();
      const out = sim.drain();
      const text = out.console.filter((c) => c.vm === 'system').map((c) => stripAnsi(c.text)).join('');
      expect(text).toContain(words);
      expect(text).not.toContain('[vmm] refreshing System VM');
      expect(text).not.toMatch(/SoC reset/);
      expect(out.events.find((e) => e.type === 'vm.refresh')?.message).toContain(event);
      // Alone: the other environments ran on through it.
      expect(out.events.filter((e) => e.type === 'vm.boot').map((e) => e.vm)).toEqual(['system']);
    }
  });

  it('on mcu-16 (one Cortex-A5, no virtualization extensions) the application VM stops with a crashed or hung system VM, and the whole SoC resets', () => {
    const cases = [
      ['crash', '[reset] kernel panic, rebooting after 2 s (panic=2 on its command line): its reset request (PSCI SYSTEM_RESET) goes to the secure monitor, which resets the whole SoC', 2_000],
      ['hang', "[reset] hardware watchdog expired (no heartbeat): the watchdog's interrupt, at its first timeout, was masked by the hung kernel; its second timeout drove the reset output, and the whole SoC resets", 10_000],
    ] as const;
    for (const [attack, words, downMs] of cases) {
      const board = oven('firewall-id', { soc: 'mcu-16', systemMiB: 4, appMiB: 6 });
      board.components.push({ id: 'wdt0', kind: 'watchdog', domain: 'system' });
      const sim = booted(board);
      sim.exec('system', `attack ${attack}`);
      sim.advance(downMs - 500);
      // The secure world never hands the shared core back: the application VM does not run; the real-time container, on its own core, does.
      expect(status(sim, 'app').state, attack).toBe('paused');
      expect(status(sim, 'rt').state, attack).toBe('running');
      sim.settle();
      const out = sim.drain();
      const text = out.console.filter((c) => c.vm === 'system').map((c) => stripAnsi(c.text)).join('');
      expect(text, attack).toContain(words);
      const types = out.events.map((e) => `${e.type}:${e.vm}`);
      // The cause first, then what it does to the application VM.
      expect(types.indexOf('vm.pause:app'), attack).toBe(types.indexOf(`vm.${attack}:system`) + 1);
      expect(out.events.find((e) => e.type === 'vm.refresh')?.message, attack).toContain('The whole SoC reset, and with it the System VM,');
      expect(out.events.filter((e) => e.type === 'vm.stop').map((e) => e.vm).sort(), attack).toEqual(['app', 'rt']);
      expect(out.events.filter((e) => e.type === 'vm.boot').map((e) => e.vm).sort(), attack).toEqual(['app', 'rt', 'system']);
      // The application VM was out of service from when it stopped with the system VM, not from the reset.
      expect(out.events.find((e) => e.type === 'vm.boot' && e.vm === 'app')?.downtimeMs, attack).toBeGreaterThan(downMs);
      expect(sim.status().map((x) => x.state), attack).toEqual(['running', 'running', 'running']);
    }
    // An application VM still booting stops too: its boot does not finish on a core it no longer has.
    const early = new Simulation(oven('firewall-id', { soc: 'mcu-16', systemMiB: 4, appMiB: 6 }), { seed: 1 });
    early.powerOn();
    while (status(early as ReturnType<typeof booted>, 'app').state !== 'booting') early.advance(10);
    early.exec('system', 'attack crash');
    early.advance(1500);
    expect(early.status().map((x) => x.state)).toEqual(['crashed', 'paused', 'running']);
    // reboot asks for the same reset (PSCI SYSTEM_RESET): there, too, the whole SoC.
    const sim = booted(oven('firewall-id', { soc: 'mcu-16', systemMiB: 4, appMiB: 6 }));
    const { events } = run(sim, 'system', 'reboot');
    sim.settle();
    const all = [...events, ...sim.drain().events];
    expect(all.filter((e) => e.type === 'vm.stop').map((e) => e.vm).sort()).toEqual(['app', 'rt', 'system']);
    expect(sim.status().map((x) => x.state)).toEqual(['running', 'running', 'running']);
  });

  it('a crashed system VM is reset with no watchdog: its kernel was booted with panic=2, as its command line shows', () => {
    const board = oven();
    board.components = board.components.filter((c) => c.kind !== 'watchdog');
    const sim = booted(board);
    expect(run(sim, 'system', 'cat /boot/cmdline').text).toContain('console=ttyAMA0 ro panic=2');
    sim.exec('system', 'attack crash');
    sim.settle();
    const text = sim.drain().console.filter((c) => c.vm === 'system').map((c) => stripAnsi(c.text)).join('');
    expect(text).toContain('[reset] kernel panic, rebooting after 2 s (panic=2 on its command line)');
    expect(status(sim, 'system').state).toBe('running');
  });

  it('a hung system VM with no hardware watchdog of its own stays hung, and watchdogd does not start', () => {
    const board = oven();
    board.components.push({ id: 'wdt0', kind: 'watchdog', domain: 'app' });
    const sim = new Simulation(board, { seed: 1 });
    sim.powerOn();
    sim.settle();
    const boot = sim.drain().console.filter((c) => c.vm === 'system').map((c) => stripAnsi(c.text)).join('');
    expect(boot).not.toContain('Starting watchdogd: OK');
    expect(boot).toContain('Starting watchdogd: FAIL (no /dev/watchdog: no hardware watchdog in this VM');
    // init is BusyBox's, as ps shows it: its init scripts start the services, not systemd.
    expect(boot).not.toContain('systemd');
    expect(boot).toContain('Starting vmm: OK');
    expect(boot).toContain('no hardware watchdog in this VM');
    expect(run(sim, 'system', 'ps').text).not.toContain('watchdogd');
    sim.exec('system', 'attack hang');
    sim.advance(20_000);
    const out = sim.drain();
    const text = out.console.filter((c) => c.vm === 'system').map((c) => stripAnsi(c.text)).join('');
    expect(text).not.toContain('[reset]');
    expect(out.events.map((e) => e.type)).toEqual(['vm.hang']);
    expect(out.events[0]!.message).toContain('no hardware watchdog is assigned to the System VM');
    expect(status(sim, 'system').state).toBe('hung');
  });

  it('a system VM hang on mcu-16 is told in sentences: the SoC reset comes at the watchdog\'s second timeout', () => {
    const board = oven('firewall-id', { soc: 'mcu-16', systemMiB: 4, appMiB: 6 });
    board.components = [...board.components.filter((c) => c.kind !== 'watchdog'), { id: 'wdt0', kind: 'watchdog', domain: 'system' }];
    const sim = booted(board);
    const hang = run(sim, 'system', 'attack hang').events.find((e) => e.type === 'vm.hang')!;
    expect(hang.message).toMatch(/the real-time container runs on\. The hardware watchdog \(wdt\d\) raises its interrupt after/);
  });

  it('crash with onCrash off: it stays down until the VMM starts it', () => {
    const sim = booted(oven('firewall-id', { refresh: { onCrash: false } }));
    expect(types(run(sim, 'app', 'attack crash').events)).toEqual(['vm.crash']);
    expect(status(sim, 'app').state).toBe('crashed');
    run(sim, 'system', 'vmm start app');
    expect(status(sim, 'app').state).toBe('running');
  });

  it('hang: the console stops answering until the watchdog refreshes the VM with reason hang', () => {
    const sim = booted(oven());
    sim.exec('app', 'attack hang');
    sim.advance(4000);
    expect(status(sim, 'app').state).toBe('hung');
    sim.settle();
    const events = sim.drain().events;
    expect(events.find((e) => e.type === 'vm.refresh')).toMatchObject({ vm: 'app', reason: 'hang' });
    expect(status(sim, 'app').state).toBe('running');
  });

  it('oom: memory runs out, the kernel gives up, the VM is refreshed', () => {
    const sim = booted(oven());
    const { text, events } = run(sim, 'app', 'attack oom');
    // vm.panic_on_oom = 1: the kernel panics instead of killing a process (mm/oom_kill.c check_panic_on_oom)
    // The application VM runs 5.15: an anonymous page is a plain page there (a folio, |__GFP_COMP, from 6.x, as in the system VM).
    expect(text).toContain('memhog invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0');
    expect(run(booted(oven()), 'system', 'attack oom').text).toContain('memhog invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0');
    expect(text).toContain('Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled');
    expect(text).not.toContain('Killed process');
    expect(text).not.toContain('deadlocked');
    expect(events.find((e) => e.type === 'vm.crash')).toMatchObject({ cause: 'out of memory' });
    expect(events.find((e) => e.type === 'vm.refresh')).toMatchObject({ reason: 'crash' });
  });

  it('in the rt container, crash and hang restart only the container', () => {
    const sim = booted(oven());
    const { events } = run(sim, 'rt', 'attack crash');
    expect(events.map((e) => e.vm)).toEqual(['rt', 'rt', 'rt']);
    expect(status(sim, 'app').uptimeMs).toBeGreaterThan(status(sim, 'rt').uptimeMs);
  });
});

describe('the paravirtual network', () => {
  it('ping shows the path through networkd; a tracking host is refused with net.blocked', () => {
    const sim = booted(oven());
    const ok = run(sim, 'app', 'ping updates.vendor.example');
    expect(ok.text).toContain('app-vm eth0 (virtio-net) → virtqueue → networkd (system VM) → wifi0 → updates.vendor.example');
    expect(ok.text).toContain('3 sent, 3 received');
    expect(ok.text).toContain('networkd sends its own ICMP echo requests to updates.vendor.example and relays the replies');
    const bad = run(sim, 'app', 'curl pixel.tracking.example');
    expect(bad.events).toEqual([expect.objectContaining({ type: 'net.blocked', vm: 'app', host: 'pixel.tracking.example', category: 'tracking' })]);
  });

  it('the system VM\'s egress policy is a file the participant can change', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'curl shop.example').text).toContain('not on the allow-list');
    run(sim, 'system', 'echo allow shop.example >> /etc/networkd/egress.conf');
    expect(run(sim, 'app', 'curl shop.example').text).toContain('200 OK');
  });

  it('without any network device, the commands fail clearly', () => {
    const sim = booted(makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }]));
    expect(run(sim, 'app', 'ping time.example').text).toContain('no network device');
    expect(run(sim, 'app', 'ifconfig').text).toContain('no network device');
  });

  it('a network adapter passed to the app VM bypasses networkd: no filtering', () => {
    const sim = booted(makeBoard([{ id: 'wifi0', kind: 'wifi', domain: 'app' }]));
    const { text, events } = run(sim, 'app', 'curl pixel.tracking.example');
    expect(text).toContain('no egress filtering');
    expect(text).toContain('200 OK');
    expect(events).toEqual([]);
  });
});

describe('a Linux guest panics as kernel/panic.c prints it', () => {
  /** The panic's three lines in `text`: the message, the task's line and the closing line repeating the message. */
  const panicIn = (text: string) => {
    const lines = text.split(/\r?\n/);
    const at = lines.findIndex((l) => l.startsWith('Kernel panic - not syncing: '));
    return at < 0 ? [] : lines.slice(at, at + 3);
  };
  const consoleOf = (sim: Simulation, vm: string) => stripAnsi(sim.drain().console.filter((c) => c.vm === vm).map((c) => c.text).join(''));

  it('attack crash: the closing line repeats the message', () => {
    const sim = booted(oven());
    const [first, task, end] = panicIn(run(sim, 'app', 'attack crash').text);
    expect(first).toBe('Kernel panic - not syncing: Fatal exception in interrupt');
    expect(task).toBe('CPU: 0 PID: 1 Comm: init');
    expect(end).toBe('---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---');
  });

  it('attack oom: the task is memhog, the process that asked for the page', () => {
    const sim = booted(oven());
    sim.exec('app', 'attack oom');
    sim.settle(1000);
    const [first, task, end] = panicIn(consoleOf(sim, 'app'));
    expect(first).toBe('Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled');
    expect(task).toMatch(/^CPU: 0 PID: \d+ Comm: memhog$/);
    expect(task).not.toBe('CPU: 0 PID: 1 Comm: memhog');
    expect(end).toBe('---[ end Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled ]---');
  });

  it('in the system VM, whose command line has panic=2, the kernel says it reboots instead of the closing line', () => {
    const sim = booted(oven());
    const [first, task, end] = panicIn(run(sim, 'system', 'attack crash').text);
    expect(first).toBe('Kernel panic - not syncing: Fatal exception in interrupt');
    expect(task).toBe('CPU: 0 PID: 1 Comm: init');
    expect(end).toBe('Rebooting in 2 seconds..');
  });

  it('a boot with no working init: each init that does not execute is logged, then PID 1 panics, in the console and in dmesg', () => {
    const sim = booted(oven());
    sim.exec('system', 'update apply system-os-2.0-badboot');
    sim.settle(1000);
    const message = 'Kernel panic - not syncing: No working init found.  Try passing init= option to kernel. See Linux Documentation/admin-guide/init.rst for guidance.';
    const text = consoleOf(sim, 'system');
    const lines = panicIn(text);
    expect(lines).toEqual([message, 'CPU: 0 PID: 1 Comm: swapper/0', 'Rebooting in 2 seconds..']);
    // The image's init and shell are empty files: exec fails with ENOEXEC; /etc/init and /bin/init do not exist.
    const tried = ["Starting init: /sbin/init exists but couldn't execute it (error -8)", "Starting init: /bin/sh exists but couldn't execute it (error -8)"];
    expect(text).toContain([...tried, message].join('\n'));
    // The failed kernel's log is its own, new one, from its start: nothing of the life before, nor the image check before it.
    expect(sim.guests.system.dmesg).toEqual([...tried, ...lines].map((l) => `[    0.000000] ${l}`));
  });
});

describe('an event names each thing it involves once', () => {
  it('through every attack in every guest, and the refreshes and boots they cause', () => {
    const sim = booted(oven('none'));
    const events = [];
    for (const vm of ['app', 'rt', 'system'] as const) {
      for (const attack of ['dma-escape', 'malware', 'crash', 'hang', 'oom']) {
        events.push(...run(sim, vm, `attack ${attack}`).events);
        sim.settle(20_000);
        events.push(...sim.drain().events);
      }
    }
    expect(events.map((e) => e.type)).toContain('vm.compromise');
    for (const e of events) expect(e.involves, `${e.type}: ${e.message}`).toEqual([...new Set(e.involves)]);
  });
});
