import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, parseBoard, parseBoardFile, serializeBoard } from '../../src/model/boardFile.ts';
import { setPosition } from '../../src/model/board.ts';
import { EXAMPLES } from '../../src/model/examples.ts';
import { deepFreeze, exampleBoard } from './helpers.ts';

const text = (value: unknown): string => JSON.stringify(value);
const oven = () => exampleBoard('smart-oven');

function refused(input: string): { error: string; path: string } {
  const r = parseBoardFile(input);
  if (r.ok) throw new Error('expected a refusal');
  expect(r.error.startsWith(r.path)).toBe(true);
  return r;
}

describe('saving and loading a board', () => {
  it('gives back the same board for every example', () => {
    for (const e of EXAMPLES) {
      const r = parseBoardFile(serializeBoard(e.board));
      expect(r).toEqual({ ok: true, board: e.board, warnings: [] });
    }
  });

  it('writes a stable file: fixed key order, two-space indent, a final newline', () => {
    const s = serializeBoard(oven());
    expect(s.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(s))).toEqual(['format', 'version', 'name', 'soc', 'components', 'vms', 'firewall']);
    expect(s).toContain('\n  "name": "Smart oven",\n');
    const shuffled = JSON.parse(s) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(shuffled).reverse());
    const r = parseBoardFile(text(reordered));
    expect(r.ok && serializeBoard(r.board)).toBe(s);
  });

  it('keeps unknown top-level keys, as fresh copies', () => {
    const source = { ...oven(), instructorNotes: { level: 3, tags: ['dma', 'memory'] }, 'x-future': null };
    const r = parseBoard(source);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.board.instructorNotes).toEqual({ level: 3, tags: ['dma', 'memory'] });
    expect(r.board.instructorNotes).not.toBe(source.instructorNotes);
    expect(r.board['x-future']).toBeNull();
    const again = parseBoardFile(serializeBoard(r.board));
    expect(again.ok && again.board).toEqual(r.board);
  });

  it('keeps editor positions of components and drops stale ones with a warning', () => {
    const b = { ...setPosition(oven(), 'gpio0', 10, 20), layout: { gpio0: { x: 10, y: 20 }, gone7: { x: 1, y: 1 } } };
    const r = parseBoardFile(text(b));
    expect(r.ok && r.board.layout).toEqual({ gpio0: { x: 10, y: 20 } });
    expect(r.ok && r.warnings).toEqual([expect.stringContaining('"gone7"')]);
  });

  it('reads a frozen board without touching it (autosave keeps frozen snapshots)', () => {
    const b = deepFreeze(oven());
    const r = parseBoard(b);
    expect(r.ok && r.board).toEqual(b);
    expect(r.ok && r.board).not.toBe(b);
  });

  it('accepts names of 80 characters of any script, counted as characters', () => {
    const name = '🍞'.repeat(80);
    const r = parseBoardFile(text({ ...oven(), name }));
    expect(r.ok && r.board.name).toBe(name);
    expect(refused(text({ ...oven(), name: 'a'.repeat(81) })).path).toBe('$.name');
    expect(refused(text({ ...oven(), name: '' })).path).toBe('$.name');
  });
});

describe('migrating an older file', () => {
  it('given a version 0 file (assignment, dma, vms as a list, firewallEnforced), then it reads as version 1', () => {
    const v0 = {
      format: 'isolation-lab/board',
      version: 0,
      name: 'Old oven',
      soc: 'iot-a7m4',
      components: [
        { id: 'uart0', kind: 'uart', assignment: 'app' },
        { id: 'gpio0', kind: 'gpio', assignment: 'none' },
        { id: 'dma0', kind: 'dma', assignment: 'app', dma: 'firewall-id' },
      ],
      vms: [{ id: 'system', memoryMiB: 16 }, { id: 'app', memoryMiB: 24, refresh: { everySeconds: 3600 } }],
      firewallEnforced: false,
      comment: 'kept',
    };
    const r = parseBoardFile(text(v0));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.board).toEqual({
      format: 'isolation-lab/board',
      version: 1,
      name: 'Old oven',
      soc: 'iot-a7m4',
      components: [
        { id: 'uart0', kind: 'uart', domain: 'app' },
        { id: 'gpio0', kind: 'gpio', domain: null },
        { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'firewall-id' },
      ],
      vms: { system: { memoryMiB: 16 }, app: { memoryMiB: 24, refresh: { everySeconds: 3600 } } },
      firewall: { enforce: false },
      comment: 'kept',
    });
    expect(r.warnings).toEqual([expect.stringContaining('version 0')]);
  });

  it('given a version 0 file with a VM listed twice, then it is refused at that entry', () => {
    const v0 = { ...oven(), version: 0, vms: [{ id: 'app', memoryMiB: 1 }, { id: 'app', memoryMiB: 2 }] };
    expect(refused(text(v0)).path).toBe('$.vms[1].id');
  });
});

describe('refusing a file as a whole, naming the first problem', () => {
  it.each([
    ['not JSON', '{"format": ', '$', /not valid JSON/],
    ['a list', '[]', '$', /JSON object/],
    ['the wrong format', text({ ...oven(), format: 'wokwi/diagram' }), '$.format', /isolation-lab\/board/],
    ['no format', text({ name: 'x' }), '$.format', /missing/],
    ['a newer version', text({ ...oven(), version: 2 }), '$.version', /newer Isolation Lab/],
    ['a version as text', text({ ...oven(), version: '1' }), '$.version', /set "version" to 1/],
    ['an unknown SoC', text({ ...oven(), soc: 'rpi5' }), '$.soc', /mcu-16, iot-a7m4, gateway-a53/],
    ['an unknown kind', text({ ...oven(), components: [...oven().components.slice(0, 3), { id: 'x0', kind: 'toaster', domain: null }] }),
      '$.components[3].kind', /use one of uart/],
    ['a bad id', text({ ...oven(), components: [{ id: 'Uart 0', kind: 'uart', domain: null }] }), '$.components[0].id', /lowercase/],
    ['a bad domain', text({ ...oven(), components: [{ id: 'u0', kind: 'uart', domain: 'host' }] }), '$.components[0].domain', /"app"/],
    ['a misspelled key', text({ ...oven(), components: [{ id: 'u0', kind: 'uart', domian: 'app' }] }), '$.components[0].domian', /spelling/],
    ['a duplicate id', text({ ...oven(), components: [...oven().components, { id: 'gpio0', kind: 'gpio', domain: null }] }),
      '$.components[10].id', /already used by \$\.components\[1\]/],
    ['protection on a UART', text({ ...oven(), components: [{ id: 'u0', kind: 'uart', domain: 'app', dmaProtection: 'iommu' }] }),
      '$.components[0].dmaProtection', /only a "dma"/],
    ['memory as text', text({ ...oven(), vms: { system: { memoryMiB: '16' }, app: { memoryMiB: 24 } } }), '$.vms.system.memoryMiB', /whole number/],
    ['negative memory', text({ ...oven(), vms: { system: { memoryMiB: -1 }, app: { memoryMiB: 24 } } }), '$.vms.system.memoryMiB', /whole number/],
    ['no VMs', text({ ...oven(), vms: undefined }), '$.vms', /missing/],
    ['a firewall as text', text({ ...oven(), firewall: 'on' }), '$.firewall', /expected object/],
    ['a position as text', text({ ...oven(), layout: { gpio0: { x: '1', y: 2 } } }), '$.layout.gpio0.x', /number/],
    ['a component named like a memory region', text({ ...oven(), components: [{ id: 'system-ram', kind: 'uart', domain: 'app' }] }),
      '$.components[0].id', /names a memory region or a VM/],
    ['a component named like a VM', text({ ...oven(), components: [{ id: 'app', kind: 'dma', domain: 'app', dmaProtection: 'none' }] }),
      '$.components[0].id', /cannot be a component id/],
  ])('given %s, then it is refused at %s', (_what, input, path, message) => {
    const r = refused(input);
    expect(r.path).toBe(path);
    expect(r.error).toMatch(message);
  });
});

describe('hostile files', () => {
  it('given a 10 MB file, then it is refused quickly without reading it as a board', () => {
    const big = text({ ...oven(), name: 'a'.repeat(10 * 1024 * 1024) });
    const t0 = performance.now();
    expect(refused(big)).toMatchObject({ path: '$', error: expect.stringContaining('not a board file') });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('given 10,000 levels of nesting, then it is refused', () => {
    expect(refused('['.repeat(10_000) + ']'.repeat(10_000)).error).toMatch(/nested deeper/);
    const deepExtra = `{"format":"isolation-lab/board","version":1,"extra":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    expect(refused(deepExtra).path.startsWith('$.extra.a.a')).toBe(true);
  });

  it('given nesting built in memory rather than parsed, then it is refused too', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const r = parseBoard({ ...oven(), extra: deep });
    expect(r.ok).toBe(false);
    const fine: unknown[] = [];
    let at = fine;
    for (let i = 0; i < MAX_DEPTH - 2; i++) { const next: unknown[] = []; at.push(next); at = next; }
    expect(parseBoard({ ...oven(), extra: fine }).ok).toBe(true);
  });

  it('given {"__proto__": {"polluted": 1}}, then it is refused and no object is polluted', () => {
    expect(refused('{"__proto__": {"polluted": 1}}').path).toBe('$.__proto__');
    const sneaky = serializeBoard(oven()).replace('"name"', '"__proto__": {"polluted": 1}, "name"');
    expect(refused(sneaky).path).toBe('$.__proto__');
    const nested = text({ ...oven(), layout: JSON.parse('{"__proto__": {"x": 1, "y": 2}}') });
    expect(refused(nested).path).toBe('$.layout.__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('given "constructor" or "toString" as top-level keys, then they are refused, since they would shadow methods', () => {
    expect(refused(text({ ...oven(), constructor: { prototype: { polluted: 1 } } })).path).toBe('$.constructor');
    expect(refused(text({ ...oven(), toString: 'x' })).error).toMatch(/reserved name/);
  });

  it('given "constructor" and "prototype" deeper inside an unknown key, then they stay plain data', () => {
    const r = parseBoardFile(text({ ...oven(), notes: { constructor: { prototype: { polluted: 1 } } } }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.board)).toBe(Object.prototype);
    expect(r.board.notes).toEqual({ constructor: { prototype: { polluted: 1 } } });
    expect(`${String(r.board.name)}`).toBe('Smart oven');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(serializeBoard(r.board)).toContain('"constructor"');
  });

  it('given values JSON cannot hold, then parseBoard refuses them', () => {
    expect(parseBoard({ ...oven(), extra: () => 1 }).ok).toBe(false);
    expect(parseBoard({ ...oven(), extra: Number.NaN }).ok).toBe(false);
    expect(parseBoard({ ...oven(), extra: new Date(0) }).ok).toBe(false);
    expect(parseBoard(undefined).ok).toBe(false);
  });
});
