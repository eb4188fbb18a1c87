// A new user's first hour: the keyboard does not act before they choose, "find" shows the fix,
// and another board starts with clean consoles and timeline.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consoleText, inspectorOf, launch, loadExample, openApp, screenshot, waitForPrompt } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const boardName = (page: Page) => page.getByLabel('Board name').inputValue();
const undoEnabled = (page: Page) => page.getByRole('button', { name: 'Undo' }).isEnabled();
const inspector = (page: Page) => page.getByRole('region', { name: 'Inspector' });

describe('keyboard on the selects', () => {
  it('ArrowDown on the Examples select loads nothing; Enter opens the example chosen', async () => {
    const { page, errors } = await openApp(browser);
    const before = await boardName(page);
    const examples = page.getByLabel('Examples');
    await examples.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(300);
    expect(await boardName(page)).toBe(before);
    expect(await undoEnabled(page)).toBe(false);
    const chosen = await examples.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]!.textContent);
    expect(chosen).not.toMatch(/Examples…/);
    await page.keyboard.press('Enter');
    await expect.poll(() => boardName(page)).toBe(chosen);
    // Escape drops a draft; leaving the field loads nothing either.
    await examples.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.waitForTimeout(300);
    expect(await boardName(page)).toBe(chosen);
    expect(errors).toEqual([]);
  });

  it('arrow keys in the Domain select change nothing until Enter, which adds one undo step', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: /^UART/ }).first().click();
    const chipClass = () => page.locator('.react-flow__node[data-id="uart0"] .chip').getAttribute('class');
    await expect.poll(chipClass).toContain('chip-none');
    const domain = inspector(page).getByLabel('Domain');
    await domain.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.waitForTimeout(300);
    const draft = await domain.inputValue();
    expect(draft).not.toBe('');
    expect(await chipClass()).toContain('chip-none'); // the board is unchanged
    await page.keyboard.press('Enter');
    await expect.poll(chipClass).toContain(`chip-${draft}`);
    // Two steps in all: the add and the one assignment.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(chipClass).toContain('chip-none');
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await undoEnabled(page)).toBe(false);
    expect(errors).toEqual([]);
  });

  it('a domain marked not allowed is disabled in the Domain select', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Broken/);
    const ids = await page.locator('.react-flow__node-component').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')!));
    let seen = 0;
    for (const id of ids) {
      await page.locator(`.react-flow__node[data-id="${id}"]`).click();
      const options = (await inspectorOf(page, id)).getByLabel('Domain').locator('option');
      const states = await options.evaluateAll((os: HTMLOptionElement[]) => os.map((o) => ({ refused: /\((never for|not on) [^)]+\)$/.test(o.textContent ?? ''), disabled: o.disabled, selected: o.selected })));
      for (const s of states) {
        if (s.refused) seen++;
        if (s.refused && !s.selected) expect(s.disabled).toBe(true);
        if (!s.refused) expect(s.disabled).toBe(false);
      }
      if (seen) break;
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('a refused domain says why: the kind never goes there, or this SoC is wired otherwise', async () => {
    const { page } = await openApp(browser);
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'DMA', exact: true }).focus();
    await page.keyboard.press('Enter');
    const domain = (await inspectorOf(page, 'dma0')).getByLabel('Domain');
    expect(await domain.locator('option').allInnerTexts()).toContain('Paravirtualized (never for DMA)');
  });
});

describe('find the block', () => {
  it('a diagnostic brings the inspector control that fixes it into view', async () => {
    const { page } = await openApp(browser);
    await page.setViewportSize({ width: 1280, height: 720 });
    await loadExample(page, /Broken/);
    const sidebar = page.locator('.sidebar');
    await sidebar.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const item = page.getByRole('region', { name: 'Diagnostics' }).locator('li').filter({ hasText: 'dma-unprotected' }).locator('button.diag');
    await item.click();
    const control = page.getByLabel('DMA protection');
    await expect.poll(async () => {
      const [c, s] = [await control.boundingBox(), await sidebar.boundingBox()];
      return !!c && !!s && c.y >= s.y && c.y + c.height <= s.y + s.height;
    }).toBe(true);
    await screenshot(page, 'find-the-block-1280');
  });
});

describe('another board, another session', () => {
  it('a key typed into a console of a board powered off is answered: nothing reads it, press Power on', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await page.getByRole('region', { name: 'Console: Application VM' }).locator('.xterm-screen').click();
    await page.keyboard.type('help');
    await page.keyboard.press('Enter');
    await expect.poll(() => consoleText(page, 'Application VM')).toContain('Powered off: nothing reads what you type. Press Power on.');
    const text = await consoleText(page, 'Application VM');
    expect(text.split('nothing reads').length).toBe(2); // said once, not once a key
    expect(text).not.toContain('help');
  });

  it('loading an example clears the consoles and the timeline of the previous board', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    const timeline = page.getByRole('region', { name: 'Event timeline' });
    await expect.poll(() => timeline.locator('.event').count()).toBeGreaterThan(0);
    expect(await consoleText(page, 'Application VM')).toMatch(/[#$>]/);

    await loadExample(page, /Broken/);
    // And says so: the run stopped without anyone pressing Power off.
    expect(await page.getByRole('region', { name: 'Messages' }).innerText()).toMatch(/Loaded example “Broken oven[^”]*”; the board that was running is powered off and its consoles and events are cleared\. Undo/);
    await expect.poll(() => timeline.locator('.event').count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Power on' }).count()).toBe(1);
    await expect.poll(() => consoleText(page, 'Application VM')).toContain('powered off');
    const text = await consoleText(page, 'Application VM');
    expect(text).not.toMatch(/[#$] *$/m);
    expect(await page.getByLabel('Simulated time').innerText()).toMatch(/00:00\.000/);
  });
});

describe('the timeline after a new session', () => {
  it('a type filter left with no event of its type still shows, and can be cleared', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'DMA escape' }).click();
    const timeline = page.getByRole('region', { name: 'Event timeline' });
    const filter = timeline.getByLabel('Filter by type');
    await expect.poll(() => filter.locator('option', { hasText: 'dma.blocked' }).count()).toBe(1);
    await filter.selectOption('dma.blocked');
    await expect.poll(() => timeline.locator('.event').count()).toBeGreaterThan(0);

    // A new session: its events have no dma.blocked, and the list still filters by it, as the select says.
    await page.getByRole('button', { name: 'Power off' }).click();
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await expect.poll(() => timeline.innerText()).toContain('No event matches the filter.');
    expect(await filter.inputValue()).toBe('dma.blocked');
    await filter.selectOption('');
    await expect.poll(() => timeline.locator('.event').count()).toBeGreaterThan(0);
  });
});

describe('board settings after the board changed', () => {
  it('a part picked for its own refresh schedule, whose driver then went, is neither shown nor added', async () => {
    const { page } = await openApp(browser);
    const settings = page.getByRole('region', { name: 'Board settings' });
    const part = settings.getByLabel('Part', { exact: true });
    await loadExample(page, /Broken/);
    await expect.poll(() => part.locator('option').count()).toBeGreaterThan(1);
    const broken = await part.locator('option').allTextContents();
    await loadExample(page, /Smart oven/);
    await expect.poll(() => part.locator('option').allTextContents()).not.toEqual(broken);
    const driver = (await part.locator('option').allTextContents()).find((t) => t.startsWith('driver:') && !broken.includes(t))!;
    expect(driver).toBeDefined();
    await part.selectOption(driver);
    // Another board, without that driver.
    await loadExample(page, /Broken/);
    await expect.poll(() => part.locator('option', { hasText: driver }).count()).toBe(0);
    expect(await part.inputValue()).toBe('kernel');
    await settings.getByRole('button', { name: 'Add schedule' }).click();
    await expect.poll(() => settings.getByRole('group', { name: 'Parts refreshed on their own' }).locator('li code').allTextContents()).toEqual(['kernel']);
  });
});

describe('Power on at once', () => {
  it('a console whose code arrives after Power on does not say it is powered off', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
    const page = await context.newPage();
    let release!: () => void;
    const held = new Promise<void>((ok) => (release = ok));
    await page.route(/\/assets\/Console-[^/]*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(inject('baseUrl'));
    await page.getByRole('button', { name: 'Power on' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Power off' }).count()).toBe(1);
    release();
    await waitForPrompt(page, 'Application VM');
    const text = await consoleText(page, 'Application VM');
    expect(text).toContain('Booting Linux');
    expect(text).not.toContain('powered off');
    await context.close();
  });
});
