import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { VmId } from '../../src/sim/index.ts';
import { booted, oven, terminal } from './helpers.ts';

describe('line editing in a guest console, as xterm.js sends keys', () => {
  it('typing echoes, Enter runs the line', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'app');
    t.type('echo hello\r');
    expect(t.screen.text()).toContain('root@app-vm:~# echo hello\nhello\nroot@app-vm:~#');
  });

  it('C1 control characters are neither echoed nor put in the line (a CSI would be obeyed by the terminal)', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'app');
    const echoed: string[] = [];
    t.type('echo a\u009b2Jb');
    for (const c of sim.drain().console) echoed.push(c.text);
    expect(echoed.join('')).not.toMatch(/[\u0080-\u009f]/);
    t.type('\r');
    expect(t.screen.text()).toContain('\na2Jb\n');
  });

  it('a whole command line run for the user (a script, a lesson\'s "Show me") has its controls shown, not obeyed', () => {
    const sim = booted(oven());
    sim.drain();
    sim.exec('app', 'echo a\u001b[2J\u009b31mb\u0007');
    sim.settle();
    const out = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    // The echoed line and the command's output: an erase-screen, a C1 CSI and a bell would all be obeyed.
    expect(out).not.toMatch(/\u001b\[2J|[\u0080-\u009f]|\u0007/);
    expect(out).toContain('echo a\\u001b[2J\\u009b31mb\\u0007');
  });

  it('backspace erases the last character on screen and in the line', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'app');
    t.type('echo helxx');
    t.type('\x7f\x7flo');
    expect(t.screen.current).toBe('root@app-vm:~# echo hello');
    t.type('\b\b\b\r');
    expect(t.screen.text()).toContain('\nhe\n');
  });

  it('left/right arrows move inside the line and typing inserts in the middle', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'app');
    t.type('echo wrld');
    t.type('\x1b[D\x1b[D\x1b[D');
    t.type('o');
    expect(t.screen.current).toBe('root@app-vm:~# echo world');
    t.type('\x1b[C\x1b[C\x1b[C!\r');
    expect(t.screen.text()).toContain('\nworld!\n');
  });

  it('backspace in the middle of the line closes the gap', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'app');
    t.type('echo abXcd\x1b[D\x1b[D\x7f\r');
    expect(t.screen.text()).toContain('\nabcd\n');
  });

  it('up and down walk the history and replace the line on screen', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'app');
    t.type('echo one\r');
    t.type('echo two\r');
    t.type('echo dra');
    t.type('\x1b[A');
    expect(t.screen.current).toBe('root@app-vm:~# echo two');
    t.type('\x1b[A');
    expect(t.screen.current).toBe('root@app-vm:~# echo one');
    t.type('\x1b[B\x1b[B');
    expect(t.screen.current).toBe('root@app-vm:~# echo dra');
    t.type('\x1b[A\x1b[A\r');
    expect(t.screen.text()).toMatch(/echo one\none\nroot@app-vm:~#$/);
  });

  it('Ctrl-C abandons the line with ^C and a fresh prompt; Ctrl-L clears and redraws', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'app');
    t.type('echo never');
    t.type('\x03');
    expect(t.screen.text()).toMatch(/echo never\^C\nroot@app-vm:~#$/);
    t.type('echo kept\x0c');
    expect(t.screen.text()).toBe('root@app-vm:~# echo kept');
  });

  it('Ctrl-C interrupts a running command (a ping) and gives the prompt back', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'app');
    sim.keys('app', 'ping updates.vendor.example\r');
    sim.advance(1500);
    t.type('\x03');
    expect(t.screen.text()).toMatch(/icmp_seq=2.*\n\^C\nroot@app-vm:~#$/s);
  });

  it('pasted text with several lines runs each line in turn', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'rt');
    t.type('echo a\recho b\r\n');
    expect(t.screen.text()).toMatch(/rt> echo a\na\nrt> echo b\nb\nrt>$/);
  });

  it('tab completes a command name', () => {
    const sim = booted(oven());
    const t = terminal(sim, 'system');
    t.type('vm\t');
    expect(t.screen.current).toBe('root@system-vm:~# vmm');
  });

  it('keys typed while a VM boots are applied at the prompt; keys to a crashed VM print nothing', () => {
    const sim = booted(oven());
    sim.exec('app', 'reboot');
    sim.advance(200);
    sim.keys('app', 'echo early\r');
    sim.settle();
    const text = sim.drain().console.filter((c) => c.vm === 'app').map((c) => c.text).join('');
    expect(text).toMatch(/echo early\r\nearly\r\n/);

    const crashed = booted(oven('firewall-id', { refresh: { onCrash: false } }));
    crashed.exec('app', 'attack crash');
    crashed.settle();
    crashed.drain();
    crashed.keys('app', 'echo anyone?\r');
    crashed.exec('app', 'ls');
    crashed.settle();
    expect(crashed.drain().console.filter((c) => c.vm === 'app')).toEqual([]);
  });
});

describe('a daemon message while the participant is typing', () => {
  it('is printed above the prompt, and the half-typed line comes back with the cursor where it was', () => {
    const sim = booted(oven('none'));
    const sys = terminal(sim, 'system');
    sys.type('vmm li');
    sys.type('\x1b[D\x1b[D'); // cursor under "l"
    sim.exec('app', 'attack dma-escape'); // the security processor's measurement reports the escape
    sys.type('');
    const lines = sys.screen.text().split('\n');
    expect(lines.at(-2)).toMatch(/^\[sec0\] measurement of the system VM kernel does not match/);
    expect(sys.screen.current).toBe('root@system-vm:~# vmm li');
    sys.type('s'); // typed at the restored cursor, before "li"
    expect(sys.screen.current).toBe('root@system-vm:~# vmm sli');
  });
});

describe('the echo the page draws ahead (Guest.echoesTyping)', () => {
  const KEYS = ['l', 's', ' ', 'x', '\x7f', '\x1b[D', '\x1b[C', '\x01', '\x05', '\t', '\x15', '\x03', '\r', 'echo hi\r', '\x15curl http://example.com\r', 'a\x1b[D'];

  it('whenever a guest says it echoes a printable key as itself, the next key comes back as exactly that key', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ vm: fc.constantFrom<VmId>('app', 'system'), keys: fc.constantFrom(...KEYS), waitMs: fc.integer({ min: 0, max: 1500 }) }), { maxLength: 25 }),
        fc.constantFrom('q', 'Z', '~', ' ', '7'),
        (steps, typed) => {
          const sim = booted(oven());
          let foretold = 0;
          for (const step of steps) {
            sim.keys(step.vm, step.keys);
            sim.advance(step.waitMs);
            for (const vm of sim.echoing()) {
              sim.drain();
              sim.keys(vm, typed);
              expect(sim.drain().console.filter((c) => c.vm === vm).map((c) => c.text).join('')).toBe(typed);
              foretold++;
            }
          }
          // The rule does not hold by saying nothing: at a fresh prompt both guests echo.
          return steps.length > 0 || foretold === 0;
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a guest running a command, or with the cursor inside the line, does not say it echoes', () => {
    const sim = booted(oven());
    expect(sim.echoing()).toEqual(expect.arrayContaining(['app', 'system']));
    sim.keys('app', 'echo ab\x1b[D');
    expect(sim.echoing()).not.toContain('app'); // an insert redraws the rest of the line
    sim.keys('app', '\x05');
    expect(sim.echoing()).toContain('app');
    sim.keys('app', '\x15curl http://example.com\r');
    expect(sim.echoing()).not.toContain('app'); // the request takes simulated time; keys typed meanwhile wait
    sim.keys('app', 'x');
    sim.advance(2000);
    expect(sim.echoing()).toContain('app');
  });
});
