import { describe, expect, it } from 'vitest';
import { lessonIdFromHash, lessonLink } from '../../src/ui/lessons/lessonLink.ts';

describe('lesson links', () => {
  it('names the lesson in the fragment and reads it back', () => {
    const url = lessonLink('broken-oven', 'https://example.org/lab/');
    expect(url).toBe('https://example.org/lab/#lesson=broken-oven');
    expect(lessonIdFromHash(new URL(url).hash)).toBe('broken-oven');
  });

  it('ignores other fragments', () => {
    expect(lessonIdFromHash('#board=abc')).toBeNull();
    expect(lessonIdFromHash('')).toBeNull();
  });
});
