import { describe, expect, it, vi } from 'vitest';
import { lessonIdFromHash, lessonLink } from '../../src/ui/lessons/lessonLink.ts';

describe('lesson links', () => {
  it('names the lesson in the fragment and reads it back', () => {
    const url = lessonLink('broken-oven', 'https://example.org/lab/');
    expect(url).toBe('https://example.org/lab/#lesson=broken-oven');
    expect(lessonIdFromHash(new URL(url).hash)).toBe('broken-oven');
  });

  it('leave out ?embed=1: whoever opens one gets the whole page, not a course\'s trimmed frame', () => {
    vi.stubGlobal('location', new URL('https://lms.example.org/lab/?embed=1&lang=en#x'));
    try {
      expect(lessonLink('broken-oven')).toBe('https://lms.example.org/lab/?lang=en#lesson=broken-oven');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('ignores other fragments', () => {
    expect(lessonIdFromHash('#board=abc')).toBeNull();
    expect(lessonIdFromHash('')).toBeNull();
  });
});

describe('lesson-file links (the builder)', async () => {
  const { lessonFileLink, lessonFromHash } = await import('../../src/ui/lessons/lessonLink.ts');
  const { findLesson } = await import('../../src/lessons/index.ts');

  it('carry a whole lesson and read it back unchanged', async () => {
    const lesson = { ...findLesson('dma-escape')!, id: 'my-escape' };
    const hash = new URL(lessonFileLink(lesson, 'https://example.org/lab/')).hash;
    const r = await lessonFromHash(hash);
    expect(r && r.ok && r.lesson).toEqual(JSON.parse(JSON.stringify(lesson)));
  });

  it('refuse, before it is expanded, a short link that would expand past the lesson file limit', async () => {
    const LZString = (await import('lz-string')).default;
    const bomb = LZString.compressToEncodedURIComponent('a'.repeat(3_000_000));
    expect(bomb.length).toBeLessThan(200_000);
    const r = await lessonFromHash(`#lesson-file=${bomb}`);
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('expands to more than 1,000,000 characters') });
  });

  it('refuse a damaged link whole', async () => {
    expect(await lessonFromHash('#lesson-file=%%%')).toMatchObject({ ok: false });
    // Changed on its way: it still expands, to text that is not a lesson file (here, the file's start alone).
    const LZString = (await import('lz-string')).default;
    const damaged = `#lesson-file=${LZString.compressToEncodedURIComponent('{"format": "isolation-lab/lesson", "version": 1, "ti')}`;
    expect(await lessonFromHash(damaged)).toEqual({ ok: false, error: '$: the link is damaged (it does not hold a whole lesson file); copy the whole link again.' });
    expect(await lessonFromHash('#board=abc')).toBeNull();
  });
});

describe('the builder records registry actions as lesson actions', async () => {
  const { asLessonAction } = await import('../../src/ui/lessons/recorder.ts');
  it('maps board edits, power and commands, and ignores the rest', () => {
    expect(asLessonAction('addComponent', { kind: 'dma', domain: 'app', at: { x: 1, y: 2 } })).toEqual({ do: 'add', kind: 'dma', domain: 'app' });
    expect(asLessonAction('moveComponent', { id: 'dma0', domain: 'rt', at: { x: 1, y: 2 } })).toEqual({ do: 'assign', id: 'dma0', domain: 'rt' });
    expect(asLessonAction('attack', { name: 'malware', vm: 'app' })).toEqual({ do: 'type', vm: 'app', line: 'attack malware' });
    expect(asLessonAction('powerOn', undefined)).toEqual({ do: 'power-on' });
    expect(asLessonAction('setHotSpare', true)).toEqual({ do: 'hot-spare', on: true });
    expect(asLessonAction('findComponent', 'dma0')).toBeNull();
  });
});

describe('lesson progress from two tabs', async () => {
  const { mergeProgress } = await import('../../src/ui/lessons/lessonTracking.ts');
  it('keeps the most of each: steps, done, the best score', () => {
    const a = { 'dma-escape': { steps: 3, done: true }, 'broken-oven': { steps: 4, done: true, best: 9 } };
    const b = { 'dma-escape': { steps: 1, done: false }, 'broken-oven': { steps: 2, done: false, best: 7 }, 'memory-budget': { steps: 1, done: false } };
    expect(mergeProgress(a, b)).toEqual({
      'dma-escape': { steps: 3, done: true },
      'broken-oven': { steps: 4, done: true, best: 7 },
      'memory-budget': { steps: 1, done: false },
    });
    expect(mergeProgress(b, a)).toEqual(mergeProgress(a, b));
    // Anything else in storage is left out.
    expect(mergeProgress(a, { junk: 3 } as never)).toEqual(a);
  });
});
