import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, excerpt, EXCERPT_CHARS, MAX_MESSAGE_CHARS, quote, safeJson, safeMessage, visibleControls } from '../../src/model/safeText.ts';

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('safe text', () => {
  it('shows controls as JSON-style escapes: \\n, \\r, \\t, else \\u00XX (C0, DEL, C1)', () => {
    expect(visibleControls('a\x1b[2Jb')).toBe('a\\u001b[2Jb');
    expect(visibleControls('\x00\x07\x0a\x0d\x7f')).toBe('\\u0000\\u0007\\n\\r\\u007f');
    expect(visibleControls('\x9b31m\x9d8;;http://x\x9c')).toBe('\\u009b31m\\u009d8;;http://x\\u009c');
    expect(visibleControls('line one\nline two\x1b', '\n')).toBe('line one\nline two\\u001b');
  });

  it('shows the bidirectional formatting characters too: they reorder what follows them', () => {
    expect(visibleControls('invoice\u202egnp.exe')).toBe('invoice\\u202egnp.exe');
    expect(visibleControls('\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u202a\u202b\u202c\u202d')).toBe(
      '\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u202a\\u202b\\u202c\\u202d');
  });

  it('quotes a name in a sentence as one isolate that nothing in the name can close or leave open', () => {
    // A PDI in the name would close the isolate early, and the RLO after it would reverse the rest of the sentence.
    expect(quote('\u2069\u202eevil')).toBe('“\u2068\\u2069\\u202eevil\u2069”');
    expect(quote('فرن ذكي')).toBe('“\u2068فرن ذكي\u2069”');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const q = quote(s);
      expect(q.startsWith('“\u2068') && q.endsWith('\u2069”')).toBe(true);
      expect(CONTROL.test(q.slice(2, -2))).toBe(false);
      expect([...q.slice(2, -2)].length).toBeLessThanOrEqual(80);
    }));
  });

  it('leaves ordinary text alone, including non-Latin letters and emoji', () => {
    expect(visibleControls('Four ovens — 四つのオーブン 🍞')).toBe('Four ovens — 四つのオーブン 🍞');
  });

  it('given any text, then no control character is left (but those asked to be kept)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(CONTROL.test(visibleControls(s))).toBe(false);
      expect(CONTROL.test(excerpt(s))).toBe(false);
      expect(CONTROL.test(safeMessage(s).replace(/\n/g, ''))).toBe(false);
      const kept = safeMessage(s, { multiline: true });
      expect(CONTROL.test(kept.replace(/\n/g, ''))).toBe(false);
    }));
  });

  it('quotes at most a short excerpt, cut on a whole character', () => {
    const long = 'x'.repeat(2_000_000);
    expect(excerpt(long)).toHaveLength(EXCERPT_CHARS);
    expect(excerpt(long).endsWith('…')).toBe(true);
    expect(excerpt('short')).toBe('short');
    expect(clip('ab🍞cd', 3)).toBe('ab…');
    expect(clip('a🍞cd', 3)).toBe('a…');
    expect(safeMessage('m'.repeat(5000)).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });

  it('writes JSON whose strings carry C1 controls as escapes, with the same value', () => {
    const value = { text: 'a\x9b2Jb\x1b' };
    const json = safeJson(value);
    expect(CONTROL.test(json)).toBe(false);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('console input', () => {
  it('passes one keypress\'s escape sequence and the editing keys unchanged', async () => {
    const { consoleInput } = await import('../../src/model/safeText.ts');
    for (const key of ['\x1b[A', '\x1b[B', '\x1b[C', '\x1b[D', '\x1bOH', '\x1b[3~', '\x1b[1;5C', '\r', '\x7f', '\t', '\x03', '\x0c', 'ls -l\r']) {
      expect(consoleInput(key)).toBe(key);
    }
  });

  it('makes escapes inside pasted text and every C1 control visible', async () => {
    const { consoleInput } = await import('../../src/model/safeText.ts');
    expect(consoleInput('echo \x1b[2J\x1b]8;;http://x\x07hi\r')).toBe('echo \\u001b[2J\\u001b]8;;http://x\\u0007hi\r');
    expect(consoleInput('\x9b2J')).toBe('\\u009b2J');
    expect(consoleInput('\x9d8;;http://evil\x9c')).toBe('\\u009d8;;http://evil\\u009c');
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 2 }), (s) => {
      const out = consoleInput(s);
      if (/^\x1b/.test(out)) return; // a whole key sequence
      expect(/[\u000e-\u001a\u001c-\u001f\u0080-\u009f\u001b]/.test(out)).toBe(false);
    }));
  });
});
