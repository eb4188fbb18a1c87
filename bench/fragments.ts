// Benchmark of image composition: verifying and merging a 500-file image (five
// signed fragments of 100 files) beside hashing the same bytes alone, in the same
// run. Returns rows in bench/run.ts's format: [benchmark, measured, baseline, ratio].

import { performance } from 'node:perf_hooks';
import { example } from '../src/model/examples.ts';
import { Simulation } from '../src/sim/index.ts';
import { keyFromName, sha256Hex } from '../src/sim/crypto/signing.ts';
import { builtinApps, compose, factoryConfig, makeFragment, measure, Refresher, type BootConfig } from '../src/sim/fragments/index.ts';

const REPS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Times a measured function and its baseline in alternation, so a load change on the machine hits both alike. */
function pair(fn: () => number, base: () => number): [{ ms: number; sink: number }, { ms: number; sink: number }] {
  const out = [fn, base].map(() => ({ runs: [] as number[], sink: 0 }));
  fn(); base(); // warm-up
  for (let i = 0; i < REPS; i++) {
    [fn, base].forEach((f, k) => {
      const t0 = performance.now();
      out[k].sink = f();
      out[k].runs.push(performance.now() - t0);
    });
  }
  return [{ ms: median(out[0].runs), sink: out[0].sink }, { ms: median(out[1].runs), sink: out[1].sink }];
}

/** A 500-file image: sizes from 100 B to 16 KiB (xorshift32), so both the small-data and data regions are used. */
function image(): BootConfig {
  const key = keyFromName('vendor release key');
  let x = 12345;
  const r = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };
  const fragments = [];
  for (let f = 0; f < 5; f++) {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 100; i++) {
      const bytes = new Uint8Array(100 + Math.floor(r() * 16284));
      for (let j = 0; j < bytes.length; j++) bytes[j] = (r() * 256) | 0;
      files[`/usr/share/bench${f}/file${i}`] = bytes;
    }
    fragments.push(makeFragment(key, { name: `bench-${f}`, version: '1', target: 'system', files }));
  }
  return { target: 'system', label: 'bench-500', version: '1', fragments };
}

export async function fragmentBenchmarks(): Promise<[string, string, string, string][]> {
  const config = image();
  const trust = { publicKey: keyFromName('vendor release key').publicKey, keyHolder: 'security processor', accelerator: true };
  let bytes = 0;
  for (const f of config.fragments) {
    bytes += f.manifest.length;
    for (const b of f.contents.values()) bytes += b.length;
  }
  const [merged, hashed] = pair(() => {
    const r = compose(config, trust);
    if (!r.ok) throw new Error(r.reason);
    return r.volume.files.size;
  }, () => {
    let n = 0;
    for (const f of config.fragments) {
      sha256Hex(f.manifest);
      for (const b of f.contents.values()) if (sha256Hex(b).length === 64) n++;
    }
    return n;
  });
  if (merged.sink !== hashed.sink) throw new Error('compose and the hashing baseline disagree on the file count');
  const mib = (bytes / 1048576).toFixed(1);
  // A refresh of the application VM (its image plus the apps' packages, /data of
  // 50 files scanned, the result measured) beside composing its image alone.
  const data = new Map<string, Uint8Array>();
  for (let i = 0; i < 50; i++) data.set(`/data/file${i}`, new Uint8Array(2048).fill(i));
  const host = new Refresher(data, builtinApps(), { trust, clock: { now: () => 0 }, emit: () => {} });
  const [refresh, plain] = pair(() => {
    const r = host.refresh(factoryConfig('app'));
    if (!r.ok) throw new Error(r.reason);
    return measure(r.record, r.fs).files;
  }, () => {
    const r = compose(factoryConfig('app'), trust);
    if (!r.ok) throw new Error(r.reason);
    return r.volume.files.size;
  });
  // The same in the engine, in wall time: `vmm refresh app` until the application VM is back at its
  // prompt, without and with a ready hot spare, beside powering the same board on until every console is up.
  const engineRefresh = (hotSpare: boolean) => {
    const board = example('smart-oven')!.board;
    const b = { ...board, vms: { ...board.vms, app: { ...board.vms.app, memoryMiB: 12, ...(hotSpare ? { hotSpare: true } : {}) } } };
    const sim = new Simulation(b);
    if (sim.powerOn().length) throw new Error('the bench board does not boot');
    sim.settle();
    sim.advance(10_000);
    return sim;
  };
  const sims = [engineRefresh(false), engineRefresh(true)];
  const [cold, booting] = pair(() => {
    sims[0].exec('system', 'vmm refresh app');
    sims[0].settle();
    return sims[0].status()[1].state === 'running' ? 1 : 0;
  }, () => {
    const sim = new Simulation(example('smart-oven')!.board);
    sim.powerOn();
    sim.settle();
    return sim.status()[1].state === 'running' ? 1 : 0;
  });
  const [warm] = pair(() => {
    sims[1].advance(10_000); // the new spare boots between two refreshes
    sims[1].exec('system', 'vmm refresh app');
    sims[1].settle();
    return sims[1].status()[1].state === 'running' ? 1 : 0;
  }, () => 0);
  const simDowntime = (sim: Simulation) => {
    sim.drain();
    sim.advance(10_000);
    sim.exec('system', 'vmm refresh app');
    sim.settle();
    const ev = sim.drain().events;
    return ev.find((e) => e.type === 'vm.refresh')?.switched ? 0 : Number(ev.find((e) => e.type === 'vm.boot' && e.vm === 'app')?.downtimeMs);
  };
  return [[
    'engine: vmm refresh app until its prompt is back (wall time)', `${cold.ms.toFixed(2)} ms; with a hot spare ${warm.ms.toFixed(2)} ms`,
    `power on the same board until every console is up: ${booting.ms.toFixed(2)} ms`,
    `${(cold.ms / booting.ms).toFixed(2)}×; simulated downtime ${simDowntime(sims[0])} ms, with the spare ${simDowntime(sims[1])} ms`,
  ], [
    `compose: verify + merge a 500-file image (5 fragments, ${mib} MiB)`, `${merged.ms.toFixed(1)} ms`,
    `SHA-256 of the same bytes alone: ${hashed.ms.toFixed(1)} ms`, `${(merged.ms / hashed.ms).toFixed(2)}× (signatures and merge on top of hashing)`,
  ], [
    'app VM refresh: compose image + 2 app packages, scan /data (50 files), measure', `${refresh.ms.toFixed(1)} ms`,
    `compose the app image alone (the boot's check): ${plain.ms.toFixed(1)} ms`, `${(refresh.ms / plain.ms).toFixed(2)}×`,
  ]];
}
