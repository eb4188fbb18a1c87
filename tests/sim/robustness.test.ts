// Whatever a participant types, the engine answers and stays up: every command
// line ends with output or an error message and a prompt, never an exception.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/model/examples.ts';
import { visibleControls } from '../../src/model/safeText.ts';
import { Simulation, stripAnsi, VM_IDS } from '../../src/sim/index.ts';

const COMMANDS = [
  'help', 'ls', 'cat', 'cd', 'pwd', 'echo', 'ps', 'uname', 'free', 'dmesg', 'lsdev', 'peek', 'poke', 'dma',
  'ifconfig', 'ping', 'curl', 'vmm', 'update', 'launch', 'stop', 'kill', 'supervisor', 'run32', 'clear', 'nosuchcommand',
];
/** Arguments a participant might type, and ones they should not: names that shadow Object.prototype, odd numbers, odd text. */
const WORDS = [
  'list', 'refresh', 'stop', 'start', 'apply', 'copy', 'app', 'rt', 'system', 'app-ram', 'system-ram', 'rt-ram',
  'mailbox', 'pv-buffers', 'dma0', 'wifi0', 'uart0', 'sec0', '/data', '/', '/etc/os-release', '>', '>>',
  '0x0', '0xffffffff', '-1', '99999999999999999999', '4096', 'NaN', 'hello32', 'badptr32', 'browser', 'stuck-app', 'memory-hog',
  'serialize', 'on', 'off', '--ns', 'c1', 'app-0001',
  'system-os-2.0', 'system-os-2.0-badsig', 'updates.vendor.example', 'tracker.ads.example',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', '"', "'", '✓', '\u0000',
];

const lineArb = fc
  .tuple(fc.constantFrom(...COMMANDS), fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 })), { maxLength: 5 }))
  .map(([cmd, args]) => [cmd, ...args].join(' '));

/** Runs one line on a freshly booted board; returns what the console showed. */
function runOnce(vm: (typeof VM_IDS)[number], line: string): string {
  const sim = new Simulation(EXAMPLES[0].board, { seed: 1 });
  sim.powerOn();
  sim.settle();
  sim.drain();
  sim.exec(vm, line);
  sim.settle(120_000);
  return stripAnsi(sim.drain().console.filter((c) => c.vm === vm).map((c) => c.text).join(''));
}

describe('robustness of the guest shells', () => {
  it('names that shadow Object.prototype are handled like any other name: no exception, and the prompt comes back', () => {
    const shadows = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    const prefixes = [...COMMANDS.map((c) => `${c} `), 'vmm refresh ', 'vmm stop ', 'vmm start ', 'update apply ', 'dma dma0 copy app-ram ', ''];
    for (const vm of VM_IDS)
      for (const prefix of prefixes)
        for (const name of shadows) {
          const line = prefix + name;
          let shown = '';
          expect(() => (shown = runOnce(vm, line)), `${vm}: ${line}`).not.toThrow();
          expect(shown, `${vm}: ${line}`).toMatch(/[#>] $/);
        }
  });


  it('random command lines in every console never throw, and each one returns to a prompt', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXAMPLES.map((e) => e.board)),
        fc.array(fc.tuple(fc.constantFrom(...VM_IDS), lineArb), { minLength: 1, maxLength: 12 }),
        (board, lines) => {
          const sim = new Simulation(board, { seed: 3 });
          sim.powerOn();
          sim.settle();
          sim.drain();
          for (const [vm, line] of lines) {
            const g = sim.guests[vm];
            if (!g.atPrompt) continue; // stopped or crashed by an earlier line: nobody to type to
            sim.exec(vm, line);
            sim.settle(120_000);
            const shown = stripAnsi(sim.drain().console.filter((c) => c.vm === vm).map((c) => c.text).join(''));
            // The line as the shell shows it: its control characters made visible.
            expect(shown.startsWith(visibleControls(line)), `echo of ${JSON.stringify(line)}`).toBe(true);
            if (g.state === 'running') expect(g.atPrompt, `prompt after ${JSON.stringify(line)}`).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
