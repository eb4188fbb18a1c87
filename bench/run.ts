// Engine benchmarks, each beside a baseline measured in the same run
// (`npm run bench`). Figures are medians of several repetitions.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EventQueue, Firewall, MemoryMap, Simulation, mastersOf } from '../src/sim/index.ts';
import { Bus } from '../src/sim/hw/bus.ts';
import type { Board } from '../src/model/types.ts';

const REPS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => number): { ms: number; sink: number } {
  let sink = 0;
  const runs: number[] = [];
  fn(); // warm-up
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    sink += fn();
    runs.push(performance.now() - t0);
  }
  return { ms: median(runs), sink };
}

/** A deterministic PRNG for the inputs (xorshift32). */
function rng(seed: number) {
  let x = seed || 1;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const gateway: Board = {
  format: 'isolation-lab/board', version: 1, name: 'bench gateway', soc: 'gateway-a53',
  components: [
    { id: 'uart0', kind: 'uart', domain: 'app' }, { id: 'uart1', kind: 'uart', domain: 'system' },
    { id: 'spi0', kind: 'spi', domain: 'rt' }, { id: 'i2c0', kind: 'i2c', domain: 'rt' },
    { id: 'can0', kind: 'can', domain: 'rt' }, { id: 'eth0', kind: 'ethernet', domain: 'shared' },
    { id: 'cell0', kind: 'cellular', domain: 'system' }, { id: 'flash0', kind: 'flash', domain: 'shared' },
    { id: 'sec0', kind: 'security-processor', domain: 'system' }, { id: 'usb0', kind: 'usb-host', domain: 'app' },
    { id: 'display0', kind: 'display', domain: 'app' }, { id: 'npu0', kind: 'npu', domain: 'app' },
    { id: 'gpio0', kind: 'gpio', domain: 'app' }, { id: 'gpio1', kind: 'gpio', domain: null },
    { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'iommu' },
    { id: 'dma1', kind: 'dma', domain: 'rt', dmaProtection: 'firewall-id' },
    { id: 'dma2', kind: 'dma', domain: 'system', dmaProtection: 'none' },
    { id: 'dma3', kind: 'dma', domain: 'app', dmaProtection: 'firewall-id' },
  ],
  vms: { system: { memoryMiB: 256 }, app: { memoryMiB: 512, refresh: { everySeconds: 3600 } } },
};

const rows: [string, string, string, string][] = [];

// (1) Firewall.check against a plain Map.get over the same lookups.
{
  const N = 1_000_000;
  const map = new MemoryMap(gateway);
  const fw = new Firewall(gateway, map);
  const masters = mastersOf(gateway);
  const targets = map.entries.map((e) => e.target);
  const r = rng(42);
  const ms: string[] = new Array(N);
  const ts: string[] = new Array(N);
  const keys: string[] = new Array(N);
  const plain = new Map<string, { allowed: boolean; rule: string }>();
  for (const m of masters) for (const t of targets) plain.set(`${m}|${t}`, fw.check(m, t));
  for (let i = 0; i < N; i++) {
    ms[i] = masters[Math.floor(r() * masters.length)];
    ts[i] = targets[Math.floor(r() * targets.length)];
    keys[i] = `${ms[i]}|${ts[i]}`;
  }
  const check = time(() => {
    let n = 0;
    for (let i = 0; i < N; i++) if (fw.check(ms[i], ts[i], 'read').allowed) n++;
    return n;
  });
  const base = time(() => {
    let n = 0;
    for (let i = 0; i < N; i++) if (plain.get(keys[i])!.allowed) n++;
    return n;
  });
  if (check.sink !== base.sink) throw new Error('firewall and baseline disagree');
  rows.push([`Firewall.check × ${N.toLocaleString('en')} (random master/target)`, `${check.ms.toFixed(1)} ms`,
    `Map.get × ${N.toLocaleString('en')}: ${base.ms.toFixed(1)} ms`, `${(check.ms / base.ms).toFixed(2)}× (goal ≤ 3×)`]);
}

// (1b) The whole bus path per access — stage-2 + firewall or IOMMU + the transaction record — against Map.get.
{
  const N = 1_000_000;
  const map = new MemoryMap(gateway);
  const bus = new Bus(gateway, map);
  const masters = mastersOf(gateway);
  const targets = [...new Set(map.entries.map((e) => e.target))];
  const ops = ['read', 'write'] as const;
  const r = rng(43);
  const ms: string[] = new Array(N);
  const ts: string[] = new Array(N);
  const os: ('read' | 'write')[] = new Array(N);
  const keys: string[] = new Array(N);
  const plain = new Map<string, { allowed: boolean }>();
  for (const m of masters) for (const t of targets) for (const op of ops) plain.set(`${m}|${t}|${op}`, bus.route(m, t, op));
  for (let i = 0; i < N; i++) {
    ms[i] = masters[Math.floor(r() * masters.length)];
    ts[i] = targets[Math.floor(r() * targets.length)];
    os[i] = ops[Math.floor(r() * 2)];
    keys[i] = `${ms[i]}|${ts[i]}|${os[i]}`;
  }
  const path = time(() => {
    let n = 0;
    for (let i = 0; i < N; i++) if (bus.transact(i, ms[i], ts[i], os[i], 0).allowed) n++;
    return n;
  });
  const base = time(() => {
    let n = 0;
    for (let i = 0; i < N; i++) if (plain.get(keys[i])!.allowed) n++;
    return n;
  });
  if (path.sink !== base.sink) throw new Error('bus and baseline disagree');
  rows.push([`Bus path (stage-2 + firewall/IOMMU + record) × ${N.toLocaleString('en')}`, `${path.ms.toFixed(1)} ms`,
    `Map.get × ${N.toLocaleString('en')}: ${base.ms.toFixed(1)} ms`, `${(path.ms / base.ms).toFixed(2)}× (goal ≤ 3×)`]);
}

// (2) Event queue: schedule N events at random times and pop them all, against push + sort.
{
  const N = 200_000;
  const r = rng(7);
  const times = Array.from({ length: N }, () => Math.floor(r() * 86_400_000));
  const noop = () => {};
  const heap = time(() => {
    const q = new EventQueue();
    for (let i = 0; i < N; i++) q.push(times[i], noop);
    let last = -1;
    let n = 0;
    while (q.size > 0) {
      const t = q.peekTime()!;
      if (t < last) throw new Error('heap out of order');
      last = t;
      q.pop()();
      n++;
    }
    return n;
  });
  const sorted = time(() => {
    const a: { t: number; s: number; f: () => void }[] = [];
    for (let i = 0; i < N; i++) a.push({ t: times[i], s: i, f: noop });
    a.sort((x, y) => x.t - y.t || x.s - y.s);
    for (const e of a) e.f();
    return a.length;
  });
  const rate = (ms: number) => `${((N / ms) * 1000 / 1e6).toFixed(1)} M events/s`;
  rows.push([`EventQueue schedule+pop × ${N.toLocaleString('en')}`, `${heap.ms.toFixed(1)} ms (${rate(heap.ms)})`,
    `array push+sort: ${sorted.ms.toFixed(1)} ms (${rate(sorted.ms)})`, `${(heap.ms / sorted.ms).toFixed(2)}×`]);
}

// (3) 24 h of simulated time: three VMs, app refresh every hour, background traffic.
{
  let events = 0;
  let refreshes = 0;
  const day = time(() => {
    const sim = new Simulation(gateway, { seed: 1, background: true });
    sim.powerOn();
    sim.advance(24 * 3600 * 1000);
    const out = sim.drain();
    refreshes = out.events.filter((e) => e.type === 'vm.refresh').length;
    events = sim.eventsRun;
    return refreshes;
  });
  const boot = time(() => {
    const sim = new Simulation(gateway, { seed: 1 });
    sim.powerOn();
    sim.settle();
    sim.drain();
    return sim.eventsRun;
  });
  rows.push([`simulate 24 h (${refreshes} refreshes, ${events.toLocaleString('en')} events)`, `${day.ms.toFixed(1)} ms`,
    `boot only: ${boot.ms.toFixed(2)} ms`, `goal ≤ 200 ms: ${day.ms <= 200 ? 'met' : 'MISSED'}`]);
}

// (n) Start-up of the `lab` command, whole process, against `node -e 0` (the same bytes out either way).
{
  /**
   * Median wall time of each command. The commands take turns, so that each sees the same load on
   * the machine (run one after the other, a busy moment skewed the ratio either way); the first
   * round warms the file cache and writes the built file's V8 code cache (bin/lab.cjs), and is
   * not counted. Gives the medians and each command's standard output.
   */
  const inTurn = (reps: number, commands: [string, string[]][]): { ms: number; stdout: string }[] => {
    const runs = commands.map(() => [] as number[]);
    const stdout = commands.map(() => '');
    for (let i = 0; i <= reps; i++) {
      commands.forEach(([cmd, args], j) => {
        const t0 = performance.now();
        const r = spawnSync(cmd, args, { encoding: 'utf8' });
        const ms = performance.now() - t0;
        if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
        if (i > 0) runs[j].push(ms);
        stdout[j] = r.stdout;
      });
    }
    return runs.map((r, j) => ({ ms: median(r), stdout: stdout[j] }));
  };
  const script = join(mkdtempSync(join(tmpdir(), 'lab-bench-')), 'oven.txt');
  writeFileSync(script, 'app: lsdev\napp: attack dma-escape\nsleep 24h\nsystem: vmm list\n');
  const run = ['run', 'public/examples/smart-oven.board.json', '--script', script];
  const build = spawnSync('node', ['scripts/build-cli.mjs'], { encoding: 'utf8' }); // newer than the sources, or lab runs them
  // The build writes its source list only when it succeeds (it empties the directory first); without the
  // built file lab would quietly run through tsx, and the first row would measure that.
  if (build.status !== 0 || !existsSync('node_modules/.cache/isolation-lab/lab.sources.json')) throw new Error(`scripts/build-cli.mjs failed: ${build.stderr}`);
  const [node0, built] = inTurn(11, [['node', ['-e', '0']], ['node', ['bin/lab.cjs', ...run]]]);
  const [node0b, viaNpm, viaTsx] = inTurn(5, [['node', ['-e', '0']], ['npm', ['run', '--silent', 'lab', '--', ...run]], ['npx', ['tsx', 'src/cli/lab.ts', ...run]]]);
  if (built.stdout !== viaTsx.stdout || viaNpm.stdout !== viaTsx.stdout) throw new Error('lab run printed other bytes from the built file than from the sources');
  rows.push(['lab run (an example, 24 h), node bin/lab.cjs', `${built.ms.toFixed(0)} ms`, `node -e 0: ${node0.ms.toFixed(0)} ms`,
    `${(built.ms / node0.ms).toFixed(2)}× (goal ≤ 2×: ${built.ms <= 2 * node0.ms ? 'met' : 'MISSED'})`]);
  rows.push(['the same through npm run lab', `${viaNpm.ms.toFixed(0)} ms`, `node -e 0: ${node0b.ms.toFixed(0)} ms`,
    `${(viaNpm.ms / node0b.ms).toFixed(2)}× (npm's own start-up included)`]);
  rows.push(['the same through tsx (before; the fallback)', `${viaTsx.ms.toFixed(0)} ms`, `node -e 0: ${node0b.ms.toFixed(0)} ms`,
    `${(viaTsx.ms / node0b.ms).toFixed(2)}×`]);
}

rows.push(...(await (await import('./emu.ts')).emuBench()));
rows.push(...(await (await import('./fragments.ts')).fragmentBenchmarks()));
rows.push(...(await (await import('./browser.ts')).browserRows()));
rows.push(...(await (await import('./page.ts')).pageRows())); // needs the dist/ that browserRows built

const header: [string, string, string, string] = ['benchmark', 'measured (median)', 'baseline (same run)', 'ratio / goal'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' | ');
console.log(`Isolation Lab engine benchmarks (median of ${REPS}, Node ${process.version})\n`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
