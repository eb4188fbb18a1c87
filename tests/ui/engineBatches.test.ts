// The page's side of the worker's batches: the echo of typed keys comes on a BroadcastChannel (Chromium
// does not hold it back until the next frame after input, as it does the worker's own messages), the
// rest through comlink; the consoles show both in the order the worker made them.
// The worker is stood in for by a comlink endpoint on a MessageChannel; timers and the clock are simulated.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { example } from '../../src/model/examples.ts';
import type { VmId } from '../../src/sim/types.ts';
import type { EngineBatch } from '../../src/worker/api.ts';
import { fakeWorkerClass, type FakeWorker } from './fakeWorker.ts';
import { screenTerminal } from './screenTerminal.ts';

interface PoweredOn {
  onBatch: (batch: EngineBatch) => Promise<void>;
  session: number;
  keyChannel: string;
}
let poweredOn: PoweredOn[] = [];
/** The keys the stand-in worker received, numbered as the page numbered them. */
let keysReceived: { vm: VmId; data: string; key: number }[] = [];
const workers: FakeWorker[] = [];
const FakeWorkerClass = fakeWorkerClass(() => ({
  ping: () => true,
  powerOn: (_board: unknown, _seed: number, onBatch: PoweredOn['onBatch'], session: number, keyChannel: string) => void poweredOn.push({ onBatch, session, keyChannel }),
  powerOff: () => {},
  setSpeed: () => {},
  keys: (vm: VmId, data: string, key: number) => void keysReceived.push({ vm, data, key }),
}), workers);

/** Lets messages between ports and channels be delivered (they do not use the simulated timers). */
async function deliver(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

function batch(on: PoweredOn, seq: number, text: Partial<Record<VmId, string>>, more: Partial<EngineBatch> = {}): EngineBatch {
  return {
    console: Object.entries(text).map(([vm, t]) => ({ vm: vm as VmId, text: t! })),
    events: [], accesses: [], transactions: [], now: 0, status: [], speed: 1, session: on.session, seq, keys: 0, echo: [], ...more,
  };
}

async function poweredStore() {
  vi.resetModules();
  const store = await import('../../src/ui/store/engineStore.ts');
  await store.engineControls.powerOn(structuredClone(example('smart-oven')!.board), 1);
  await deliver();
  const written: Record<VmId, string> = { app: '', system: '', rt: '' };
  const typedInto = (vm: VmId) => vm === 'app';
  for (const vm of ['app', 'system'] as const) store.attachConsole(vm, { write: (t) => void (written[vm] += t), focused: () => typedInto(vm) });
  return { ...store, on: poweredOn.at(-1)!, written };
}

/** The classes of the page's root element (the stand-in document's). */
const rootClasses = new Set<string>();

const channels: BroadcastChannel[] = [];
function channel(name: string): BroadcastChannel {
  const c = new BroadcastChannel(name);
  channels.push(c);
  return c;
}

beforeEach(() => {
  poweredOn = [];
  keysReceived = [];
  vi.stubGlobal('Worker', FakeWorkerClass);
  vi.stubGlobal('requestAnimationFrame', (fn: () => void) => setTimeout(fn, 16));
  rootClasses.clear();
  vi.stubGlobal('document', {
    visibilityState: 'visible',
    documentElement: { classList: { add: (c: string) => void rootClasses.add(c), remove: (c: string) => void rootClasses.delete(c) } },
  });
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

  it('given the keyboard just went into a console at 100×, then the other consoles wait as they do for a typed key', async () => {
    const { engineControls, on, written } = await poweredStore();
    engineControls.setSpeed(100);
    engineControls.keyboardIn();
    void on.onBatch(batch(on, 0, { system: 'tick ' }));
    await deliver();
    await vi.advanceTimersByTimeAsync(300);
    expect(written.system).toBe('');
    await vi.advanceTimersByTimeAsync(800);
    expect(written.system).toBe('tick ');
  });

  it('given a console not shown (a tab not chosen), then its text waits, in order, and is written in one piece once it is shown', async () => {
    const { on, attachConsole, releaseConsole } = await poweredStore();
    let shown = true;
    const writes: string[] = [];
    attachConsole('rt', { write: (t) => void writes.push(t), focused: () => false, shown: () => shown });
    void on.onBatch(batch(on, 0, { rt: 'one ' }));
    await deliver();
    shown = false; // hidden before its text, held for the next list update, was written
    void on.onBatch(batch(on, 1, { rt: 'two ' }));
    await deliver();
    await vi.advanceTimersByTimeAsync(2000);
    void on.onBatch(batch(on, 2, { rt: 'three ' }));
    await deliver();
    await vi.advanceTimersByTimeAsync(2000);
    expect(writes).toEqual([]); // an xterm not on the screen parses and draws nothing
    shown = true;
    releaseConsole('rt');
    expect(writes).toEqual(['one two three ']);
    void on.onBatch(batch(on, 3, { rt: 'four ' }));
    await deliver();
    await vi.advanceTimersByTimeAsync(300); // shown and not typed into: a list update later, as before
    expect(writes.join('')).toBe('one two three four ');
  });

  it('given a console hidden while a busy guest writes far more than a screen, then the text kept for it is bounded and keeps the newest', async () => {
    const { on, attachConsole, releaseConsole } = await poweredStore();
    let shown = false;
    const writes: string[] = [];
    attachConsole('rt', { write: (t) => void writes.push(t), focused: () => false, shown: () => shown });
    const chunk = (i: number) => `${String(i).padStart(6, '0')}${'x'.repeat(64 * 1024 - 6)}`;
    for (let i = 0; i < 20; i++) void on.onBatch(batch(on, i, { rt: chunk(i) }));
    await deliver();
    shown = true;
    releaseConsole('rt');
    expect(writes).toHaveLength(1);
    expect(writes[0]!.length).toBeLessThanOrEqual(256 * 1024);
    expect(writes[0]!.endsWith(chunk(19))).toBe(true);
    expect(writes[0]!.startsWith(chunk(16))).toBe(true); // whole batches, oldest dropped first
  });

  it('given someone typing at 100×, then what waits is drawn right after the frame that shows a key, not between keys', async () => {
    const { on, engineControls, written, attachConsole } = await poweredStore();
    // A console that draws keys ahead: a key's frame is the one after the key.
    attachConsole('app', { write: (t) => void (written.app += t), focused: () => true, ahead: { typeAhead: () => true, handled: () => {}, drawing: false } });
    void on.onBatch(batch(on, 0, {}, { speed: 100, echo: ['app'] }));
    await deliver();
    engineControls.setSpeed(100);
    engineControls.keys('app', 'l');
    await vi.advanceTimersByTimeAsync(100); // the key's frame has gone by
    void on.onBatch(batch(on, 1, { system: 'tick ' }, { speed: 100, keys: 1, echo: ['app'] }));
    await deliver();
    await vi.advanceTimersByTimeAsync(500);
    engineControls.keys('app', 's');
    await vi.advanceTimersByTimeAsync(550); // the held text is due a second after it came…
    expect(written.system).toBe(''); // …and waits for the next key's frame, while the typing goes on
    engineControls.keys('app', 'l');
    expect(written.system).toBe('');
    await vi.advanceTimersByTimeAsync(20);
    await deliver();
    expect(written.system).toBe('tick ');
    // Once the typing stops, nothing waits for a key any more.
    void on.onBatch(batch(on, 2, { system: 'tock ' }, { speed: 100, keys: 3, echo: ['app'] }));
    await deliver();
    await vi.advanceTimersByTimeAsync(2000);
    expect(written.system).toBe('tick tock ');
  });

  it('given someone typing at 100× a key not drawn ahead, then what waits is drawn after the frame of its echo, not before the echo comes', async () => {
    const { on, engineControls, written } = await poweredStore(); // no console here draws keys ahead
    engineControls.setSpeed(100);
    engineControls.keys('app', 'l');
    await vi.advanceTimersByTimeAsync(100);
    void on.onBatch(batch(on, 0, { system: 'tick ' }, { speed: 100 }));
    await deliver();
    await vi.advanceTimersByTimeAsync(500);
    engineControls.keys('app', 's');
    await vi.advanceTimersByTimeAsync(550); // the held text is due, and the key's frame has gone by…
    expect(written.system).toBe(''); // …but not the frame that shows the key: its echo has not come
    channel(on.keyChannel).postMessage(batch(on, 1, { app: 's' }, { speed: 100, keys: 2 }));
    await deliver();
    expect(written.app).toBe('s');
    expect(written.system).toBe('');
    await vi.advanceTimersByTimeAsync(20); // the echo's frame
    await deliver();
    expect(written.system).toBe('tick ');
  });

  it('given someone typing at 100×, then a redraw of the rest of the page due between two keys comes after the next key’s frame', async () => {
    const { on, engineControls, redrawTimer } = await poweredStore();
    const fired: number[] = [];
    redrawTimer(() => fired.push(performance.now()), 100);
    await vi.advanceTimersByTimeAsync(150);
    expect(fired).toHaveLength(1); // nobody typing: on time
    engineControls.setSpeed(100);
    engineControls.keys('app', 'l');
    channel(on.keyChannel).postMessage(batch(on, 0, { app: 'l' }, { speed: 100, keys: 1 }));
    await deliver();
    await vi.advanceTimersByTimeAsync(100);
    const at = performance.now();
    redrawTimer(() => fired.push(performance.now()), 50);
    const cancelled = redrawTimer(() => fired.push(-1), 50);
    cancelled();
    await vi.advanceTimersByTimeAsync(300);
    expect(fired).toHaveLength(1); // due, and held: the typing goes on
    engineControls.keys('app', 's');
    channel(on.keyChannel).postMessage(batch(on, 1, { app: 's' }, { speed: 100, keys: 2 }));
    await deliver();
    await vi.advanceTimersByTimeAsync(20);
    await deliver();
    expect(fired).toHaveLength(2);
    expect(fired[1]! - at).toBeGreaterThan(300); // after the key's frame, not when it was due
  });

  it('given someone typing, at 1× as at 100×, then the root element says so until a second after the last key', async () => {
    const { engineControls } = await poweredStore();
    expect(rootClasses.has('typing')).toBe(false);
    engineControls.keys('app', 'l');
    expect(rootClasses.has('typing')).toBe(true);
    await vi.advanceTimersByTimeAsync(1050);
    expect(rootClasses.has('typing')).toBe(false);
    engineControls.setSpeed(100);
    engineControls.keys('app', 'l');
    expect(rootClasses.has('typing')).toBe(true);
    await vi.advanceTimersByTimeAsync(800);
    engineControls.keys('app', 's');
    await vi.advanceTimersByTimeAsync(800);
    expect(rootClasses.has('typing')).toBe(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(rootClasses.has('typing')).toBe(false);
  });

  it('given the board at 1×, then the clock shows every batch, and while someone types it waits for a key’s frame', async () => {
    const { on, engineControls, useEngineStore } = await poweredStore();
    void on.onBatch(batch(on, 0, {}, { now: 1000 }));
    await deliver();
    expect(useEngineStore.getState().now).toBe(1000); // nobody typing: at once
    engineControls.keys('system', 'l');
    void on.onBatch(batch(on, 1, {}, { now: 1016 }));
    await deliver();
    await vi.advanceTimersByTimeAsync(100);
    expect(useEngineStore.getState().now).toBe(1000); // typing: held, not redrawn on every batch
    await vi.advanceTimersByTimeAsync(1000);
    expect(useEngineStore.getState().now).toBe(1016); // the typing stopped: drawn
  });

  it('given someone typing at 100×, then a batch is acknowledged once handled, without asking for a frame', async () => {
    const raf = vi.fn((fn: () => void) => setTimeout(fn, 16));
    vi.stubGlobal('requestAnimationFrame', raf);
    const { on, engineControls } = await poweredStore();
    engineControls.setSpeed(100);
    let acknowledged = false;
    void on.onBatch(batch(on, 0, { app: 'x' }, { speed: 100 })).then(() => void (acknowledged = true));
    await deliver();
    await vi.advanceTimersByTimeAsync(5);
    expect(acknowledged).toBe(false); // not typing: after the next frame
    await vi.advanceTimersByTimeAsync(20);
    expect(acknowledged).toBe(true);
    engineControls.keys('app', 'l');
    await vi.advanceTimersByTimeAsync(20); // the key's own frame
    raf.mockClear();
    acknowledged = false;
    void on.onBatch(batch(on, 1, { app: 'y' }, { speed: 100 })).then(() => void (acknowledged = true));
    await deliver();
    await vi.advanceTimersByTimeAsync(1);
    expect(acknowledged).toBe(true);
    expect(raf).not.toHaveBeenCalled();
  });

  describe('keys drawn ahead of their echo', () => {
    /** The application VM's console as a screen, drawing keys ahead like the page's consoles. */
    async function typingStore() {
      const store = await poweredStore();
      const { screen, writes, echo } = screenTerminal(80);
      store.attachConsole('app', { write: (t) => echo.output(t), focused: () => true, ahead: echo });
      return { ...store, screen, writes };
    }

    it('given a batch that says the shell echoes, then a typed key is on the screen before the worker answers, and its echo is not drawn again', async () => {
      const { on, engineControls, screen, writes } = await typingStore();
      void on.onBatch(batch(on, 0, { app: '# ' }, { echo: ['app'] }));
      await deliver();
      engineControls.keys('app', 'l');
      expect(screen.current).toBe('# l');
      await deliver();
      expect(keysReceived).toEqual([{ vm: 'app', data: 'l', key: 1 }]);
      channel(on.keyChannel).postMessage(batch(on, 1, { app: 'l' }, { keys: 1, echo: ['app'] }));
      await deliver();
      expect(writes).toEqual(['# ', 'l']);
    });

    it('given a key the page could not foresee (Enter), then the next key waits for the worker until that one is handled', async () => {
      const { on, engineControls, screen } = await typingStore();
      void on.onBatch(batch(on, 0, { app: '# ' }, { echo: ['app'] }));
      await deliver();
      engineControls.keys('app', '\r');
      engineControls.keys('app', 'x');
      expect(screen.current).toBe('#'); // neither drawn: "x" may land after the command's output
      channel(on.keyChannel).postMessage(batch(on, 1, { app: '\r\nout\r\n# x' }, { keys: 2, echo: ['app'] }));
      await deliver();
      engineControls.keys('app', 'y');
      expect(screen.current).toBe('# xy');
    });

    it('given a batch that says the shell does not echo (a command runs), then typed keys are not drawn; a drawn key the engine did not echo is taken back', async () => {
      const { on, engineControls, screen } = await typingStore();
      void on.onBatch(batch(on, 0, { app: '# ' }, { echo: [] }));
      await deliver();
      engineControls.keys('app', 'a');
      expect(screen.current).toBe('#');
      channel(on.keyChannel).postMessage(batch(on, 1, {}, { keys: 1, echo: ['app'] }));
      await deliver();
      engineControls.keys('app', 'b');
      expect(screen.current).toBe('# b');
      // The shell started something meanwhile: the key is handled, and not echoed.
      channel(on.keyChannel).postMessage(batch(on, 2, {}, { keys: 2, echo: [] }));
      await deliver();
      expect(screen.current).toBe('#');
    });
  });
});
