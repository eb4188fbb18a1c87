import { describe, expect, it } from 'vitest';
import { booted, makeBoard, oven, outputLines, run } from './helpers.ts';

describe('lsdev: each environment sees only its own hardware', () => {
  it('given the smart oven, each console lists exactly the devices its environment can use, sorted by id', () => {
    const sim = booted(oven());
    expect(outputLines(run(sim, 'app', 'lsdev').text)).toEqual([
      'dma0 dma direct',
      'uart0 uart direct',
      'wifi0 wifi paravirtual',
    ]);
    expect(outputLines(run(sim, 'system', 'lsdev').text)).toEqual([
      'sec0 security-processor direct',
      'wifi0 wifi direct',
    ]);
    expect(outputLines(run(sim, 'rt', 'lsdev').text)).toEqual(['spi1 spi direct']);
  });

  it('an unassigned component shows up nowhere', () => {
    const sim = booted(oven());
    for (const vm of ['app', 'system', 'rt'] as const) expect(run(sim, vm, 'lsdev').text).not.toContain('gpio2');
  });

  it('a gateway with paravirtualized Ethernet and flash: the app VM sees both as paravirtual, the system VM drives them', () => {
    const board = makeBoard([
      { id: 'eth0', kind: 'ethernet', domain: 'shared' },
      { id: 'flash0', kind: 'flash', domain: 'shared' },
      { id: 'can0', kind: 'can', domain: 'rt' },
      { id: 'adc0', kind: 'adc', domain: 'rt' },
      { id: 'usb0', kind: 'usb-host', domain: 'app' },
    ], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 });
    const sim = booted(board);
    expect(outputLines(run(sim, 'app', 'lsdev').text)).toEqual([
      'eth0 ethernet paravirtual', 'flash0 flash paravirtual', 'usb0 usb-host direct',
    ]);
    expect(outputLines(run(sim, 'system', 'lsdev').text)).toEqual(['eth0 ethernet direct', 'flash0 flash direct']);
    expect(outputLines(run(sim, 'rt', 'lsdev').text)).toEqual(['adc0 adc direct', 'can0 can direct']);
  });

  it('an environment with nothing assigned says so in one line', () => {
    const sim = booted(makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }]));
    const lines = outputLines(run(sim, 'rt', 'lsdev').text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^no devices/);
  });
});

describe('the other everyday commands', () => {
  it('free and ps agree, and nothing is negative, even in the 4 MiB system VM of mcu-16 and an app VM full of apps', () => {
    const sim = booted(makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }, { id: 'wifi0', kind: 'wifi', domain: 'shared' }], { soc: 'mcu-16', systemMiB: 4, appMiB: 6 }));
    for (const vm of ['system', 'rt'] as const) {
      const [total, used, free] = /Mem:\s+(\d+)\s+(\d+)\s+(-?\d+)/.exec(run(sim, vm, 'free').text)!.slice(1).map(Number);
      const rss = [...run(sim, vm, 'ps').text.matchAll(/^\s*\d+\s+(\d+)\s/gm)].reduce((n, m) => n + Number(m[1]), 0);
      expect(used).toBeLessThan(total!);
      expect(free).toBe(total! - used!);
      expect(used).toBe(rss + (vm === 'rt' ? 16 : 1024)); // mcu-16: 1 MiB of kernel run-time memory
    }
    run(sim, 'app', 'launch recipe-book');
    sim.settle(20_000);
    run(sim, 'app', 'launch recipe-book');
    sim.settle(20_000);
    const row = /app VM\s+(\d+)\s+(\d+)\s+(-?\d+)/.exec(run(sim, 'app', 'free').text)!;
    expect(Number(row[3])).toBeGreaterThanOrEqual(0);
  });

  it('ls lists names and refuses an option it cannot honour, such as -l', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'ls -l /').text).toContain("ls: option '-l' is not supported: this ls lists names only (ls [path])");
    expect(run(sim, 'app', 'ls /').text).toContain('data');
  });

  it('the real-time container runs an RTOS, and none of its texts calls it bare-metal', () => {
    const sim = booted(oven());
    const text = run(sim, 'rt', 'cat /README').text + run(sim, 'rt', 'uname -a').text + run(sim, 'rt', 'dmesg').text;
    expect(text).toContain('RTOS');
    expect(text).not.toContain('bare-metal');
  });

  it('uname prints the fields uname(1) names: -r the release, -m the machine, -a with the build date where the version goes', () => {
    const sim = booted(oven());
    const line = (vm: 'system' | 'app' | 'rt', cmd: string) => run(sim, vm, cmd).text.split('\n')[1];
    expect(line('app', 'uname')).toBe('Linux');
    expect(line('app', 'uname -r')).toBe('5.15.148-devicemaker');
    expect(line('app', 'uname -m')).toBe('armv7l');
    expect(line('app', 'uname -rm')).toBe('5.15.148-devicemaker armv7l');
    expect(line('app', 'uname -a')).toBe('Linux app-vm 5.15.148-devicemaker #1 SMP PREEMPT Thu Feb 15 14:07:52 UTC 2024 armv7l GNU/Linux');
    expect(line('system', 'uname -a')).toBe('Linux system-vm 6.6.30-sys #1 SMP PREEMPT Fri May 17 10:21:44 UTC 2024 armv7l GNU/Linux');
    expect(line('app', 'uname -x')).toContain("uname: invalid option -- 'x' — use -a");
  });

  it('uname -a names a different kernel in each environment, the rt one on the profile\'s real-time core', () => {
    const sim = booted(oven());
    expect(run(sim, 'system', 'uname -a').text).toContain('Linux system-vm 6.6.30-sys #1 SMP');
    expect(run(sim, 'app', 'uname -a').text).toContain('Linux app-vm');
    expect(run(sim, 'rt', 'uname -a').text).toContain('Cortex-M4');
  });

  it('echo > and >> write files that cat reads back; unknown commands point at help', () => {
    const sim = booted(oven());
    run(sim, 'app', 'echo first > /tmp/x');
    run(sim, 'app', 'echo second >> /tmp/x');
    expect(outputLines(run(sim, 'app', 'cat /tmp/x').text)).toEqual(['first', 'second']);
    expect(run(sim, 'app', 'frobnicate').text).toContain('frobnicate: command not found — type help');
  });

  it('the boot log appears over about a second or two of simulated time, then dmesg replays it', () => {
    const sim = booted(oven());
    const boots = sim.status();
    expect(boots.every((s) => s.state === 'running')).toBe(true);
    expect(sim.now).toBeGreaterThan(500);
    expect(sim.now).toBeLessThan(2500);
    expect(run(sim, 'system', 'dmesg').text).toMatch(/\[\s+0\.\d{6}\] Booting Linux 6\.6\.30-sys/);
  });

  it('the system VM lists the VMs with vmm list, and ps/free/help work in every console', () => {
    const sim = booted(oven());
    const list = run(sim, 'system', 'vmm list').text;
    expect(list).toMatch(/app\s+Application VM\s+running\s+24 MiB/);
    for (const vm of ['app', 'system', 'rt'] as const) {
      expect(run(sim, vm, 'ps').text).toContain('PID');
      expect(run(sim, vm, 'free').text).toContain(vm === 'app' ? 'app VM' : 'Mem:');
      expect(run(sim, vm, 'help').text).toContain('lsdev');
    }
    expect(run(sim, 'app', 'vmm list').text).toContain('vmm: not in the Application VM — it is a command of the System VM; type it in the System VM console');
  });
});
