// The page's figures in headless Chromium, each beside a baseline page measured in the same run:
// navigation → diagram visible (bare React page), keystroke → echo under load (bare xterm with local
// echo), frames per second at 100× (the same page at 1×). The baseline pages live in bench/pages and
// are built here into node_modules/.bench-pages: they are never part of dist/.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serializeBoard } from '../src/model/boardFile.ts';
import { example } from '../src/model/examples.ts';

const RUNS = 5;
const KEYS = 15;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.webmanifest': 'application/json' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

/** Serves `/app/` from dist and `/pages/` from the baseline build. */
function serve(roots: Record<string, string>): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, prefix, ...rest] = url.pathname.split('/');
    const root = roots[prefix ?? ''];
    if (!root) return void res.writeHead(404).end();
    let file = normalize(join(root, decodeURIComponent(rest.join('/'))));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

async function buildBaselines(): Promise<string> {
  const root = resolve('bench/pages');
  const outDir = resolve('node_modules/.bench-pages');
  await build({
    root, configFile: false, base: './', logLevel: 'silent', plugins: [react()],
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { xterm: join(root, 'xterm-echo.html'), react: join(root, 'react-hello.html') } } },
  });
  return outDir;
}

/** The same launch flags as the e2e tests (tests/e2e/browser.ts). */
function launch(): Promise<Browser> {
  const exe = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p)) ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath: exe, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

async function fresh(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, serviceWorkers: 'block' });
  // tsx keeps function names with a `__name` helper that page.evaluate's copies would miss.
  await context.addInitScript('window.__name = (f) => f');
  return context.newPage();
}

/** Milliseconds from navigation start until `selector` is in the page (checked every frame). */
async function navigationMs(browser: Browser, url: string, selector: string): Promise<number> {
  const page = await fresh(browser);
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction((s) => (document.querySelector(s) ? performance.now() : 0), selector, { polling: 'raf', timeout: 30_000 });
  const ms = (await handle.jsonValue()) as number;
  await page.context().close();
  return ms;
}

/**
 * Keystroke → echo: from the keydown event to the DOM mutation that shows the typed text in the
 * terminal's rows (the same measurement on both pages). Returns one figure per key.
 */
async function echoMs(page: Page, rows: string, keys: number): Promise<number[]> {
  await page.evaluate((sel) => {
    const w = window as unknown as { echo: { t0: number; expect: string; times: number[] } };
    w.echo = { t0: 0, expect: '\u0000', times: [] };
    document.addEventListener('keydown', () => void (w.echo.t0 = performance.now()), { capture: true });
    const target = document.querySelector(sel)!;
    new MutationObserver(() => {
      const text = (target.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd();
      if (w.echo.t0 && text.endsWith(w.echo.expect)) {
        w.echo.times.push(performance.now() - w.echo.t0);
        w.echo.t0 = 0;
      }
    }).observe(target, { subtree: true, childList: true, characterData: true });
  }, rows);
  let typed = '';
  for (let i = 0; i < keys; i++) {
    const ch = 'abcdefghijklmnopqrstuvwxyz'[i % 26]!;
    typed += ch;
    await page.evaluate((t) => void ((window as unknown as { echo: { expect: string } }).echo.expect = t), typed);
    await page.keyboard.press(ch);
    await page.waitForFunction((n) => (window as unknown as { echo: { times: number[] } }).echo.times.length >= n, i + 1, { timeout: 30_000, polling: 10 });
    await page.waitForTimeout(60); // keys a person types, not a burst
  }
  return page.evaluate(() => (window as unknown as { echo: { times: number[] } }).echo.times);
}

/** Frames painted per second over `ms`, and the long tasks (> 50 ms) seen meanwhile. */
async function fps(page: Page, ms: number): Promise<{ fps: number; longTasks: number }> {
  return page.evaluate((span) => new Promise<{ fps: number; longTasks: number }>((ok) => {
    let frames = 0;
    let longTasks = 0;
    const obs = new PerformanceObserver((l) => void (longTasks += l.getEntries().length));
    obs.observe({ type: 'longtask' });
    const t0 = performance.now();
    const tick = () => {
      frames++;
      if (performance.now() - t0 < span) requestAnimationFrame(tick);
      else {
        obs.disconnect();
        ok({ fps: (frames * 1000) / (performance.now() - t0), longTasks });
      }
    };
    requestAnimationFrame(tick);
  }), ms);
}

/** The app with the busiest example (the application VM refreshed every simulated second), powered on. */
async function busyApp(browser: Browser, url: string): Promise<Page> {
  const page = await fresh(browser);
  await page.goto(url);
  await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
  const board = structuredClone(example('smart-oven')!.board);
  board.name = 'Refresh every second';
  board.vms.app.refresh = { everySeconds: 1, onCrash: true, onCompromise: true };
  await page.getByLabel('Board file to import').setInputFiles({ name: 'busy.board.json', mimeType: 'application/json', buffer: Buffer.from(serializeBoard(board)) });
  await page.waitForFunction(() => (document.querySelector('[aria-label="Board name"]') as HTMLInputElement | null)?.value === 'Refresh every second');
  await page.getByRole('button', { name: 'Power on' }).click();
  const sys = page.getByRole('region', { name: 'Console: System VM' });
  await page.waitForFunction(() => {
    const r = document.querySelector('[aria-label="Console: System VM"] .xterm-rows');
    const lines = Array.from(r?.children ?? []).map((d) => (d.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).filter(Boolean);
    return /[#$>]$/.test(lines.at(-1) ?? '');
  }, undefined, { timeout: 60_000, polling: 100 });
  await sys.locator('.xterm-screen').click();
  return page;
}

export async function pageRows(): Promise<[string, string, string, string][]> {
  const pages = await buildBaselines();
  const { server, base } = await serve({ app: resolve('dist'), pages });
  const browser = await launch();
  const rows: [string, string, string, string][] = [];
  try {
    // Navigation → diagram visible, against a bare React page; alternated so both see the same machine.
    const nav: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      nav.push(await navigationMs(browser, `${base}/app/`, '.react-flow__node'));
      bare.push(await navigationMs(browser, `${base}/pages/react-hello.html`, '.bench-visible'));
    }
    const n = median(nav);
    const b = median(bare);
    rows.push(['navigation → diagram visible', `${n.toFixed(0)} ms`, `bare React page: ${b.toFixed(0)} ms`, `${(n / b).toFixed(2)}× (budget ≤ 1.5×: ${n <= 1.5 * b ? 'met' : 'MISSED'})`]);

    // Keystroke → echo: the System VM's console while the busy board runs at 100×, against a bare xterm.
    const xpage = await fresh(browser);
    await xpage.goto(`${base}/pages/xterm-echo.html`);
    await xpage.locator('.xterm-screen').click();
    const bareEcho = await echoMs(xpage, '.xterm-rows', KEYS * 2);
    await xpage.context().close();

    const app = await busyApp(browser, `${base}/app/`);
    const one = await fps(app, 3000);
    await app.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: '100×' }).click();
    await app.waitForTimeout(1000);
    const hundred = await fps(app, 3000);
    await app.getByRole('region', { name: 'Console: System VM' }).locator('.xterm-screen').click();
    const echo = await echoMs(app, '[aria-label="Console: System VM"] .xterm-rows', KEYS * 2);
    await app.context().close();

    const p50 = median(echo);
    const p95 = percentile(echo, 0.95);
    const b50 = median(bareEcho);
    const b95 = percentile(bareEcho, 0.95);
    rows.push([`keystroke → echo, System VM console, busy board at 100× (${echo.length} keys)`, `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
      `bare xterm, local echo: p50 ${b50.toFixed(1)} ms, p95 ${b95.toFixed(1)} ms`,
      `p95 ${(p95 / b95).toFixed(2)}× (budget ≤ 1.1× and ≤ 16.7 ms: ${p95 <= 1.1 * b95 && p95 <= 16.7 ? 'met' : 'MISSED'})`]);
    rows.push(['frames per second, busy board at 100×', `${hundred.fps.toFixed(0)} fps, ${hundred.longTasks} long tasks in 3 s`,
      `the same page at 1×: ${one.fps.toFixed(0)} fps, ${one.longTasks} long tasks`,
      `${(hundred.fps / one.fps).toFixed(2)}× (budget ≥ 0.9×, no long task: ${hundred.fps >= 0.9 * one.fps && hundred.longTasks === 0 ? 'met' : 'MISSED'})`]);
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}
