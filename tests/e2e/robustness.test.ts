// Never lose work, in a real browser: a dead or hung engine, two tabs, hostile console input, the size limit.
import type { Browser, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consoleText, launch, loadExample, openApp, runCommand, screenshot, waitForPrompt } from './browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const power = (page: Page, name: 'Power on' | 'Power off') => page.getByRole('button', { name }).click();
const consoleState = (page: Page, name: string) =>
  page.getByRole('region', { name: `Console: ${name}` }).locator('.state').first().innerText();
const failureNotice = (page: Page) => page.locator('.engine-failure');

async function engineWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().length).toBeGreaterThan(0);
  return page.workers()[0]!;
}

describe('the engine worker fails', () => {
  it('when it dies after boot: a message, consoles stopped, Power on again, and Restart boots the same board', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await power(page, 'Power on');
    await waitForPrompt(page, 'Application VM');
    const worker = await engineWorker(page);
    // The worker throws outside any call: the page's Worker gets an `error` event.
    void worker.evaluate(() => setTimeout(() => { throw new Error('simulated engine fault'); })).catch(() => {});
    await expect.poll(() => failureNotice(page).count()).toBe(1);
    expect(await failureNotice(page).innerText()).toContain('simulated engine fault');
    await expect.poll(() => consoleState(page, 'Application VM')).toBe('stopped');
    await expect.poll(() => consoleText(page, 'System VM')).toContain('stopped: the engine crashed');
    // Where one console is shown at a time, the tab of one not shown says so too, not "off".
    await page.setViewportSize({ width: 1440, height: 960 });
    const tab = page.getByRole('tablist', { name: 'Consoles' }).getByRole('tab', { name: /^System VM/ });
    expect(await tab.locator('.state').innerText()).toBe('stopped');
    await page.setViewportSize({ width: 1920, height: 1080 });
    // Not "running" any more: the simulation controls are off and Power on is back.
    await expect.poll(() => page.getByRole('button', { name: 'Power on' }).count()).toBe(1);
    expect(await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'DMA escape' }).isDisabled()).toBe(true);
    await screenshot(page, 'engine-failure');
    await failureNotice(page).getByRole('button', { name: 'Restart' }).click();
    await waitForPrompt(page, 'Application VM');
    expect(await failureNotice(page).count()).toBe(0);
    expect(await consoleState(page, 'Application VM')).toBe('running');
    await page.context().close();
  });

  it('when it hangs: the watchdog notices within seconds, and Power off works at once', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await power(page, 'Power on');
    await waitForPrompt(page, 'Application VM');
    const worker = await engineWorker(page);
    // An engine stuck in a loop: it answers nothing, not even the heartbeat.
    void worker.evaluate(() => { const end = Date.now() + 120_000; while (Date.now() < end); }).catch(() => {});
    await page.waitForTimeout(300);
    const clicked = Date.now();
    await power(page, 'Power off');
    await expect.poll(() => page.getByRole('button', { name: 'Power on' }).count(), { timeout: 5000 }).toBe(1);
    expect(Date.now() - clicked).toBeLessThan(5000);
    await expect.poll(() => failureNotice(page).count(), { timeout: 30_000 }).toBe(1);
    expect(await failureNotice(page).innerText()).toContain('stopped answering');
    await page.context().close();
  });

  it('when it cannot be loaded: Power on says so instead of pretending to run', async () => {
    const context = await browser.newContext();
    await context.route(/engine\.worker/, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(inject('baseUrl'));
    await loadExample(page, /Smart oven/);
    await power(page, 'Power on');
    await expect.poll(() => failureNotice(page).count()).toBe(1);
    expect(await failureNotice(page).innerText()).toContain('could not be loaded');
    expect(await consoleState(page, 'Application VM')).toBe('stopped');
    await context.close();
  });
});

describe('two tabs', () => {
  it('see each other\'s edits and never overwrite them silently; a reload keeps the last edit', async () => {
    const context = await browser.newContext();
    const a = await context.newPage();
    const b = await context.newPage();
    for (const p of [a, b]) await p.goto(inject('baseUrl'));
    const name = (p: Page) => p.getByLabel('Board name').inputValue();
    const rename = async (p: Page, text: string) => {
      await p.getByLabel('Board name').fill(text);
      await p.getByLabel('Board name').press('Enter');
    };
    await rename(a, 'Edited in tab A');
    await expect.poll(() => name(b)).toBe('Edited in tab A');
    await b.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'UART', exact: true }).click();
    await rename(b, 'Then in tab B');
    await expect.poll(() => name(a)).toBe('Then in tab B');
    await expect.poll(() => a.locator('.react-flow__node-component').count()).toBe(1);
    await rename(a, 'Last in tab A');
    await expect.poll(() => name(b)).toBe('Last in tab A');
    await b.reload();
    await expect.poll(() => name(b)).toBe('Last in tab A');
    expect(await b.locator('.react-flow__node-component').count()).toBe(1);
    // The tab that followed keeps its own version one Undo away.
    await a.bringToFront();
    await a.keyboard.press('Control+z');
    await expect.poll(() => name(a)).toBe('Then in tab B');
    // Redo brings back the board it had taken from the other tab, and that is saved again too.
    const saved = (p: Page) => p.evaluate(() => JSON.parse(localStorage.getItem('isolation-lab:board') ?? '{}').name);
    await expect.poll(() => saved(a)).toBe('Then in tab B');
    await a.keyboard.press('Control+Shift+z');
    await expect.poll(() => name(a)).toBe('Last in tab A');
    await expect.poll(() => saved(a)).toBe('Last in tab A');
    await context.close();
  });
  it('a tab running a simulation keeps running it when another tab changes the board', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const a = await context.newPage();
    const b = await context.newPage();
    for (const p of [a, b]) {
      await p.goto(inject('baseUrl'));
      await p.locator('#prerender').waitFor({ state: 'detached' });
    }
    await a.bringToFront();
    await loadExample(a, /Smart oven/);
    await expect.poll(() => b.getByLabel('Board name').inputValue()).toBe(await a.getByLabel('Board name').inputValue());
    await power(a, 'Power on');
    const out = await runCommand(a, 'Application VM', 'echo my work');
    expect(out).toBe('my work');
    // Tab B adds a block; tab A takes the board, and its simulation and consoles go on.
    await b.bringToFront();
    await b.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'UART', exact: true }).click();
    await expect.poll(() => a.locator('.react-flow__node-component').count()).toBe(await b.locator('.react-flow__node-component').count());
    await a.bringToFront();
    expect(await a.getByRole('button', { name: 'Power off' }).count()).toBe(1);
    expect(await a.getByRole('button', { name: /Board changed — apply & reboot/ }).count()).toBe(1);
    expect(await consoleText(a, 'Application VM')).toContain('my work');
    expect(await runCommand(a, 'Application VM', 'echo still here')).toBe('still here');
    await context.close();
  });
});

describe('console input', () => {
  it('shows pasted escape sequences and C1 controls as text instead of obeying them', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await power(page, 'Power on');
    await waitForPrompt(page, 'System VM');
    await page.getByRole('region', { name: 'Console: System VM' }).locator('.xterm-screen').click();
    // A paste, as the browser delivers one to xterm's textarea.
    await page.getByRole('region', { name: 'Console: System VM' }).locator('textarea').evaluate((el) => {
      const data = new DataTransfer();
      data.setData('text/plain', 'echo \u009b2J\u001b[31mRED');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.keyboard.press('Enter');
    await expect.poll(() => consoleText(page, 'System VM')).toContain('echo \\u009b2J\\u001b[31mRED');
    // The screen was not cleared: the boot log is still there.
    expect(await consoleText(page, 'System VM')).toContain('firewall: rules loaded');
    await page.context().close();
  });
});

describe('console clipboard', () => {
  it('Ctrl+V pastes and Ctrl+C copies a selection, as in the browser; Ctrl+C without one reaches the shell', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await power(page, 'Power on');
    await waitForPrompt(page, 'System VM');
    const screen = page.getByRole('region', { name: 'Console: System VM' }).locator('.xterm-screen');
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-by-ctrl-v'));
    await screen.click();
    await page.keyboard.press('Control+v');
    await page.keyboard.press('Enter');
    await expect.poll(() => consoleText(page, 'System VM')).toMatch(/\npasted-by-ctrl-v\s*\n/);
    expect(await consoleText(page, 'System VM')).not.toContain('␖');

    // Without a selection, ^C abandons the line being typed.
    await page.keyboard.type('echo never-run');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Enter');
    await expect.poll(() => consoleText(page, 'System VM')).toContain('echo never-run^C');
    expect(await consoleText(page, 'System VM')).not.toMatch(/\nnever-run/);

    // With one, Ctrl+C copies it.
    await page.evaluate(() => navigator.clipboard.writeText(''));
    const box = (await screen.boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + 4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 4, box.y + 4, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.press('Control+c');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).not.toBe('');
    await page.context().close();
  });
});

describe('reading a file', () => {
  it('reads bytes as lab does: one byte-order mark is skipped, a second one makes the file refused', async () => {
    const { page } = await openApp(browser);
    const file = JSON.stringify({
      format: 'isolation-lab/board', version: 1, name: 'Marked', soc: 'iot-a7m4', components: [],
      vms: { system: { memoryMiB: 8 }, app: { memoryMiB: 16 } },
    });
    const input = page.getByLabel('Board file to import');
    await input.setInputFiles({ name: 'two.board.json', mimeType: 'application/json', buffer: Buffer.from(`\uFEFF\uFEFF${file}`) });
    await expect.poll(() => page.locator('.notice-error').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('two.board.json refused')]),
    );
    expect(await page.getByLabel('Board name').inputValue()).not.toBe('Marked');
    await input.setInputFiles({ name: 'one.board.json', mimeType: 'application/json', buffer: Buffer.from(`\uFEFF${file}`) });
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('Marked');
    await page.context().close();
  });
});

describe('a name in a sentence', () => {
  it('cannot reorder the notice it is quoted in: its bidirectional controls are shown, and it stays one isolate', async () => {
    const { page } = await openApp(browser);
    // A PDI would close the quote's isolate; the RLO after it would then reverse the rest of the sentence.
    const name = 'Oven \u2069\u202eevil';
    const file = JSON.stringify({
      format: 'isolation-lab/board', version: 1, name, soc: 'iot-a7m4', components: [],
      vms: { system: { memoryMiB: 8 }, app: { memoryMiB: 16 } },
    });
    await page.getByLabel('Board file to import').setInputFiles({ name: 'bidi.board.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe(name); // the board keeps its name as written
    const notice = page.locator('.notice').filter({ hasText: 'bidi.board.json' });
    expect(await notice.innerText()).toContain('Loaded “\u2068Oven \\u2069\\u202eevil\u2069” from bidi.board.json.');
    await page.context().close();
  });
});

describe('one size limit', () => {
  it('refuses the 257th component, saying why, and leaves the board as it was', async () => {
    const { page } = await openApp(browser);
    const components = Array.from({ length: 256 }, (_, i) => ({ id: `gpio${i}`, kind: 'gpio', domain: null }));
    const file = JSON.stringify({
      format: 'isolation-lab/board', version: 1, name: 'Full board', soc: 'iot-a7m4', components,
      vms: { system: { memoryMiB: 8 }, app: { memoryMiB: 16 } },
    });
    await page.getByLabel('Board file to import').setInputFiles({ name: 'full.board.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect.poll(() => page.locator('.react-flow__node-component').count(), { timeout: 20_000 }).toBe(256);
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'UART', exact: true }).click();
    await expect.poll(() => page.locator('.notice-error').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('at most 256 components')]),
    );
    expect(await page.locator('.react-flow__node-component').count()).toBe(256);
    const saved = await page.evaluate(() => localStorage.getItem('isolation-lab:board'));
    expect(JSON.parse(saved!).components).toHaveLength(256);
    await page.context().close();
  });
});
