// The page's event memory is bounded however long a busy board runs, and says what it dropped.
import { describe, expect, it } from 'vitest';
import { EventLog, EXPORT_LIMIT } from '../../src/ui/store/eventLog.ts';

const ev = (i: number) => ({ t: i, type: i % 3 ? 'vm.refresh' : 'vm.boot', message: `event ${i}` });

describe('the event log', () => {
  it('keeps at most EXPORT_LIMIT events, counts every one, and the export says how many are not kept', () => {
    const log = new EventLog();
    const n = EXPORT_LIMIT * 3 + 17;
    for (let i = 0; i < n; i += 50) log.record(Array.from({ length: Math.min(50, n - i) }, (_, k) => ev(i + k)));
    expect(log.total).toBe(n);
    expect(log.exported()).toHaveLength(EXPORT_LIMIT);
    expect(log.exported().at(-1)!.t).toBe(n - 1);
    expect(log.exported()[0]!.t).toBe(n - EXPORT_LIMIT);
    expect(log.counts.get('vm.boot')! + log.counts.get('vm.refresh')!).toBe(n);

    const lines = log.toJsonLines().trimEnd().split('\n');
    expect(lines).toHaveLength(EXPORT_LIMIT + 1);
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ format: 'isolation-lab/events', events: EXPORT_LIMIT, since_power_on: n, not_kept: n - EXPORT_LIMIT });
    expect(JSON.parse(lines.at(-1)!)).toEqual(ev(n - 1));
  });

  it('reset forgets everything', () => {
    const log = new EventLog();
    log.record([ev(1), ev(2)]);
    log.reset();
    expect(log.total).toBe(0);
    expect(log.exported()).toEqual([]);
    expect(log.counts.size).toBe(0);
  });
});
