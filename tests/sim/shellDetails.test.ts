// Details of the shell commands that must say what a Linux (or RTOS) console would.
import { describe, expect, it } from 'vitest';
import { example } from '../../src/model/examples.ts';
import { Simulation } from '../../src/sim/index.ts';
import { booted, makeBoard, oven, run } from './helpers.ts';

describe('shell details', () => {
  it('trace 0: transactions are numbered from 1, so 0 never existed', () => {
    const sim = booted(oven());
    run(sim, 'app', 'peek app-ram');
    expect(run(sim, 'app', 'trace 0').text).toContain('there is no transaction 0 — they are numbered from 1');
  });

  it('free -m prints whole MiB; free -k and free print KiB', () => {
    const sim = booted(oven());
    // MemTotal: the VM's RAM less the 4 MiB its kernel reserves at boot on iot-a7m4.
    expect(run(sim, 'app', 'free -m').text).toMatch(/TOTAL\(MiB\)[^\n]*\napp VM\s+20\s/);
    expect(run(sim, 'app', 'free').text).toMatch(/TOTAL\(KiB\)[^\n]*\napp VM\s+20480\s/);
    expect(run(sim, 'system', 'free -m').text).toMatch(/total\(MiB\)[^\n]*\nMem:\s+12\s/);
    expect(run(sim, 'system', 'free -x').text).toContain("free: invalid option -- 'x' — free -k (KiB, the default) or free -m (MiB)");
    // A procps option this free does not model is told apart from one free never had.
    expect(run(sim, 'system', 'free -g').text).toContain("free: option '-g' is not supported");
    expect(run(sim, 'system', 'free now').text).toContain("free: extra operand 'now'");
  });

  it('uname takes GNU long options, and -o asked for is printed', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'uname --all').text).toContain(sim.uname('app'));
    expect(run(sim, 'app', 'uname --machine').text).toContain('armv7l');
    expect(run(sim, 'rt', 'uname -snrvmo').text).toContain('RTOS rt-core 3.2.1 Cortex-M4 (real-time core) armv7e-m RTOS');
    expect(run(sim, 'rt', 'uname -a').text).toContain('RTOS rt-core 3.2.1 Cortex-M4 (real-time core) armv7e-m\n');
  });

  it('a kernel or VMM note during a command starts a new line only where output left one unfinished', () => {
    const sim = booted(oven());
    const text = run(sim, 'system', 'peek app-ram').text;
    expect(text).toMatch(/\(trace \d+\)\r?\n\[hyp\] stage-2 fault: cpu:system read app-ram/);
  });

  it('hexdump is a command of the Linux VMs only', () => {
    const sim = booted(oven());
    expect(run(sim, 'rt', 'hexdump -C /README').text).toContain('hexdump: not in the Real-time container');
  });

  it('kill of the console\'s own shell: an interactive shell ignores SIGTERM', () => {
    const sim = booted(oven());
    const ps = run(sim, 'app', 'ps').text;
    const shPid = /^(\d+)\s.*\ssh$/m.exec(ps)![1];
    expect(run(sim, 'app', `kill ${shPid}`).text).toContain('ignores SIGTERM');
    expect(run(sim, 'app', 'ps').text).toMatch(/\ssh$/m);
  });

  it('with the system VM down, ping cannot resolve its host through networkd, as nslookup cannot', () => {
    const sim = booted(oven());
    sim.exec('system', 'attack crash');
    sim.drain();
    const r = run(sim, 'app', 'ping time.example');
    expect(r.text).toContain('ping: time.example: Temporary failure in name resolution');
    expect(r.text).not.toContain('PING time.example');
  });

  it('a crash of the real-time container is a HardFault, not a kernel panic', () => {
    const sim = booted(oven());
    const r = run(sim, 'rt', 'attack crash');
    // Cortex-M4 (Armv7-M): a bus error escalated to HardFault, with its cause and an address the map leaves empty.
    expect(r.text).toContain('HardFault: HFSR 0x40000000 (FORCED), CFSR 0x00008200 (BFARVALID PRECISERR: a precise data bus error), BFAR 0x60000000\nRTOS halted.');
    expect(sim.map.resolve(0x6000_0000)).toBeFalsy();
    for (const soc of ['iot-a7m4', 'gateway-a53', 'mcu-16'] as const) expect(new Simulation(makeBoard([], { soc })).map.resolve(0x6000_0000), soc).toBeFalsy();
    expect(r.events.find((e) => e.type === 'vm.crash')).toMatchObject({ cause: 'HardFault' });
    // Cortex-M0+ (Armv6-M): HardFault alone, nothing to say why or where.
    const m0 = booted(makeBoard([{ id: 'adc0', kind: 'adc', domain: 'rt' }], { soc: 'mcu-16', systemMiB: 4, appMiB: 6 }));
    expect(run(m0, 'rt', 'attack crash').text).toContain('HardFault (Armv6-M keeps no fault status or fault address)\nRTOS halted.');
  });

  it('every link networkd serves is in ifconfig, ip addr and ip route, each on a subnet of its own', () => {
    const sim = booted(example('edge-gateway')!.board);
    expect(run(sim, 'app', 'ifconfig').text).toContain('eth1: virtio-net (paravirtual) inet 10.0.3.15/24');
    expect(run(sim, 'app', 'ip addr').text).toContain('eth1: virtio-net inet 10.0.3.15/24');
    expect(run(sim, 'app', 'ip route').text).toContain('10.0.3.0/24 dev eth1 proto kernel scope link src 10.0.3.15');
  });

  it('network interfaces have no /dev node; lsdev and ifconfig still list them', () => {
    const sim = booted(example('smart-oven')!.board);
    const dev = run(sim, 'app', 'ls /dev').text;
    expect(dev).not.toMatch(/\beth0\b/);
    expect(dev).toContain('vda');
    expect(run(sim, 'system', 'ls /dev').text).not.toMatch(/\bwlan0\b/);
    expect(run(sim, 'app', 'lsdev').text).toContain('wifi0');
    expect(run(sim, 'app', 'ifconfig').text).toContain('eth0:');
  });
});
