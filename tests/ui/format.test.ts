// The page's clock and counts read right at the edges a workshop reaches (a day of simulated time, one file).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severityOf } from '../../src/ui/panels/eventSeverity.ts';
import fc from 'fast-check';
import { formatCount, formatSimTime, plural } from '../../src/ui/text/format.ts';

describe('the simulated clock', () => {
  it('shows minutes, then hours, then days — never a 24th hour', () => {
    expect(formatSimTime(0)).toBe('00:00.000');
    expect(formatSimTime(62_005)).toBe('01:02.005');
    expect(formatSimTime(3_600_000 + 2_625)).toBe('1:00:02.625');
    expect(formatSimTime(23 * 3_600_000 + 59 * 60_000 + 59_999)).toBe('23:59:59.999');
    expect(formatSimTime(86_400_000 + 2_625)).toBe('1 d 00:00:02.625');
    expect(formatSimTime(3 * 86_400_000 + 5 * 3_600_000 + 7 * 60_000 + 9_001)).toBe('3 d 05:07:09.001');
  });
});

describe('counts', () => {
  it('agree with their noun', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(0, 'file')).toBe('0 files');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(plural(12_345, 'event')).toBe('12,345 events');
  });

  it('group thousands exactly as the English locale does', () => {
    fc.assert(fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (n) => formatCount(n) === n.toLocaleString('en')));
  });
});

describe('event severity', () => {
  it('the supervisor stopping a launch is a mechanism at work, not a breach', () => {
    expect(severityOf({ type: 'app.timeout' })).toBe('stopped');
    // A task reported still waiting on /data: nothing got through, and nothing was stopped.
    expect(severityOf({ type: 'storage.timeout' })).toBe('info');
    expect(severityOf({ type: 'firewall.deny' })).toBe('stopped');
    expect(severityOf({ type: 'dma.blocked' })).toBe('stopped');
    expect(severityOf({ type: 'dma.escape' })).toBe('bad');
    expect(severityOf({ type: 'net.exfiltrated' })).toBe('bad');
    expect(severityOf({ type: 'vm.compromise' })).toBe('bad');
    expect(severityOf({ type: 'vm.boot' })).toBe('info');
  });

  it('a crash or a hang failed, whatever caused it; a container killed at its memory limit is the limit at work', () => {
    // A boot that fails after a bad update is a crash: nothing got through, and the rollback follows.
    expect(severityOf({ type: 'vm.crash' })).toBe('failed');
    expect(severityOf({ type: 'vm.hang' })).toBe('failed');
    expect(severityOf({ type: 'app.oom' })).toBe('stopped');
  });

  it('every event type the engine emits has a severity, and only escapes, exfiltration and compromise say "got through"', () => {
    const types = [...readFileSync(fileURLToPath(new URL('../../docs/events.md', import.meta.url)), 'utf8').matchAll(/^\| `([a-z0-9_.-]+)` \|/gm)].map((m) => m[1]!);
    expect(types.length).toBeGreaterThan(30);
    const through = types.filter((type) => severityOf({ type }) === 'bad');
    expect(through.sort()).toEqual(['cpu.escape', 'dma.escape', 'net.exfiltrated', 'vm.compromise'].filter((t) => types.includes(t)).sort());
  });
});
