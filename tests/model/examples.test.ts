import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBoardFile, serializeBoard } from '../../src/model/boardFile.ts';
import { check } from '../../src/model/check.ts';
import { EXAMPLES } from '../../src/model/examples.ts';
import { DOMAINS } from '../../src/model/types.ts';

const clean = EXAMPLES.filter((e) => e.id !== 'broken-oven');

describe('the example boards', () => {
  it('cover each SoC with a clean board', () => {
    expect(clean.map((e) => e.board.soc).sort()).toEqual(['gateway-a53', 'iot-a7m4', 'mcu-16']);
  });

  it.each(clean.map((e) => [e.id, e] as const))('%s has no diagnostics at all', (_id, e) => {
    expect(check(e.board)).toEqual([]);
  });

  it.each(clean.map((e) => [e.id, e] as const))('%s uses all four domains and a protected DMA engine', (_id, e) => {
    const used = new Set(e.board.components.map((c) => c.domain));
    for (const d of DOMAINS) expect(used).toContain(d);
    const dma = e.board.components.filter((c) => c.kind === 'dma');
    expect(dma.length).toBeGreaterThan(0);
    for (const c of dma) expect(c.dmaProtection).not.toBe('none');
    expect(e.board.components.length).toBeGreaterThanOrEqual(6);
    expect(e.board.components.length).toBeLessThanOrEqual(10);
  });

  it('include a broken board with several errors for participants to fix', () => {
    const broken = EXAMPLES.find((e) => e.id === 'broken-oven')!;
    const errors = check(broken.board).filter((d) => d.severity === 'error').map((d) => d.rule);
    expect(errors).toEqual(expect.arrayContaining(['dma-unprotected', 'security-processor-domain', 'memory-budget', 'pin-conflict']));
  });

  it.each(EXAMPLES.map((e) => [e.id, e] as const))('public/examples/%s.board.json is the example, serialized', (id, e) => {
    const file = readFileSync(new URL(`../../public/examples/${id}.board.json`, import.meta.url), 'utf8');
    expect(file).toBe(serializeBoard(e.board));
    expect(parseBoardFile(file)).toEqual({ ok: true, board: e.board, warnings: [] });
  });
});
