// A stand-in for the engine worker in Node: `api` is exposed with comlink on one end of a
// MessageChannel, and the page's side talks to the other end as it would to a Worker.
import * as Comlink from 'comlink';

export interface FakeWorker extends EventTarget {
  terminated: boolean;
  postMessage(data: unknown, transfer?: Transferable[]): void;
  terminate(): void;
}

/** A Worker class whose instances expose `api()` and are pushed onto `made`; stub it with vi.stubGlobal('Worker', …). */
export function fakeWorkerClass(api: () => object, made: FakeWorker[]): new () => FakeWorker {
  return class extends EventTarget implements FakeWorker {
    terminated = false;
    private readonly port: MessagePort;
    constructor() {
      super();
      const { port1, port2 } = new MessageChannel();
      this.port = port1;
      port1.onmessage = (e) => this.dispatchEvent(new MessageEvent('message', { data: e.data }));
      Comlink.expose(api(), port2);
      made.push(this);
    }
    postMessage(data: unknown, transfer: Transferable[] = []) {
      if (!this.terminated) this.port.postMessage(data, transfer);
    }
    terminate() {
      this.terminated = true;
      this.port.close();
    }
  };
}
