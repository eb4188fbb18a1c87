// The page's side of the worker's batches: the echo of typed keys comes on a BroadcastChannel (Chromium
// does not hold it back until the next frame after input, as it does the worker's own messages), the
// rest through comlink; the consoles show both in the order the worker made them.
// The worker is stood in for by a comlink endpoint on a MessageChannel; timers and the clock are simulated.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { example } from '../../src/model/examples.ts';
import type { VmId } from '../../src/sim/types.ts';
import type { EngineBatch } from '../../src/worker/api.ts';
import { fakeWorkerClass, type FakeWorker } from './fakeWorker.ts';

interface PoweredOn {
  onBatch: (batch: EngineBatch) => Promise<void>;
  session: number;
  keyChannel: string;
}
let poweredOn: PoweredOn[] = [];
const workers: FakeWorker[] = [];
const FakeWorkerClass = fakeWorkerClass(() => ({
  ping: () => true,
  powerOn: (_board: unknown, _seed: number, onBatch: PoweredOn['onBatch'], session: number, keyChannel: string) => void poweredOn.push({ onBatch, session, keyChannel }),
  powerOff: () => {},
  setSpeed: () => {},
  keys: () => {},
}), workers);

/** Lets messages between ports and channels be delivered (they do not use the simulated timers). */
async function deliver(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

function batch(on: PoweredOn, seq: number, text: Partial<Record<VmId, string>>): EngineBatch {
  return {
    console: Object.entries(text).map(([vm, t]) => ({ vm: vm as VmId, text: t! })),
    events: [], accesses: [], transactions: [], now: 0, status: [], speed: 1, session: on.session, seq,
  };
}

async function poweredStore() {
  vi.resetModules();
  const store = await import('../../src/ui/store/engineStore.ts');
  await store.engineControls.powerOn(structuredClone(example('smart-oven')!.board), 1);
  await deliver();
  const written: Record<VmId, string> = { app: '', system: '', rt: '' };
  const typedInto = (vm: VmId) => vm === 'app';
  for (const vm of ['app', 'system'] as const) store.attachConsole(vm, (t) => void (written[vm] += t), () => typedInto(vm));
  return { ...store, on: poweredOn.at(-1)!, written };
}

const channels: BroadcastChannel[] = [];
function channel(name: string): BroadcastChannel {
  const c = new BroadcastChannel(name);
  channels.push(c);
  return c;
}

beforeEach(() => {
  poweredOn = [];
  vi.stubGlobal('Worker', FakeWorkerClass);
  vi.stubGlobal('requestAnimationFrame', (fn: () => void) => setTimeout(fn, 16));
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'performance'] });
});
afterEach(() => {
  for (const c of channels.splice(0)) c.close();
  for (const w of workers.splice(0)) w.terminate();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the worker’s batches on the page', () => {
  it('given an echo on the key channel that overtakes the batch before it, then the console shows the earlier batch first', async () => {
    const { on, written } = await poweredStore();
    expect(on.keyChannel).toMatch(/^isolation-lab-keys-\d+-[0-9a-f]{16}$/);
    channel(on.keyChannel).postMessage(batch(on, 1, { app: 'echo' }));
    await deliver();
    expect(written.app).toBe(''); // held: batch 0 has not come yet
    void on.onBatch(batch(on, 0, { app: 'before ' }));
    await deliver();
    expect(written.app).toBe('before echo');
  });

  it('given batches of an earlier power-on, or one already shown, then they are not shown', async () => {
    const { on, written, engineControls } = await poweredStore();
    void on.onBatch(batch(on, 0, { app: 'first ' }));
    await deliver();
    await engineControls.powerOn(structuredClone(example('smart-oven')!.board), 1);
    await deliver();
    const again = poweredOn.at(-1)!;
    expect(again.session).toBeGreaterThan(on.session);
    expect(again.keyChannel).not.toBe(on.keyChannel);
    written.app = '';
    void again.onBatch(batch(on, 1, { app: 'stale ' })); // numbered for the old power-on
    void again.onBatch(batch(again, 0, { app: 'new ' }));
    void again.onBatch(batch(again, 0, { app: 'twice ' }));
    await deliver();
    expect(written.app).toBe('new ');
  });

  it('given someone typing at 100×, then the consoles not typed into are written a second apart instead of a quarter', async () => {
    const quiet = await poweredStore();
    quiet.engineControls.setSpeed(100);
    void quiet.on.onBatch(batch(quiet.on, 0, { system: 'tick ' }));
    await deliver();
    await vi.advanceTimersByTimeAsync(300);
    expect(quiet.written.system).toBe('tick ');

    const typing = await poweredStore();
    typing.engineControls.setSpeed(100);
    typing.engineControls.keys('app', 'l');
    void typing.on.onBatch(batch(typing.on, 0, { app: 'l', system: 'tick ' }));
    await deliver();
    expect(typing.written.app).toBe('l'); // the console typed into: at once
    await vi.advanceTimersByTimeAsync(300);
    expect(typing.written.system).toBe('');
    await vi.advanceTimersByTimeAsync(800);
    expect(typing.written.system).toBe('tick ');
  });
});
