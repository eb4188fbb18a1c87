// `help` lists, in each console, the forms that console accepts, in lines that
// fit a 64-column console without wrapping mid-word.
import { describe, expect, it } from 'vitest';
import { booted, oven, outputLines, run } from './helpers.ts';
import { HELP_WIDTH } from '../../src/sim/commands/registry.ts';
import { ATTACKS, ATTACK_TABLE } from '../../src/sim/attacks.ts';

const helpOf = (vm: 'system' | 'app' | 'rt') => outputLines(run(booted(oven()), vm, 'help').text).map((l) => l.replace(/\r$/, ''));

describe('help', () => {
  it('keeps every line within 60 columns in every console', () => {
    expect(HELP_WIDTH).toBe(60);
    for (const vm of ['system', 'app', 'rt'] as const) {
      const long = helpOf(vm).filter((l) => [...l].length > HELP_WIDTH);
      expect(long, vm).toEqual([]);
    }
  });

  it('lists in the system VM only the forms the system VM accepts', () => {
    const text = helpOf('system').join('\n');
    expect(text).toMatch(/^ {2}wifi list$/m);
    expect(text).toMatch(/^ {2}update timing$/m);
    expect(text).toContain('attack crash|hang|oom');
    for (const appOnly of ['wifi scan', 'wifi join', 'hold <minutes>', 'dma-escape', 'malware', '--ns', '/dev/vda', '/data', '(app)', '(system)']) {
      expect(text, appOnly).not.toContain(appOnly);
    }
    // ...and those forms are refused there, which is why help leaves them out.
    const sim = booted(oven());
    expect(run(sim, 'system', 'wifi scan').text).toContain('wifi scan: not in the System VM — it is a command of the Application VM');
    expect(run(sim, 'system', 'attack dma-escape').text).toContain('run it from the application VM');
  });

  it('lists in the application VM and the real-time container only their own forms', () => {
    const app = helpOf('app').join('\n');
    expect(app).toMatch(/^ {2}update timing \[hold <minutes>\|release\]$/m);
    expect(app).toMatch(/^ {2}wifi scan$/m);
    for (const systemOnly of ['update list', 'update apply', 'update rollback', 'wifi list', 'wifi set', 'vmm ']) {
      expect(app, systemOnly).not.toContain(systemOnly);
    }
    expect(app).toMatch(/^ {2}stop <app \| app-id>$/m); // one form, not split at the | inside <…>
    const rt = helpOf('rt').join('\n');
    expect(rt).toContain('attack dma-escape [<master-id>]|crash|hang|oom');
    for (const elsewhere of ['malware', '--ns', 'application VM:']) expect(rt, elsewhere).not.toContain(elsewhere);
    const sim = booted(oven());
    expect(run(sim, 'app', 'update list').text).toContain("only 'update timing");
    expect(run(sim, 'rt', 'attack malware').text).toContain('run it there');
  });

  it('lists in each console the attacks the attack table lets it run, and the table refuses the others', () => {
    expect(Object.keys(ATTACK_TABLE)).toEqual([...ATTACKS]);
    for (const vm of ['system', 'app', 'rt'] as const) {
      const own = ATTACKS.filter((a) => ATTACK_TABLE[a].where.includes(vm));
      const line = helpOf(vm).find((l) => l.startsWith('  attack '))!;
      expect(line.slice(2).split(' — ')[0], vm).toBe(`attack ${own.map((a) => a + ATTACK_TABLE[a].args).join('|')}`);
      for (const other of ATTACKS.filter((a) => !own.includes(a))) {
        const text = run(booted(oven()), vm, `attack ${other}`).text;
        expect(text, `${vm} ${other}`).toContain(`attack ${other}: ${ATTACK_TABLE[other].refusal}`);
      }
    }
  });
});
