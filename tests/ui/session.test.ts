// Loading another board starts a new session: the previous board's output does not stay on screen.
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/model/examples.ts';
import { runAction } from '../../src/ui/actions/registry.ts';
import { onConsolesReset, useEngineStore } from '../../src/ui/store/engineStore.ts';
import { eventLog } from '../../src/ui/store/eventLog.ts';
import { startSessions } from '../../src/ui/store/session.ts';

const oldEvent = { t: 5, type: 'vm.boot', vm: 'app' as const, message: 'Application VM booted' };

describe('loading another board', () => {
  it.each([
    ['an example', () => runAction('loadExample', EXAMPLES[0]!.id)],
    ['a new empty board', () => runAction('newBoard')],
  ])('(%s) clears the consoles and the timeline of the previous board', async (_, load) => {
    startSessions();
    eventLog.record([oldEvent]);
    useEngineStore.setState({ events: [oldEvent], eventsTotal: 1, now: 5000 });
    let consoleResets = 0;
    const off = onConsolesReset(() => consoleResets++);

    load();
    await expect.poll(() => useEngineStore.getState().events).toEqual([]);
    off();

    expect(consoleResets).toBe(1);
    expect(useEngineStore.getState().eventsTotal).toBe(0);
    expect(useEngineStore.getState().now).toBe(0);
    expect(eventLog.total).toBe(0);
    expect(eventLog.toJsonLines().split('\n')[0]).toContain('"events":0');
  });

  it('an edit of the same board keeps them', () => {
    startSessions();
    useEngineStore.setState({ events: [oldEvent], eventsTotal: 1 });
    runAction('renameBoard', 'Renamed board');
    expect(useEngineStore.getState().events).toEqual([oldEvent]);
  });
});
