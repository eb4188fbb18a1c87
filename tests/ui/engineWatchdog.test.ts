// The page's side of the engine worker: a dead or hung worker is detected, said, and never leaves the page waiting.
// The worker is stood in for by a comlink endpoint on a MessageChannel; timers and the clock are simulated.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { example } from '../../src/model/examples.ts';
import { fakeWorkerClass, type FakeWorker } from './fakeWorker.ts';

/** What the stand-in worker does when asked to ping. */
let answerPings = true;
const workers: FakeWorker[] = [];

const FakeWorkerClass = fakeWorkerClass(() => ({
  ping: () => (answerPings ? true : new Promise(() => {})),
  powerOn: () => {},
  powerOff: () => {},
  setSpeed: () => {},
  keys: () => {},
  blastRadius: () => (answerPings ? ['app-ram'] : new Promise(() => {})),
}), workers);

async function freshStore() {
  vi.resetModules();
  return import('../../src/ui/store/engineStore.ts');
}

beforeEach(() => {
  answerPings = true;
  workers.length = 0;
  vi.stubGlobal('Worker', FakeWorkerClass);
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'performance'] });
});
afterEach(() => {
  for (const w of workers) w.terminate();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const board = () => structuredClone(example('smart-oven')!.board);

describe('the engine watchdog', () => {
  it('given a worker that answers its heartbeat, then a minute passes without a failure', async () => {
    const { engineControls, useEngineStore } = await freshStore();
    await engineControls.powerOn(board(), 7);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(useEngineStore.getState()).toMatchObject({ powered: true, failure: null });
    expect(workers).toHaveLength(1);
  });

  it('given a worker that stops answering, then within the watchdog time it is terminated and the page says why, offering the same board', async () => {
    const { engineControls, useEngineStore, WATCHDOG_MS, HEARTBEAT_MS } = await freshStore();
    const b = board();
    await engineControls.powerOn(b, 7);
    answerPings = false;
    await vi.advanceTimersByTimeAsync(WATCHDOG_MS - HEARTBEAT_MS);
    expect(useEngineStore.getState().failure).toBeNull();
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_MS);
    const s = useEngineStore.getState();
    expect(s.powered).toBe(false);
    expect(s.failure).toMatchObject({ reason: expect.stringContaining('stopped answering'), board: b, seed: 7 });
    expect(workers[0]!.terminated).toBe(true);
  });

  it('given an error event from the worker, then it is declared dead at once, and Restart starts a new worker with the same board', async () => {
    const { engineControls, useEngineStore } = await freshStore();
    const b = board();
    await engineControls.powerOn(b, 3);
    workers[0]!.dispatchEvent(Object.assign(new Event('error'), { message: 'Uncaught TypeError: boom' }));
    expect(useEngineStore.getState().failure?.reason).toContain('boom');
    expect(useEngineStore.getState().powered).toBe(false);
    await engineControls.restartEngine();
    expect(workers).toHaveLength(2);
    expect(useEngineStore.getState()).toMatchObject({ powered: true, runningBoard: b, failure: null });
  });

  it('given a hung worker, then no call waits forever: it gives up after the call timeout with an answer the page can use', async () => {
    const { engineControls, useEngineStore, CALL_TIMEOUT_MS } = await freshStore();
    answerPings = false;
    const reach = engineControls.blastRadius(board(), 'app', true);
    await vi.advanceTimersByTimeAsync(CALL_TIMEOUT_MS + 1);
    await expect(reach).resolves.toEqual([]);
    expect(useEngineStore.getState().failure).not.toBeNull();
  });

  it('given a hung worker, then Power off still ends powered off within seconds', async () => {
    const { engineControls, useEngineStore } = await freshStore();
    await engineControls.powerOn(board(), 1);
    answerPings = false;
    (workers[0] as unknown as { postMessage: () => void }).postMessage = () => {}; // nothing reaches it any more
    const off = engineControls.powerOff();
    await vi.advanceTimersByTimeAsync(2001);
    await off;
    expect(useEngineStore.getState().powered).toBe(false);
  });
});
