// Lessons as data: every built-in reference solution meets every goal when
// played headless, and leaving out any one of its actions breaks it.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyBoard } from '../../src/model/board.ts';
import {
  ALL_LESSONS, CHALLENGES, HeadlessLab, LESSONS, boardChanges, describeAction, describeEvent, evaluate, parseLessonFile, serializeLesson, verifyLesson,
  type LabState, type LessonAction,
} from '../../src/lessons/index.ts';

const state = (over: Partial<LabState> = {}): LabState => ({ board: emptyBoard('iot-a7m4'), powered: false, running: null, status: [], events: [], ...over });

describe('built-in lessons', () => {
  it('has at least eight lessons and a challenge, with unique ids', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(8);
    expect(CHALLENGES.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ALL_LESSONS.map((l) => l.id)).size).toBe(ALL_LESSONS.length);
  });

  for (const lesson of ALL_LESSONS) {
    describe(lesson.id, () => {
      it('its starting board does not already meet the first goal', () => {
        expect(evaluate(lesson.steps[0].goal, state({ board: lesson.board })).met).toBe(false);
      });

      it('its reference solution meets every goal', () => {
        const report = verifyLesson(lesson);
        expect(report.steps.filter((s) => !s.met)).toEqual([]);
        expect(report.ok).toBe(true);
        expect(report.steps).toHaveLength(lesson.steps.length);
      });

      it('leaving out any one action of the solution fails it', () => {
        const solution = lesson.steps.map((s) => s.solution);
        const survivors: string[] = [];
        solution.forEach((actions, i) => actions.forEach((a, j) => {
          const mutated: LessonAction[][] = solution.map((acts, k) => (k === i ? acts.filter((_, x) => x !== j) : acts));
          if (verifyLesson(lesson, mutated).ok) survivors.push(`step ${i + 1}: ${JSON.stringify(a)}`);
        }));
        expect(survivors).toEqual([]);
      });
    });
  }

  it("a challenge's par is the number of board changes its solution makes", () => {
    for (const c of CHALLENGES) expect(c.par).toBe(verifyLesson(c).changes);
  });
});

describe('goal checks', () => {
  const ev = (type: string, more: Record<string, unknown> = {}) => ({ type, t: 0, message: type, ...more });

  it('a board goal met by an edit made while the board runs waits for the running board to have it', () => {
    const before = emptyBoard('iot-a7m4');
    const edited = { ...before, components: [{ id: 'wifi0', kind: 'wifi' as const, domain: 'shared' as const }] };
    const goal = { check: 'component', id: 'wifi0', domain: 'shared' } as const;
    expect(evaluate(goal, state({ board: edited }))).toEqual({ met: true });
    const stale = evaluate(goal, state({ board: edited, powered: true, running: before }));
    expect(stale).toMatchObject({ met: false, why: expect.stringContaining('apply & reboot') });
    expect(evaluate(goal, state({ board: edited, powered: true, running: edited }))).toEqual({ met: true });
    // A goal the running board met already (no edit since) is met, whatever the editor holds.
    expect(evaluate({ check: 'powered' }, state({ board: edited, powered: true, running: before })).met).toBe(true);
  });

  it('an event goal matches type and every required detail', () => {
    const goal = { check: 'event', type: 'vm.refresh', where: { reason: 'compromise' } } as const;
    expect(evaluate(goal, state({ events: [ev('vm.refresh', { reason: 'crash' })] }))).toEqual({ met: false, why: 'no VM has been refreshed after a compromise yet' });
    expect(evaluate(goal, state({ events: [ev('vm.refresh', { reason: 'compromise' })] })).met).toBe(true);
  });

  it('says in words, not event syntax, what has not happened yet in every built-in lesson', () => {
    expect(evaluate({ check: 'event', type: 'vm.boot', where: { vm: 'system' } }, state({}))).toEqual({ met: false, why: 'the System VM has not booted yet' });
    expect(evaluate({ check: 'event', type: 'dma.blocked', where: { protection: 'firewall-id' } }, state({})))
      .toEqual({ met: false, why: 'no DMA transfer has been stopped by its protection "Firewall identity" yet' });
    expect(evaluate({ check: 'event', type: 'app.timeout', where: { app: 'stuck-app' } }, state({}))).toEqual({ met: false, why: 'stuck-app has not timed out yet' });
    const goals = ALL_LESSONS.flatMap((l) => l.steps.flatMap((s) => ('all' in s.goal ? s.goal.all : [s.goal])));
    const events = goals.filter((g) => 'check' in g && (g.check === 'event' || g.check === 'no-event'));
    expect(events.length).toBeGreaterThan(10);
    for (const g of events) {
      if (!('type' in g)) continue;
      const { notYet, happened } = describeEvent(g.type, g.where);
      for (const text of [notYet, happened]) {
        expect(text, g.type).not.toContain(g.type);
        expect(text, g.type).not.toMatch(/=|\bevent\b/);
      }
    }
    // A type no built-in lesson uses still reads as a sentence, naming the type.
    expect(describeEvent('vm.crash', { vm: 'app', cause: 'boot-failed' }).notYet).toBe('a "vm.crash" event (in the Application VM, cause boot-failed) has not happened yet');
  });

  it('a no-event goal fails on the event and says which', () => {
    const r = evaluate({ check: 'no-event', type: 'dma.escape' }, state({ events: [ev('dma.escape')] }));
    expect(r.met).toBe(false);
  });

  it('a component goal names the kind as the palette does', () => {
    expect(evaluate({ check: 'component', kind: 'security-processor', domain: 'system' }, state({}))).toEqual({ met: false, why: 'needs a Security processor in System VM; the board has none yet' });
    expect(evaluate({ check: 'component', id: 'wifi0', kind: 'wifi', domain: 'shared' }, state({}))).toEqual({ met: false, why: 'needs wifi0 (Wi-Fi) in Paravirtualized; the board has none yet' });
  });

  it('a component goal says where the blocks of that kind are instead, not that there are none', () => {
    const board = { ...emptyBoard('iot-a7m4'), components: [{ id: 'wifi0', kind: 'wifi' as const, domain: 'app' as const }, { id: 'adc0', kind: 'adc' as const, domain: 'rt' as const }] };
    expect(evaluate({ check: 'component', kind: 'wifi', domain: 'shared' }, state({ board }))).toEqual({ met: false, why: 'needs a Wi-Fi in Paravirtualized; wifi0 is in Application VM' });
    expect(evaluate({ check: 'component', kind: 'adc', domain: 'app' }, state({ board }))).toEqual({ met: false, why: 'needs an ADC in Application VM; adc0 is in Real-time container' });
    expect(evaluate({ check: 'component', kind: 'uart', domain: 'app', count: 2 }, state({ board }))).toEqual({ met: false, why: 'needs 2 × UART in Application VM; the board has 0' });
  });

  it('all: the first unmet part is the reason', () => {
    const r = evaluate({ all: [{ check: 'powered' }, { check: 'all-assigned' }] }, state({ powered: true }));
    expect(r).toEqual({ met: false, why: 'the board has no components yet' });
  });

  it('bootable ignores security holes but not memory', () => {
    const b = { ...emptyBoard('mcu-16'), components: [{ id: 'dma0', kind: 'dma' as const, domain: 'app' as const, dmaProtection: 'none' as const }] };
    expect(evaluate({ check: 'bootable' }, state({ board: b })).met).toBe(true);
    expect(evaluate({ check: 'no-errors' }, state({ board: b })).met).toBe(false);
    const big = { ...b, vms: { system: { memoryMiB: 64 }, app: { memoryMiB: 64 } } };
    expect(evaluate({ check: 'bootable' }, state({ board: big }))).toMatchObject({ met: false, why: expect.stringContaining('memory-budget') });
  });
});

describe('a step after a mistake', () => {
  // Attacking before rebooting into the fix is a natural mistake: the escape it shows must not keep
  // the step unmet for good once the fix is applied and the board rebooted.
  it('lesson 2, step 2: attack before the reboot escapes; after the reboot the same attack meets the step', () => {
    const lesson = LESSONS.find((l) => l.id === 'dma-escape')!;
    const step1: LessonAction[] = [
      { do: 'protect', id: 'dma0', protection: 'firewall-id' },
      { do: 'type', vm: 'app', line: 'attack dma-escape' }, // still the old board: escapes
    ];
    const early = verifyLesson(lesson, [lesson.steps[0]!.solution, step1]);
    expect(early.steps[1]?.met).toBe(false);
    const fixed = verifyLesson(lesson, [lesson.steps[0]!.solution, [...step1, { do: 'restart' }, { do: 'type', vm: 'app', line: 'attack dma-escape' }]]);
    expect(fixed.steps[1]?.met).toBe(true);
  });

  it('the broken oven: exfiltration through a passed-through wifi0, then the fix and a reboot, meets the attack step', () => {
    const lesson = CHALLENGES.find((l) => l.id === 'broken-oven')!;
    const malware = lesson.steps.findIndex((s) => JSON.stringify(s.goal).includes('net.exfiltrated'));
    expect(malware).toBeGreaterThan(0);
    const solution = lesson.steps.map((s) => s.solution);
    // Fix only what keeps the board from booting, so wifi0 stays in the application VM.
    const attack: LessonAction = { do: 'type', vm: 'app', line: 'attack malware' };
    const atMalware: LessonAction[] = [{ do: 'assign', id: 'wifi0', domain: 'app' }, { do: 'restart' }, attack];
    const mistaken = verifyLesson(lesson, solution.map((s, i) => (i === malware ? atMalware : s)));
    expect(mistaken.steps[malware]).toMatchObject({ met: false, why: expect.stringContaining('data left the device past networkd since the last power on') });
    // The hint's fix: wifi0 paravirtualized, apply & reboot, attack again.
    const repaired = verifyLesson(lesson, solution.map((s, i) => (i === malware ? [...atMalware, { do: 'assign', id: 'wifi0', domain: 'shared' }, { do: 'restart' }, attack] : s)));
    expect(repaired.steps[malware]?.met).toBe(true);
  });
});

describe('lesson file', () => {
  it('round-trips every built-in lesson', () => {
    for (const l of ALL_LESSONS) {
      const r = parseLessonFile(serializeLesson(l));
      expect(r.ok && r.lesson).toEqual(JSON.parse(JSON.stringify(l)));
    }
  });

  it('keeps every refresh setting the Board settings form records (how often secmon measures, part schedules)', () => {
    const set: LessonAction = { do: 'refresh-policy', everySeconds: 3600, onCrash: true, onCompromise: true, measureEverySeconds: 30, parts: [{ part: 'kernel', randomSeconds: [60, 600] }] };
    const lesson = { ...LESSONS[0]!, id: 'my-refresh', steps: [{ ...LESSONS[0]!.steps[0]!, solution: [...LESSONS[0]!.steps[0]!.solution, set] }] };
    const r = parseLessonFile(serializeLesson(lesson));
    expect(r.ok && r.lesson.steps[0]!.solution.at(-1)).toEqual(set);
    // And still refuses what the board file would: a part schedule with an unknown part.
    const bad = JSON.parse(serializeLesson(lesson));
    bad.steps[0].solution.at(-1).parts[0].part = 'firmware';
    expect(parseLessonFile(JSON.stringify(bad)).ok).toBe(false);
  });

  it('keeps the hot spare the Board settings form records, and plays it as a board change', () => {
    const spare: LessonAction = { do: 'hot-spare', on: true };
    const lesson = { ...LESSONS[0]!, id: 'my-spare', steps: [{ ...LESSONS[0]!.steps[0]!, solution: [spare] }] };
    const r = parseLessonFile(serializeLesson(lesson));
    expect(r.ok && r.lesson.steps[0]!.solution).toEqual([spare]);
    expect(describeAction(spare)).toBe('keep a hot spare of the application VM');
    expect(boardChanges([spare, { do: 'power-on' }])).toBe(1);
    const lab = new HeadlessLab(emptyBoard('iot-a7m4'));
    expect(lab.perform(spare)).toBeNull();
    expect(lab.board.vms.app.hotSpare).toBe(true);
    lab.perform({ do: 'hot-spare', on: false });
    expect(lab.board.vms.app.hotSpare).toBeUndefined();
    const bad = JSON.parse(serializeLesson(lesson));
    bad.steps[0].solution[0].on = 'yes';
    expect(parseLessonFile(JSON.stringify(bad)).ok).toBe(false);
  });

  it('refuses a command line with control characters, naming where and why', () => {
    const bad = JSON.parse(serializeLesson(LESSONS[0]!));
    bad.steps[0].solution = [{ do: 'type', vm: 'app', line: 'echo \u001b[2Jgone\u009b31m' }];
    const r = parseLessonFile(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^\$\.steps\[0\]\.solution\[0\]\.line: a command line cannot hold control characters/);
    // The message quotes nothing of the line raw.
    expect(!r.ok && r.error).not.toMatch(/[\u001b\u009b]/);
  });

  it('refuses a bad goal whole, naming where', () => {
    const bad = JSON.parse(serializeLesson(LESSONS[0]));
    bad.steps[1].goal = { check: 'telepathy' };
    const r = parseLessonFile(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^\$\.steps\[1\]\.goal: not a goal this file format has: "check" is one of component, /);
  });

  it('refuses a goal on an event type or a diagnostic rule that does not exist: it could never be met, or always would be', () => {
    const bad = JSON.parse(serializeLesson(LESSONS[0]));
    bad.steps[1].goal = { all: [{ check: 'bootable' }, { check: 'no-event', type: 'dma.escpae' }] };
    const r = parseLessonFile(JSON.stringify(bad));
    expect(!r.ok && r.error).toMatch(/^\$\.steps\[1\]\.goal\.all\[1\]\.type: "dma\.escpae" is not an event type: docs\/events\.md lists them/);
    bad.steps[1].goal = { check: 'no-diagnostic', rules: ['memory-budget', 'dma-unprotectd'] };
    const rule = parseLessonFile(JSON.stringify(bad));
    expect(!rule.ok && rule.error).toMatch(/^\$\.steps\[1\]\.goal\.rules\[1\]: "dma-unprotectd" is not a diagnostic rule/);
  });

  it('refuses an action on a kind of hardware that does not exist', () => {
    const bad = JSON.parse(serializeLesson(LESSONS[0]));
    bad.steps[0].solution = [{ do: 'add', kind: 'flux-capacitor', domain: 'app' }];
    const r = parseLessonFile(JSON.stringify(bad));
    expect(!r.ok && r.error).toMatch(/^\$\.steps\[0\]\.solution\[0\]\.kind/);
  });

  it('refuses a bad board with its path inside the lesson', () => {
    const bad = JSON.parse(serializeLesson(LESSONS[0]));
    bad.board.soc = 'z80';
    const r = parseLessonFile(JSON.stringify(bad));
    expect(!r.ok && r.error).toMatch(/^\$\.board\.soc/);
  });

  it('refuses a newer version and what is not JSON', () => {
    const newer = { ...JSON.parse(serializeLesson(LESSONS[0])), version: 9 };
    expect(parseLessonFile(JSON.stringify(newer))).toMatchObject({ ok: false, error: expect.stringContaining('version 9') });
    expect(parseLessonFile('{').ok).toBe(false);
  });
});

describe('concept cards', () => {
  it('every diagram fits the card at 1280×720 without scrolling sideways: 36 characters a line at most', async () => {
    // The side column is 280 px there, and the diagram's 11 px monospace takes about 6.6 px a character.
    const { CONCEPTS } = await import('../../src/lessons/index.ts');
    const long = CONCEPTS.flatMap((c) => (c.diagram ?? '').split('\n').filter((l) => [...l].length > 36).map((l) => `${c.id}: ${l}`));
    expect(long).toEqual([]);
  });

  it('a VM\'s own events open that VM\'s card: the real-time container\'s boot, its own', async () => {
    const { conceptOfEvent } = await import('../../src/lessons/index.ts');
    expect(conceptOfEvent('vm.boot', 'rt')?.title).toBe('Real-time container');
    expect(conceptOfEvent('vm.boot', 'app')?.title).toBe('Application VM');
    expect(conceptOfEvent('vm.stop', 'system')?.title).toBe('System VM');
    expect(conceptOfEvent('app.oom', 'app')?.title).toBe('Container');
  });

  it('every concept a lesson or step links to has a card, and ids are unique', async () => {
    const { CONCEPTS, concept } = await import('../../src/lessons/index.ts');
    expect(new Set(CONCEPTS.map((c) => c.id)).size).toBe(CONCEPTS.length);
    const linked = ALL_LESSONS.flatMap((l) => [...l.concepts, ...l.steps.flatMap((s) => s.concepts ?? [])]);
    expect(linked.filter((id) => !concept(id))).toEqual([]);
  });

  it('every event type of the reference (docs/events.md) has a card about it, as the lessons page says', async () => {
    const { conceptAbout, concept } = await import('../../src/lessons/index.ts');
    const table = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
    const types = [...table.matchAll(/^\| (`[a-z0-9.-]+`(?:, `[a-z0-9.-]+`)*) \|/gm)].flatMap((m) => m[1]!.split(', ').map((t) => t.slice(1, -1))).filter((t) => t.includes('.'));
    expect(types.length).toBeGreaterThan(30);
    expect(types.filter((t) => !conceptAbout(t))).toEqual([]);
    // The watchdog card says the engine's own timeout.
    const { WATCHDOG_TIMEOUT_MS } = await import('../../src/sim/engine.ts');
    expect(concept('watchdog')!.text).toContain(`for ${WATCHDOG_TIMEOUT_MS / 1000} s`);
    // …and, as the engine does, that only a watchdog assigned to the system VM resets it.
    expect(concept('watchdog')!.text).toContain('a board that gives the system VM no watchdog leaves it hung until power off');
  });

  it('every diagnostic rule the checker has has a card about it', async () => {
    const { conceptAbout } = await import('../../src/lessons/index.ts');
    const { RULES } = await import('../../src/model/check.ts');
    expect(RULES.length).toBeGreaterThan(10);
    expect(RULES.filter((r) => !conceptAbout(r))).toEqual([]);
  });
});
