// The bus made visible: a transaction animates hop by hop on the diagram, the
// "Transaction trace" region lists its stages, and a board the hardware cannot
// build is not powered on until it is fixed.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectorOf, launch, openApp, runCommand, screenshot, waitForPrompt } from './browser.ts';
import { TRACE_HOLD_MS } from '../../src/ui/diagram/traceView.ts';

let browser: Browser;
let page: Page;
let errors: string[];

const BOARD = JSON.stringify({
  format: 'isolation-lab/board',
  version: 1,
  name: 'Trace lesson',
  soc: 'iot-a7m4',
  components: [
    { id: 'uart0', kind: 'uart', domain: 'app' },
    { id: 'spi0', kind: 'spi', domain: 'rt' },
    { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'firewall-id' },
    { id: 'sec0', kind: 'security-processor', domain: 'system' },
    { id: 'wifi0', kind: 'wifi', domain: 'shared' },
  ],
  vms: { system: { memoryMiB: 16 }, app: { memoryMiB: 24 } },
});

async function importBoard(text: string, name: string) {
  await page.getByLabel('Board file to import').setInputFiles({ name: 'b.board.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForFunction((n) => document.querySelector<HTMLInputElement>('input[aria-label="Board name"]')?.value === n, name);
}

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openApp(browser));
});
afterAll(async () => {
  await browser?.close();
});

const trace = () => page.getByRole('region', { name: 'Transaction trace' });
const traceEdge = () => page.locator('.react-flow__edge.trace-edge');
/** How many hop labels of the traced transaction are on the diagram now. */
const hopsShown = () => page.locator('.trace-hop-label').count();

/** Records, in the page, every change in the number of hop labels drawn (sampling from here could miss one under load). */
async function recordHops(): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { hopCounts: number[]; hopObserver?: MutationObserver };
    w.hopObserver?.disconnect();
    w.hopCounts = [];
    w.hopObserver = new MutationObserver(() => {
      const n = document.querySelectorAll('.trace-hop-label').length;
      if (w.hopCounts.at(-1) !== n) w.hopCounts.push(n);
    });
    w.hopObserver.observe(document.body, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { hopCounts: number[] }).hopCounts);
}

/**
 * The hop counts of the newest trace in the order they were drawn: from its
 * first single hop on, without the empty moments while React Flow re-measures
 * the nodes, and without repeats.
 */
function growth(seq: number[]): number[] {
  const shown = seq.filter((n) => n > 0).filter((n, i, a) => i === 0 || a[i - 1] !== n);
  return shown.lastIndexOf(1) < 0 ? shown.slice(-1) : shown.slice(shown.lastIndexOf(1));
}

describe('Power on and the cannot-boot rules', () => {
  it('the Broken oven cannot be powered on, and the button says why before it is pressed', async () => {
    await page.getByLabel('Examples').selectOption('broken-oven');
    const power = page.getByRole('button', { name: 'Power on' });
    await expect.poll(() => power.isDisabled()).toBe(true);
    const why = page.locator('#power-refusal');
    // One short line that keeps the toolbar one row high; the reasons are in the tooltip and in Diagnostics.
    expect(await why.innerText()).toMatch(/^Cannot boot: \d+ problems/);
    expect(await why.textContent()).toMatch(/^Cannot boot: \d+ problems — fix them in Diagnostics$/);
    // Diagnostics counts the same problems among its errors, and says so.
    const problems = /Cannot boot: (\d+)/.exec(await why.innerText())![1];
    expect(await page.getByRole('region', { name: 'Diagnostics' }).getByRole('heading').first().innerText()).toMatch(new RegExp(`\\d+ errors \\(${problems} stop the boot\\), \\d+ warnings?`));
    expect((await why.boundingBox())!.height).toBeLessThan(30);
    expect(await power.getAttribute('title')).toMatch(/Memory needed is \d+ MiB/);
    expect(await power.getAttribute('aria-describedby')).toBe('power-refusal');
    await screenshot(page, 'power-refused');
  });

  it('fixing the cannot-boot errors enables it, although security holes remain', async () => {
    // Memory: 24 + 40 + 2 (real-time) MiB is over 64 MiB, each VM's kernel inside its RAM; the SDIO pads: Wi-Fi and the SD card; the flash may not go to the app VM.
    const settings = page.getByRole('region', { name: 'Board settings' });
    const mem = settings.getByLabel('Application VM memory');
    await mem.fill('16');
    await mem.press('Enter');
    for (const [id, domain] of [['sd0', 'Unassigned'], ['flash0', 'System VM']]) {
      await page.locator(`.react-flow__node[data-id="${id}"]`).click();
      await (await inspectorOf(page, id)).getByLabel('Domain').selectOption({ label: domain });
    }
    const power = page.getByRole('button', { name: 'Power on' });
    const left = async () => (await page.locator('#power-refusal').count()) ? page.locator('#power-refusal').innerText() : '';
    await expect.poll(left).toBe('');
    expect(await power.isDisabled()).toBe(false);
    // dma0 is still unprotected: a security hole, which boots.
    expect(await page.getByRole('region', { name: 'Diagnostics' }).innerText()).toMatch(/dma-unprotected[\s\S]*security hole/i);
  });
});

describe('the transaction trace', () => {
  beforeAll(async () => {
    await importBoard(BOARD, 'Trace lesson');
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await waitForPrompt(page, 'Real-time container');
  });

  it('a denied access animates hop by hop to the hop that decided, and the trace region lists its stages', async () => {
    const counts = await recordHops();
    const out = await runCommand(page, 'Real-time container', 'peek system-ram');
    expect(out.replace(/\n/g, '')).toContain('access denied at firewall');
    // The number the console named is the one the region shows.
    await expect.poll(() => trace().innerText()).toMatch(/#\d+ cpu:rt read system-ram/);
    const n = Number(/#(\d+)/.exec(await trace().innerText())![1]);
    expect(out.replace(/\n/g, '')).toContain(`(trace ${n})`);
    await expect.poll(() => traceEdge().count()).toBe(1);
    expect(await traceEdge().getAttribute('data-id')).toBe(`trace-${n}`);
    await expect.poll(() => page.locator('.trace-hop-label.hop-decided').innerText()).toMatch(/firewall ✕\s*DENIED/);
    // Hop by hop: the master alone first, then the firewall with its verdict.
    expect(growth(await counts())).toEqual([1, 2]);
    expect(await hopsShown()).toBe(2); // the target is never reached
    const region = await trace().innerText();
    expect(region).toContain(`#${n}`);
    expect(region).toMatch(/cpu:rt[\s\S]*firewall[\s\S]*deny[\s\S]*rt-cpu → system-ram: deny/i);
    expect(region).toMatch(/Denied at firewall; system-ram was not touched/);
    // Each stage's name whole on one line ("system-ram", not "system-" over "ram"), in one column.
    const names = await trace().locator('.hop-name').evaluateAll((els) => els.map((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return { text: el.textContent, lines: new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size, left: Math.round(el.getBoundingClientRect().left) };
    }));
    expect(names.map((n) => n.text)).toContain('system-ram');
    for (const n of names) expect(n, n.text ?? '').toMatchObject({ lines: 1, left: names[0]!.left });
    await screenshot(page, 'trace-denied');
  });

  it('an allowed access goes through every stage to its target', async () => {
    const counts = await recordHops();
    const out = await runCommand(page, 'Application VM', 'poke app-ram 0x41');
    expect(out).toContain('app-ram+0x0000');
    await expect.poll(() => page.locator('.trace-hop-label.hop-decided').innerText()).toMatch(/app-ram ✓\s*done/);
    expect(await hopsShown()).toBe(4); // master, stage-2, firewall, target
    expect(growth(await counts())).toEqual([1, 2, 3, 4]); // one hop after another
    const region = await trace().innerText();
    expect(region).toMatch(/stage-2[\s\S]*allow[\s\S]*firewall[\s\S]*allow[\s\S]*app-ram/i);
    expect(region).toContain('Completed: every stage allowed it.');
    await screenshot(page, 'trace-allowed');
  });

  it('trace #n on the timeline picks an older transaction, bringing the trace into view; "show latest" returns', async () => {
    // The sidebar scrolled to its top, where the inspector is: the trace region is out of its view.
    const inSidebarView = () => trace().evaluate((el) => {
      const r = el.getBoundingClientRect();
      const s = el.closest('.sidebar')!.getBoundingClientRect();
      return r.top >= s.top - 1 && r.top < s.bottom - 20;
    });
    await page.locator('.sidebar').evaluate((el) => {
      el.scrollTop = 0;
      // Room above the region, as a long inspector or lesson would take, so it starts out of view at any window size.
      (el.firstElementChild as HTMLElement).style.marginBottom = '2000px';
    });
    expect(await inSidebarView()).toBe(false);
    const deny = page.getByRole('region', { name: 'Event timeline' }).locator('.event').filter({ hasText: 'firewall.deny' }).last();
    await deny.getByRole('button', { name: /trace #/ }).click();
    await expect.poll(() => trace().innerText()).toMatch(/cpu:rt[\s\S]*Denied at firewall/);
    await expect.poll(inSidebarView).toBe(true);
    await page.locator('.sidebar').evaluate((el) => void ((el.firstElementChild as HTMLElement).style.marginBottom = ''));
    // Each VM's boot links to the card of that VM.
    const timeline = page.getByRole('region', { name: 'Event timeline' });
    expect(await timeline.getByRole('button', { name: 'About vm.boot: System VM' }).count()).toBeGreaterThan(0);
    expect(await timeline.getByRole('button', { name: 'About vm.boot: Application VM' }).count()).toBeGreaterThan(0);
    // Buttons, not links to "#concept-…": Chromium checks where a page's links are on screen 100 ms
    // after each layout, and those checks drew frames between the keys typed into a console.
    expect(await page.locator('a[href]').count()).toBe(0);
    await trace().getByRole('button', { name: 'show latest' }).click();
    await expect.poll(() => trace().innerText()).toContain('(latest)');
    expect(errors).toEqual([]);
  });

  it('the latest trace leaves the diagram after a while, and the region keeps it; one picked on the timeline stays', async () => {
    const travelled = () => page.locator('.trace-travelled').count();
    const latest = async () => Number(/#(\d+)/.exec(await trace().locator('.trace-summary').innerText())?.[1]);
    const before = await latest();
    await runCommand(page, 'Application VM', 'poke app-ram 0x42');
    // The new transaction's own edge, all its hops drawn: until then the label may still be the previous trace's, fading.
    await expect.poll(latest).toBeGreaterThan(before);
    const n = await latest();
    await expect.poll(() => page.locator(`.react-flow__edge.trace-edge[data-id="trace-${n}"]`).count()).toBe(1);
    await expect.poll(() => page.locator('.trace-hop-label.hop-decided').innerText()).toMatch(/app-ram ✓\s*done/);
    const drawn = Date.now();
    await expect.poll(travelled, { timeout: TRACE_HOLD_MS + 10_000, interval: 250 }).toBe(0);
    expect(Date.now() - drawn).toBeGreaterThanOrEqual(TRACE_HOLD_MS - 1000);
    expect(await hopsShown()).toBe(0);
    expect(await trace().innerText()).toMatch(/app-ram[\s\S]*\(latest\)/);
    // Picked, an older one (long past its time as the latest) is drawn again, and stays.
    const deny = page.getByRole('region', { name: 'Event timeline' }).locator('.event').filter({ hasText: 'firewall.deny' }).last();
    await deny.getByRole('button', { name: /trace #/ }).click();
    await expect.poll(() => page.locator('.trace-hop-label.hop-decided').innerText()).toMatch(/DENIED/);
    await page.waitForTimeout(1500);
    expect(await travelled()).toBe(1);
    await trace().getByRole('button', { name: 'show latest' }).click();
    await expect.poll(travelled).toBe(0);
  });
});

describe('reduced motion', () => {
  it('draws the whole trace at once', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    // No animation: every hop up to the deciding one is there at once, and no moving dot.
    const counts = await recordHops();
    await runCommand(page, 'Application VM', 'peek system-ram');
    await expect.poll(() => page.locator('.trace-hop-label.hop-decided').innerText()).toMatch(/stage-2 ✕\s*DENIED/);
    expect(growth(await counts())).toEqual([2]); // never a single hop: no animation
    await expect.poll(hopsShown).toBe(2);
    expect(await page.locator('.trace-dot').count()).toBe(0);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });
});

describe('edits while powered on', () => {
  it('are marked for the next boot, and Apply & reboot refuses an edited board that cannot boot, leaving the running one', async () => {
    const settings = page.getByRole('region', { name: 'Board settings' });
    const mem = settings.getByLabel('Application VM memory');
    // Nothing is waiting yet: no note, and each control keeps its own name.
    expect(await page.locator('.next-boot').count()).toBe(0);
    await page.locator('.react-flow__node[data-id="dma0"]').click();
    const inspector = await inspectorOf(page, 'dma0');
    expect(await inspector.getByRole('combobox', { name: 'Domain', exact: true }).count()).toBe(1);
    expect(await inspector.getByRole('combobox', { name: 'DMA protection', exact: true }).count()).toBe(1);
    await mem.fill('60');
    await mem.press('Enter');
    expect(await settings.innerText()).toContain('takes effect at the next boot');
    await page.getByRole('button', { name: /apply & reboot/i }).click();
    await expect.poll(() => page.getByText(/Not applied: the edited board cannot boot \(memory-budget\)/).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Power off' }).count()).toBe(1);
    await waitForPrompt(page, 'Application VM');
    await mem.fill('24');
    await mem.press('Enter');
    // Back to what is running: nothing waits for the next boot any more.
    await expect.poll(() => page.locator('.next-boot').count()).toBe(0);
  });
});
