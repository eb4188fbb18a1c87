// Never freeze: the busiest board (the application VM refreshed every simulated second) at 100×
// for 60 s of wall time. Input keeps answering and the page's memory levels off.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeBoard } from '../../src/model/boardFile.ts';
import { example } from '../../src/model/examples.ts';
import { consoleText, launch, openApp, screenshot, waitForPrompt } from './browser.ts';

const WALL_MS = 60_000;
/**
 * "Still answering" bounds for a 2-core machine shared with other test runs: a page that stops
 * answering (as this board's did within 10 s before batches were acknowledged and the lists
 * windowed and throttled) fails them. A click is timed with Playwright's own checks (visible,
 * stable over two frames), so it includes waiting for frames. These are not the latency budget
 * (16.7 ms): the figures are printed, and the README says how far from it they are.
 */
const ECHO_BOUND_MS = 5000;
const CLICK_BOUND_MS = 8000;
const HEAP_EVERY_MS = 3000;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('stress: refresh every second at 100×', () => {
  it('keeps answering input, and the heap plateaus', async () => {
    const { page, errors } = await openApp(browser);
    const board = structuredClone(example('smart-oven')!.board);
    board.name = 'Refresh every second';
    board.vms.app.refresh = { everySeconds: 1, onCrash: true, onCompromise: true };
    await page.getByLabel('Board file to import').setInputFiles({ name: 'busy.board.json', mimeType: 'application/json', buffer: Buffer.from(serializeBoard(board)) });
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('Refresh every second');
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'System VM');
    const sim = page.getByRole('toolbar', { name: 'Simulation' });
    await sim.getByRole('button', { name: '100×' }).click();

    const cdp = await page.context().newCDPSession(page);
    const heapMiB = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return usedSize / 1024 / 1024;
    };

    const heap: number[] = [];
    const echoes: number[] = [];
    const clicks: number[] = [];
    const toggle = page.getByLabel('if the firewall were off');
    const start = Date.now();
    // The heap is sampled on its own clock, whatever the input checks take.
    const sampler = (async () => {
      while (Date.now() - start < WALL_MS) {
        heap.push(await heapMiB());
        await new Promise((r) => setTimeout(r, HEAP_EVERY_MS));
      }
    })();
    for (let i = 0; Date.now() - start < WALL_MS; i++) {
      // Typing in a console echoes (the system VM stays up while the application VM refreshes).
      const word = `k${i}`;
      const region = page.getByRole('region', { name: 'Console: System VM' });
      await region.locator('.xterm-screen').click();
      const t0 = Date.now();
      await page.keyboard.type(word);
      await expect.poll(async () => (await consoleText(page, 'System VM')).trimEnd().endsWith(word), { timeout: ECHO_BOUND_MS * 4, interval: 20 }).toBe(true);
      echoes.push(Date.now() - t0);
      for (let k = 0; k < word.length; k++) await page.keyboard.press('Backspace');

      // A click on a page control takes effect.
      const was = await toggle.isChecked();
      const t1 = Date.now();
      await toggle.click();
      await expect.poll(() => toggle.isChecked(), { timeout: CLICK_BOUND_MS * 4, interval: 20 }).toBe(!was);
      clicks.push(Date.now() - t1);

      await page.waitForTimeout(1000);
    }
    await sampler;
    const simulated = await page.getByLabel('Simulated time').innerText();
    const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    const timelineRows = await page.locator('.timeline .event').count();
    const refreshes = await page.locator('.retention summary').innerText().catch(() => '');
    await screenshot(page, 'stress-100x');

    const third = Math.floor(heap.length / 3);
    const [first, last] = [heap.slice(third, 2 * third), heap.slice(-third)];
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const p95 = (xs: number[]) => sorted(xs)[Math.floor(xs.length * 0.95)] ?? NaN;
    console.log(
      `stress 100×, ${WALL_MS / 1000} s wall → ${simulated} simulated; echo p50 ${sorted(echoes)[echoes.length >> 1]} ms, p95 ${p95(echoes)} ms; ` +
        `click p95 ${p95(clicks)} ms; heap MiB ${heap.map((h) => h.toFixed(1)).join(' ')}; DOM nodes ${domNodes}; timeline rows ${timelineRows}; ${refreshes}`,
    );

    expect(heap.length).toBeGreaterThanOrEqual(12);
    expect(p95(echoes)).toBeLessThan(ECHO_BOUND_MS);
    expect(p95(clicks)).toBeLessThan(CLICK_BOUND_MS);
    // The plateau: the last third's heap is not above the middle third's by more than 15 % + 5 MiB.
    expect(mean(last)).toBeLessThan(mean(first) * 1.15 + 5);
    expect(domNodes).toBeLessThan(12_000);
    expect(timelineRows).toBeLessThanOrEqual(200);
    expect(errors).toEqual([]);
  }, 180_000);
});
