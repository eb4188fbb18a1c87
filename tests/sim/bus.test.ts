// The one bus (issue: truthful hardware): every access is a numbered
// transaction with its stages; the stages are the SoC's real ones; escapes
// are silent to the victim; a board the hardware cannot build does not boot.
import { describe, expect, it } from 'vitest';
import { example } from '../../src/model/examples.ts';
import type { Board } from '../../src/model/types.ts';
import { Simulation, stripAnsi } from '../../src/sim/index.ts';
import { Bus } from '../../src/sim/hw/bus.ts';
import { MemoryMap } from '../../src/sim/memoryMap.ts';
import { traceLines } from '../../src/sim/hw/traceText.ts';
import { runCommand } from '../../src/cli/run.ts';
import { booted, makeBoard, oven, run } from './helpers.ts';

const busOf = (board: Board) => new Bus(board, new MemoryMap(board));

describe('the bus path, without a shell', () => {
  it('a VM CPU on a core with virtualization extensions passes stage-2, then the firewall', () => {
    const bus = busOf(oven());
    const own = bus.transact(0, 'cpu:app', 'app-ram', 'write', 0x8100_0000);
    expect(own.stages.map((s) => `${s.stage}:${s.verdict}`)).toEqual(['stage-2:allow', 'firewall:allow']);
    expect(own).toMatchObject({ n: 1, allowed: true, decidedBy: 'firewall' });
    const sys = bus.transact(1, 'cpu:app', 'system-ram', 'read', 0x8000_0000);
    expect(sys.stages.map((s) => `${s.stage}:${s.verdict}`)).toEqual(['stage-2:deny']);
    expect(sys).toMatchObject({ n: 2, allowed: false, decidedBy: 'stage-2' });
  });

  it('on mcu-16 (Cortex-A5, no virtualization extensions) the firewall is the CPUs\' only stage; the real-time core never has stage-2', () => {
    const bus = busOf(oven('firewall-id', { soc: 'mcu-16', systemMiB: 4, appMiB: 6 }));
    expect(bus.stage2).toBeNull();
    expect(bus.transact(0, 'cpu:app', 'system-ram', 'read', 0).stages.map((s) => s.stage)).toEqual(['firewall']);
    expect(busOf(oven()).transact(0, 'cpu:rt', 'system-ram', 'read', 0).stages.map((s) => s.stage)).toEqual(['firewall']);
  });

  it('bus masters never pass stage-2: an IOMMU master meets the IOMMU, others the firewall', () => {
    const gw = makeBoard([
      { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'iommu' },
      { id: 'npu0', kind: 'npu', domain: 'app', dmaProtection: 'firewall-id' },
    ], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 });
    const bus = busOf(gw);
    expect(bus.transact(0, 'dma:dma0', 'system-ram', 'write', 0)).toMatchObject({ allowed: false, decidedBy: 'iommu' });
    expect(bus.transact(0, 'dma:npu0', 'system-ram', 'write', 0)).toMatchObject({ allowed: false, decidedBy: 'firewall' });
    expect(bus.transact(0, 'dma:npu0', 'app-ram', 'write', 0)).toMatchObject({ allowed: true });
  });

  it('the IOMMU is not the firewall: turning the firewall off leaves an IOMMU master confined', () => {
    const gw = makeBoard([{ id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'iommu' }], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512, enforce: false });
    expect(busOf(gw).transact(0, 'dma:dma0', 'system-ram', 'write', 0)).toMatchObject({ allowed: false, decidedBy: 'iommu' });
  });

  it('reads and writes are decided apart where the hardware does: a display scan-out identity reads frame buffers, never writes memory', () => {
    const bus = busOf(makeBoard([{ id: 'disp0', kind: 'display', domain: 'app', dmaProtection: 'firewall-id' }]));
    expect(bus.route('dma:disp0', 'app-ram', 'read').allowed).toBe(true);
    expect(bus.route('dma:disp0', 'app-ram', 'write')).toMatchObject({ allowed: false, rule: expect.stringMatching(/may not write memory/) });
  });

  it('keeps the recent transactions by number, and drains each once', () => {
    const bus = busOf(oven());
    for (let i = 0; i < 600; i++) bus.transact(i, 'cpu:app', 'app-ram', 'read', 0);
    expect(bus.find()!.n).toBe(600);
    expect(bus.find(600)!.t).toBe(599);
    expect(bus.find(50)).toBeUndefined(); // older than the kept window
    expect(bus.find(100)!.n).toBe(100);
    expect(bus.drain()).toHaveLength(512);
    expect(bus.drain()).toHaveLength(0);
  });

  it('a trace names each stage, its verdict and rule, and where it was decided', () => {
    const bus = busOf(oven());
    const lines = traceLines(bus.transact(1500, 'cpu:app', 'system-ram', 'write', 0x8000_0040));
    expect(lines[0]).toBe('transaction 1 at 1.500 s: cpu:app write system-ram @ 0x80000040');
    expect(lines[2]).toMatch(/^ {2}1 stage-2 +deny +app-vm stage-2 → system-ram: not mapped .*← decided here$/);
    expect(lines.at(-1)).toBe('  outcome: DENIED at stage-2 — system-ram was not touched');
  });
});

describe('trace in a console', () => {
  it('trace last shows the latest transaction; trace <n> the one a denial named', () => {
    const sim = booted(oven());
    const denied = run(sim, 'rt', 'peek system-ram');
    const n = denied.events[0].txn!;
    expect(denied.text).toContain(`(trace ${n})`);
    run(sim, 'app', 'peek app-ram');
    expect(run(sim, 'app', 'trace last').text).toMatch(/cpu:app read app-ram[\s\S]*outcome: COMPLETED/);
    const t = run(sim, 'app', `trace ${n}`).text;
    expect(t).toContain(`transaction ${n} `);
    expect(t).toMatch(/1 firewall +deny +rt-cpu → system-ram: deny .*← decided here/);
  });

  it('a DMA escape\'s trace names it an escape, as the page\'s Transaction trace does', () => {
    const sim = booted(oven('none'));
    const n = run(sim, 'app', 'attack dma-escape').events.find((e) => e.type === 'dma.escape')!.txn!;
    const t = run(sim, 'app', 'trace last').text;
    expect(t).toContain(`transaction ${n} `);
    expect(t).toContain("  outcome: ESCAPE: the write reached system-ram, another environment's memory — nothing on its path stopped it");
    expect(t).not.toContain('COMPLETED');
    // A register write across environments (the firewall off) is an escape into device registers.
    const bus = busOf(oven('firewall-id', { enforce: false }));
    const regs = bus.transact(0, 'cpu:rt', 'wifi0', 'write', 0);
    expect(regs.escape).toBe(true);
    expect(traceLines(regs).at(-1)).toBe("  outcome: ESCAPE: the write reached wifi0, another environment's device registers — nothing on its path stopped it");
  });

  it('trace last skips background traffic, as the page\'s Transaction trace does', () => {
    const sim = booted(oven());
    run(sim, 'app', 'peek system-ram');
    const traffic = sim.busAccess('cpu:system', 'wifi0', 'write', 0, 0, true).txn;
    expect(traffic.n).toBe(sim.bus.total); // the newest is background traffic...
    expect(run(sim, 'app', 'trace last').text).toMatch(/cpu:app read system-ram[\s\S]*outcome: DENIED/); // ...trace last is the peek
    expect(run(sim, 'app', `trace ${traffic.n}`).text).toContain('cpu:system write wifi0'); // still there by number
  });

  it('a VM CPU peeking at an address no region holds faults in its stage-2 tables; the real-time core gets a bus error', () => {
    const sim = booted(oven());
    const end = Math.max(...sim.map.layout().map((e) => e.base + e.size));
    const address = `0x${end.toString(16)}`;
    expect(sim.map.resolve(end)).toBeUndefined();
    sim.drain();
    const app = run(sim, 'app', `peek ${address}`);
    expect(app.text).toMatch(new RegExp(`peek: access denied at stage-2 — app-vm stage-2 → ${address}: not mapped \\(translation fault, trapped by the hypervisor; no region of the SoC is there\\) \\(trace \\d+\\)`));
    expect(app.text).not.toContain('bus error');
    expect(app.events).toEqual([expect.objectContaining({ type: 'stage2.fault', vm: 'app', target: address, address: end, stage: 'stage-2' })]);
    expect(run(sim, 'app', 'trace last').text).toMatch(new RegExp(`cpu:app read ${address}[\\s\\S]*stage-2 +deny[\\s\\S]*outcome: DENIED`));
    expect(run(sim, 'system', `poke ${address} 1`).text).toContain('access denied at stage-2 — system-vm stage-2');
    // The real-time core has no stage-2 above it: the interconnect answers with an error.
    expect(run(sim, 'rt', `peek ${address}`).text).toContain(`peek: ${address} is not mapped to anything (bus error)`);
  });

  it('the real-time core reads its own CPUID from its System Control Space, which is not on the SoC\'s bus', () => {
    const rt = (soc: 'iot-a7m4' | 'gateway-a53' | 'mcu-16', line: string) => run(booted(makeBoard([{ id: 'spi0', kind: 'spi', domain: 'rt' }], soc === 'iot-a7m4' ? {} : soc === 'mcu-16' ? { soc, systemMiB: 4, appMiB: 8 } : { soc, systemMiB: 256, appMiB: 512 })), 'rt', line);
    // Implementer 0x41 (Arm), architecture 0xF (Armv7-M) or 0xC (Armv6-M), part 0xC24 / 0xC27 / 0xC60.
    expect(rt('iot-a7m4', 'peek 0xe000ed00').text).toContain("0xe000ed00 (CPUID, the Cortex-M4's System Control Space, not on the SoC's bus): 0x410fc241");
    expect(rt('gateway-a53', 'peek 0xe000ed00').text).toContain('Cortex-M7\'s System Control Space, not on the SoC\'s bus): 0x411fc272');
    expect(rt('mcu-16', 'peek 0xe000ed00').text).toContain('Cortex-M0+\'s System Control Space, not on the SoC\'s bus): 0x410cc601');
    const other = rt('iot-a7m4', 'poke 0xe000ed0c 0x05fa0004');
    expect(other.text).toContain("0xe000ed0c is in the Cortex-M4's System Control Space, its own registers (not on the SoC's bus); of them only CPUID (0xe000ed00, read) is modelled");
    expect(other.text).not.toContain('bus error');
    expect(other.events).toEqual([]);
  });

  it('says what is wrong with a bad or unknown number', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'trace soon').text).toContain("'soon' is not a transaction number");
    expect(run(sim, 'app', 'trace 99999').text).toMatch(/no transaction 99999 yet \(the latest is \d+\)/);
  });
});

describe('escapes are any bus master, any foreign domain — and silent to the victim', () => {
  it('a real-time DMA engine writing application-VM RAM is an escape', () => {
    const sim = booted(makeBoard([{ id: 'dma1', kind: 'dma', domain: 'rt', dmaProtection: 'none' }, { id: 'spi0', kind: 'spi', domain: 'rt' }]));
    const { events } = run(sim, 'rt', 'dma dma1 copy rt-ram app-ram 64');
    expect(events.find((e) => e.type === 'dma.escape')).toMatchObject({ vm: 'rt', victim: 'app', master: 'dma:dma1', target: 'app-ram', knownBy: [] });
    // The application VM learns of it from the security monitor's measurement, which refreshes it.
    expect(events.find((e) => e.type === 'vm.compromise')).toMatchObject({ vm: 'app', txn: events.find((e) => e.type === 'dma.escape')!.txn });
    expect(events.find((e) => e.type === 'integrity.violation')).toMatchObject({ vm: 'app', detectedBy: 'secmon' });
    expect(events.find((e) => e.type === 'vm.refresh')).toMatchObject({ vm: 'app', reason: 'compromise' });
  });

  it("a compromised display driver's frame-buffer DMA escapes when the display has no protection", () => {
    const sim = booted(makeBoard([{ id: 'disp0', kind: 'display', domain: 'app', dmaProtection: 'none' }]));
    const { text, events } = run(sim, 'app', 'attack dma-escape disp0');
    expect(text).toContain('GOT THROUGH');
    expect(events.map((e) => e.type)).toContain('dma.escape');
    const safe = booted(makeBoard([{ id: 'disp0', kind: 'display', domain: 'app' }])); // absent: firewall-id
    expect(run(safe, 'app', 'attack dma-escape disp0').text).toContain('STOPPED by the firewall');
  });

  it('without a security processor nothing measures the system VM: the escape stays unnoticed inside', () => {
    const sim = booted(makeBoard([{ id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'none' }]));
    sim.exec('app', 'attack dma-escape');
    sim.settle();
    sim.advance(60_000);
    const out = sim.drain();
    expect(out.events.map((e) => e.type)).toEqual(expect.arrayContaining(['dma.escape', 'vm.compromise']));
    expect(out.events.map((e) => e.type)).not.toContain('integrity.violation');
    expect(out.console.filter((c) => c.vm === 'system').map((c) => stripAnsi(c.text)).join('')).not.toMatch(/compromised|integrity/);
  });

  it('with one, its measurement tells the system VM later — and the timeline says who knew when', () => {
    const sim = booted(oven('none'));
    sim.exec('app', 'attack dma-escape');
    sim.settle();
    const out = sim.drain();
    const escape = out.events.find((e) => e.type === 'dma.escape')!;
    const found = out.events.find((e) => e.type === 'integrity.violation')!;
    expect(escape.knownBy).toEqual([]);
    expect(found).toMatchObject({ vm: 'system', detectedBy: 'sec0', knownBy: ['system'], txn: escape.txn });
    expect(found.t).toBeGreaterThan(escape.t);
  });
});

describe('CPU isolation as each SoC has it', () => {
  const arch = (soc: 'mcu-16' | 'iot-a7m4' | 'gateway-a53', memory: [number, number]) => {
    const sim = booted(oven('firewall-id', { soc, systemMiB: memory[0], appMiB: memory[1] }));
    return { app: run(sim, 'app', 'uname -a').text, rt: run(sim, 'rt', 'uname -a').text, dmesg: run(sim, 'system', 'dmesg').text };
  };

  it('uname names each core\'s real architecture, and the boot log the real mechanism', () => {
    const a5 = arch('mcu-16', [4, 6]);
    expect(a5.app).toContain(' armv7l GNU/Linux');
    expect(a5.rt).toContain('Cortex-M0+ (real-time core) armv6-m');
    expect(a5.dmesg).toContain('no virtualization extensions (no Hyp mode (PL2), no stage-2)');
    expect(a5.dmesg).not.toContain('EL2');
    expect(a5.dmesg).toContain('TrustZone secure world');
    expect(a5.dmesg).not.toContain('stage-2 translation on');
    const a7 = arch('iot-a7m4', [16, 24]);
    expect(a7.app).toContain(' armv7l GNU/Linux');
    expect(a7.rt).toContain('Cortex-M4 (real-time core) armv7e-m');
    expect(a7.dmesg).toContain('running as the control VM over the HYP mode (PL2) hypervisor, stage-2 translation on');
    const a53 = arch('gateway-a53', [256, 512]);
    expect(a53.app).toContain(' aarch64 GNU/Linux');
    expect(a53.rt).toContain('Cortex-M7 (real-time core) armv7e-m');
    expect(a53.dmesg).toContain('running as the control VM over the EL2 hypervisor, stage-2 translation on');
  });
});

describe('physics before policy', () => {
  it('the Broken oven does not power on: power.refused names each cannot-boot rule', () => {
    const sim = new Simulation(example('broken-oven')!.board, { seed: 1 });
    const blockers = sim.powerOn();
    expect(blockers.map((d) => d.rule)).toEqual(expect.arrayContaining(['memory-budget', 'pin-conflict']));
    expect(blockers.every((d) => d.class === 'cannot-boot')).toBe(true);
    expect(sim.isPoweredOn).toBe(false);
    const out = sim.drain();
    expect(out.events).toEqual([expect.objectContaining({ type: 'power.refused', rules: expect.arrayContaining([expect.objectContaining({ rule: 'memory-budget' })]) })]);
    expect(sim.status().every((s) => s.state === 'off')).toBe(true);
  });

  it('a security hole still boots (showing what it lets through is the point)', () => {
    const sim = new Simulation(oven('none', { enforce: false }), { seed: 1 });
    expect(sim.powerOn()).toEqual([]);
    expect(sim.isPoweredOn).toBe(true);
  });

  it('lab run prints the rules on stderr and exits 1, with nothing on stdout', async () => {
    const out = { stdout: '', stderr: '' };
    const files: Record<string, string> = { 'b.json': JSON.stringify(example('broken-oven')!.board), 's.txt': 'app: uname -a\n' };
    const code = await runCommand(['b.json', '--script', 's.txt', '--json'], {
      stdout: (t: string) => { out.stdout += t; }, stderr: (t: string) => { out.stderr += t; }, readFile: (p: string) => files[p],
    });
    expect(code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/power on refused — the board cannot boot:\n {2}(memory-budget|pin-conflict|kind-domain-not-allowed)/);
    expect(out.stderr).toContain('memory-budget');
  });
});

describe('changes while powered on are never silent', () => {
  it('an attack against the boot configuration says the board was edited since, and what — and still runs against the old one, as hardware would', () => {
    const sim = booted(oven('none'));
    sim.setEditedBoard(oven('firewall-id'));
    const { text } = run(sim, 'app', 'attack dma-escape');
    expect(text).toContain('note: the board was edited after power on (dma0 DMA protection None → Firewall identity)');
    expect(text).toContain('Apply & reboot');
    expect(text).toContain('GOT THROUGH');
    sim.setEditedBoard(null);
    expect(run(sim, 'app', 'attack crash').text).not.toContain('edited after power on');
  });
});
