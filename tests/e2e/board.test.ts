// The participant's work is safe: diagnostics, files, share links, autosave, undo — in a real browser.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromiumPath, inspectorOf, launch, loadExample, openApp, screenshot } from './browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const chips = (page: Page) => page.locator('.react-flow__node-component').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')).sort());
const diagnosticsItems = (page: Page) => page.getByRole('region', { name: 'Diagnostics' }).locator('li');

function boardFile(name: string, components: unknown[] = [{ id: 'uart0', kind: 'uart', domain: 'app' }]) {
  return JSON.stringify({
    format: 'isolation-lab/board',
    version: 1,
    name,
    soc: 'iot-a7m4',
    components,
    vms: { system: { memoryMiB: 16 }, app: { memoryMiB: 24 } },
  });
}

/** Clicks Share link and returns the copied URL. */
async function shareLink(page: Page): Promise<string> {
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.getByRole('button', { name: 'Share link' }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('#board=');
  return page.evaluate(() => navigator.clipboard.readText());
}

async function importText(page: Page, text: string, name = 'upload.board.json') {
  await page.getByLabel('Board file to import').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

describe('diagnostics', () => {
  it('lists the broken example’s problems, badges the components, and a click finds the component', async () => {
    const { page, errors } = await openApp(browser);
    await loadExample(page, /Broken/);
    const items = diagnosticsItems(page);
    await expect.poll(() => items.count()).toBeGreaterThan(4);
    const text = await page.getByRole('region', { name: 'Diagnostics' }).innerText();
    for (const rule of ['dma-unprotected', 'security-processor-domain', 'memory-budget', 'unassigned-component'])
      expect(text).toContain(rule);
    expect(await page.locator('.react-flow__node[data-id="dma0"] .badge-error').count()).toBe(1);
    // Both blocks on the SDIO pads carry the badge, and what it says to a screen reader names the other.
    for (const [id, other] of [['sd0', 'wifi0'], ['wifi0', 'sd0']]) {
      const block = page.locator(`.react-flow__node[data-id="${id}"]`);
      expect(await block.locator('.badge-error').count(), id).toBe(1);
      expect(await block.ariaSnapshot()).toContain(`pin-conflict with ${other}`);
    }
    // wifi0 has two problems: the count is set apart from the mark ("!2" read as "12"), one problem has none.
    expect(await page.locator('.react-flow__node[data-id="wifi0"] .badge-count').innerText()).toBe('2');
    expect(await page.locator('.react-flow__node[data-id="dma0"] .badge-count').count()).toBe(0);
    // Each diagnostic's button is named in words, its parts apart.
    const named = await page.getByRole('region', { name: 'Diagnostics' }).getByRole('button', { name: /^error pin-conflict cannot boot · wifi0 wifi0 \(Wi-Fi\)/ }).count();
    expect(named).toBe(1);
    await items.filter({ hasText: 'dma-unprotected' }).locator('button.diag').click();
    expect(await (await inspectorOf(page, 'dma0')).locator('h2').innerText()).toContain('dma0');
    await screenshot(page, 'diagnostics-broken-board');
    // Fix it from the inspector: the error goes away.
    await page.getByLabel('DMA protection').selectOption('firewall-id');
    await expect.poll(async () => (await page.getByRole('region', { name: 'Diagnostics' }).innerText()).includes('dma-unprotected')).toBe(false);
    expect(errors).toEqual([]);
  });
});

describe('moving a block on the diagram', () => {
  it('dropped just outside every zone, it becomes unassigned, not part of the zone it left', async () => {
    const { page, errors } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    const node = page.locator('.react-flow__node[data-id="sec0"]');
    await node.waitFor();
    const from = (await node.boundingBox())!;
    const app = (await page.locator('.react-flow__node-zone').filter({ hasText: 'Application VM' }).first().boundingBox())!;
    // Held by its middle, let go with that middle 40 px right of the application VM's frame, in a few large moves.
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(app.x + app.width + 40, app.y + app.height / 2, { steps: 15 });
    await page.mouse.up();
    await expect.poll(() => node.locator('.chip').getAttribute('aria-label')).toMatch(/, Unassigned$/);
    expect(errors).toEqual([]);
  });
});

describe('a zone the chip cannot wire a block to', () => {
  it('refuses the block, dragged from the palette or moved there, as the inspector does, and says why', async () => {
    const { page, errors } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    const shared = page.locator('.react-flow__node-zone').filter({ hasText: 'Paravirtualized' }).first();
    const box = (await shared.boundingBox())!;
    const refusals = () => page.locator('.notice-error').allInnerTexts();
    // From the palette: nothing is added.
    const before = await page.locator('.react-flow__node-component').count();
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'UART', exact: true })
      .dragTo(shared, { targetPosition: { x: box.width / 2, y: box.height * 0.6 }, force: true });
    await expect.poll(refusals).toEqual(expect.arrayContaining([expect.stringContaining('cannot connect the UART block to the paravirtualized set')]));
    expect(await page.locator('.react-flow__node-component').count()).toBe(before);
    // A block moved there goes back where it was, still in its domain.
    const node = page.locator('.react-flow__node[data-id="adc0"]');
    const from = (await node.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.6, { steps: 15 });
    await page.mouse.up();
    await expect.poll(refusals).toEqual(expect.arrayContaining([expect.stringContaining('adc0 stays where it was')]));
    expect(await node.locator('.chip').getAttribute('aria-label')).toMatch(/, Real-time container$/);
    await expect.poll(async () => {
      const now = (await node.boundingBox())!;
      return Math.abs(now.x - from.x) + Math.abs(now.y - from.y);
    }).toBeLessThan(1);
    expect(errors).toEqual([]);
  });
});

describe('board files', () => {
  it('exports the board and imports it back unchanged', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = await (await download).path();
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported.name).toBe('Smart oven');
    // Said, with the file's name and size, as the share link is.
    await expect.poll(() => page.getByRole('region', { name: 'Messages' }).innerText())
      .toContain(`Exported “Smart oven” as smart-oven.board.json (${readFileSync(file, 'utf8').length.toLocaleString('en')} characters)`);
    expect(exported.components).toHaveLength(10);

    await page.getByLabel('Examples').selectOption('new');
    await expect.poll(() => chips(page)).toEqual([]);
    await importText(page, readFileSync(file, 'utf8'), 'smart-oven.board.json');
    await expect.poll(() => chips(page)).toEqual(exported.components.map((c: { id: string }) => c.id).sort());
    expect(await page.getByLabel('Board name').inputValue()).toBe('Smart oven');
  });

  it('refuses a bad file whole, says where the problem is, and leaves the board untouched', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Edge gateway/);
    await expect.poll(async () => (await chips(page)).length).toBe(10);
    const before = await chips(page);
    await importText(page, boardFile('Bad', [{ id: 'uart0', kind: 'toaster', domain: 'app' }]));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/\$\.components\[0\]\.kind/);
    expect(await alert.innerText()).toContain('unchanged');
    await expect.poll(() => chips(page)).toEqual(before);
    expect(await page.getByLabel('Board name').inputValue()).toBe('Edge gateway');
  });

  it('shows a hostile board name as text and runs nothing, imported and shared', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const { page } = await openApp(browser);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await importText(page, boardFile(evil));
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe(evil);
    expect(await page.getByRole('region', { name: 'Messages' }).getByRole('status').innerText()).toContain(evil);
    const link = await shareLink(page);

    const { page: other } = await openApp(browser, link.slice(link.indexOf('#')));
    other.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await expect.poll(() => other.getByLabel('Board name').inputValue()).toBe(evil);
    await other.waitForTimeout(300);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await other.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});

describe('share link', () => {
  it('opens the same board in a fresh browser', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Industrial sensor/);
    const url = await shareLink(page);
    const { page: other } = await openApp(browser, url.slice(url.indexOf('#')));
    await expect.poll(() => other.getByLabel('Board name').inputValue()).toBe('Industrial sensor');
    await expect.poll(() => chips(other)).toEqual(await chips(page));
    expect(await other.getByLabel('SoC').inputValue()).toBe('mcu-16');
    // The opened board is the browser's board from now on: it survives a reload.
    expect(other.url()).not.toContain('#board=');
    await other.reload();
    await expect.poll(() => other.getByLabel('Board name').inputValue()).toBe('Industrial sensor');
  });
});

describe('opening a share link over unsaved work', () => {
  it('asks first; declining keeps the current board, accepting loads the link', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Edge gateway/);
    const url = await shareLink(page);
    const link = url.slice(url.indexOf('#'));

    await loadExample(page, /Smart oven/);
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'UART', exact: true }).click(); // unsaved edit
    const answers = [false, true];
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(d.message());
      void (answers.shift() ? d.accept() : d.dismiss());
    });
    await page.evaluate((h) => (location.hash = h), link);
    await expect.poll(() => asked.length).toBe(1);
    expect(await page.getByLabel('Board name').inputValue()).toBe('Smart oven');
    expect(page.url()).not.toContain('#board='); // consumed: a reload will not replace the board
    await page.evaluate((h) => (location.hash = h), link);
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('Edge gateway');
    expect(asked).toHaveLength(2);
    // Nothing is lost: undo brings the edited board back.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('Smart oven');
    expect(await chips(page)).toContain('uart0');
  });
});

describe('undo and redo', () => {
  it('every edit can be undone and redone, from the keyboard and the buttons', async () => {
    const { page } = await openApp(browser);
    const palette = page.getByRole('region', { name: 'Hardware palette' });
    await palette.getByRole('button', { name: 'UART', exact: true }).click();
    await palette.getByRole('button', { name: 'GPIO', exact: true }).click();
    await (await inspectorOf(page, 'gpio0')).getByLabel('Domain').selectOption('app');
    await expect.poll(() => chips(page)).toEqual(['gpio0', 'uart0']);

    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z'); // undo the assignment
    await page.keyboard.press('Control+z'); // undo adding GPIO
    await expect.poll(() => chips(page)).toEqual(['uart0']);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => chips(page)).toEqual(['gpio0', 'uart0']);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => chips(page)).toEqual(['uart0']);
    await page.getByRole('button', { name: 'Redo' }).click();
    await page.getByRole('button', { name: 'Redo' }).click();
    await page.locator('.react-flow__node[data-id="gpio0"]').click();
    expect(await (await inspectorOf(page, 'gpio0')).getByLabel('Domain').inputValue()).toBe('app');

    // A name typed past the limit stops at 80 characters and is taken, rather than refused whole.
    const name = page.getByLabel('Board name');
    await name.fill('');
    await name.pressSequentially('w'.repeat(90));
    await name.press('Enter');
    await expect.poll(() => name.inputValue()).toBe('w'.repeat(80));
    await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('isolation-lab:board') ?? '{}').name)).toBe('w'.repeat(80));
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => name.inputValue()).not.toBe('w'.repeat(80));
  });
});

describe('the inspector follows the selection', () => {
  it('shows an added block, ready to assign from the keyboard, and the list of blocks again after undoing the add', async () => {
    const { page, errors } = await openApp(browser);
    const palette = page.getByRole('region', { name: 'Hardware palette' });
    const list = page.getByRole('region', { name: 'Inspector' }).getByRole('list', { name: 'Placed components' });
    await palette.getByRole('button', { name: 'UART', exact: true }).click();
    // The added UART's form takes the focus once it is built: only then is the focus ours to move.
    await expect.poll(async () => (await inspectorOf(page, 'uart0')).getByLabel('Domain').evaluate((el) => el === document.activeElement)).toBe(true);
    await palette.getByRole('button', { name: 'GPIO', exact: true }).focus();
    await page.keyboard.press('Enter');
    const domain = (await inspectorOf(page, 'gpio0')).getByLabel('Domain');
    await expect.poll(() => domain.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await list.isVisible()).toBe(false); // the form replaces the list while a block is selected
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } }); // shortcuts leave form fields alone
    await expect.poll(() => list.isVisible()).toBe(true);
    await page.locator('.react-flow__node[data-id="gpio0"]').click();
    await expect.poll(() => list.isVisible()).toBe(false);
    await page.locator('.react-flow__node[data-id="gpio0"]').evaluate((el) => (el as HTMLElement).blur());
    await page.keyboard.press('Control+z'); // undo adding GPIO: nothing is selected any more
    await expect.poll(() => chips(page)).toEqual(['uart0']);
    await expect.poll(() => list.isVisible()).toBe(true);
    expect(await list.getByRole('button').allInnerTexts()).toEqual([expect.stringContaining('uart0')]);
    expect(errors).toEqual([]);
  });

  it('from the keyboard: Ctrl+Z works in the Domain select, and Done leaves the focus in the inspector', async () => {
    const { page, errors } = await openApp(browser);
    const palette = page.getByRole('region', { name: 'Hardware palette' });
    await palette.getByRole('button', { name: 'UART', exact: true }).click();
    // The added UART's form takes the focus once it is built: only then is the focus ours to move.
    await expect.poll(async () => (await inspectorOf(page, 'uart0')).getByLabel('Domain').evaluate((el) => el === document.activeElement)).toBe(true);
    await palette.getByRole('button', { name: 'GPIO', exact: true }).focus();
    await page.keyboard.press('Enter');
    const domain = (await inspectorOf(page, 'gpio0')).getByLabel('Domain');
    await expect.poll(() => domain.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+z'); // a select has no text of its own to undo: the board's last edit goes
    await expect.poll(() => chips(page)).toEqual(['uart0']);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => chips(page)).toEqual(['gpio0', 'uart0']);

    await page.locator('.react-flow__node[data-id="gpio0"]').click();
    const done = (await inspectorOf(page, 'gpio0')).getByRole('button', { name: 'Done' });
    await done.focus();
    // Enter, then Tab at once, in one step: before the next frame, the Tab still reaches the list of
    // placed components (not a control of the closing form, gone a frame later, nor the top of the page).
    await page.evaluate(() => new Promise<void>((ok) => requestAnimationFrame(() => ok())));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.evaluate(() => new Promise<void>((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok()))));
    const focused = await page.evaluate(() => ({
      inInspector: !!document.activeElement?.closest('[aria-label="Inspector"]'),
      inList: !!document.activeElement?.closest('[aria-label="Placed components"]'),
    }));
    expect(focused).toEqual({ inInspector: true, inList: true });
    expect(errors).toEqual([]);
  });
});

describe('autosave', () => {
  it('the board survives a reload and a browser restart exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isolation-lab-profile-'));
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
    const open = () => chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), headless: true, args, viewport: { width: 1920, height: 1080 } });

    let context = await open();
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(inject('baseUrl'));
    await loadExample(page, /Smart oven/);
    await page.getByLabel('Board name').fill('My oven ✓');
    await page.getByLabel('Board name').press('Enter');
    // Autosave writes just after the frame that shows the edit.
    await expect.poll(() => page.evaluate(() => localStorage.getItem('isolation-lab:board'))).toContain('My oven ✓');
    const saved = await page.evaluate(() => localStorage.getItem('isolation-lab:board'));

    await page.reload();
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('My oven ✓');
    expect(await page.evaluate(() => localStorage.getItem('isolation-lab:board'))).toBe(saved);
    await context.close();

    context = await open();
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(inject('baseUrl'));
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('My oven ✓');
    expect(await page.evaluate(() => localStorage.getItem('isolation-lab:board'))).toBe(saved);
    await expect.poll(async () => (await chips(page)).length).toBe(10);
    await context.close();
  });
});

describe('autosave after the frame', () => {
  /** Adds a UART from the palette and, in the same task, does `then`; the saved components' ids before and after it. */
  const addThen = (page: Page, then: 'nothing' | 'pagehide' | 'hide') => page.evaluate((how) => {
    const uart = Array.from(document.querySelectorAll<HTMLButtonElement>('.palette-item')).find((b) => b.textContent?.includes('UART'))!;
    uart.click();
    const before = localStorage.getItem('isolation-lab:board');
    if (how === 'pagehide') window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    if (how === 'hide') {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }
    const ids = (text: string | null) => (JSON.parse(text ?? '{"components":[]}') as { components: { id: string }[] }).components.map((c) => c.id);
    return { before: ids(before), after: ids(localStorage.getItem('isolation-lab:board')) };
  }, then);
  const saved = (page: Page) => page.evaluate(() => localStorage.getItem('isolation-lab:board') ?? '');

  it('an edit is written once its frame is shown, and at once when the page is left or hidden', async () => {
    const { page } = await openApp(browser);
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
    // Not in the edit's own task: the frame that shows it comes first...
    const first = await addThen(page, 'nothing');
    expect(first.after).not.toContain('uart0');
    // ...and right after it, the board is saved without anything else happening.
    await expect.poll(() => saved(page)).toContain('"uart0"');
    // Leaving the page (reload, close, navigation) writes what is not saved yet.
    const left = await addThen(page, 'pagehide');
    expect(left.before).not.toContain('uart1');
    expect(left.after).toContain('uart1');
    // So does switching to another tab; a hidden tab then saves each edit without waiting for a frame.
    const hidden = await addThen(page, 'hide');
    expect(hidden.before).not.toContain('uart2');
    expect(hidden.after).toContain('uart2');
    await page.evaluate(() => Array.from(document.querySelectorAll<HTMLButtonElement>('.palette-item')).find((b) => b.textContent?.includes('UART'))!.click());
    await expect.poll(() => saved(page)).toContain('"uart3"');
    await page.context().close();
  });

  it('a board taken from another tab is not written back over a newer save of that tab', async () => {
    const { page } = await openApp(browser);
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
    const result = await page.evaluate(async () => {
      const key = 'isolation-lab:board';
      const file = (name: string) => JSON.stringify({
        format: 'isolation-lab/board', version: 1, name, soc: 'iot-a7m4', components: [],
        vms: { system: { memoryMiB: 8 }, app: { memoryMiB: 16 } },
      });
      const [first, newer] = [file('First from the other tab'), file('Newer from the other tab')];
      // The other tab saves `first`; right after this tab has taken it (it reads the dirty flag just
      // before), and before this tab's next frame, the other tab saves `newer`.
      const read = Storage.prototype.getItem;
      let taken = false;
      Storage.prototype.getItem = function (this: Storage, k: string) {
        if (k === `${key}:dirty`) {
          Storage.prototype.getItem = read;
          taken = true;
          queueMicrotask(() => localStorage.setItem(key, newer));
        }
        return read.call(this, k);
      };
      localStorage.setItem(key, first);
      window.dispatchEvent(new StorageEvent('storage', { key, oldValue: null, newValue: first, storageArea: localStorage }));
      // Taking it reads the board parser first (loaded on demand): on a busy machine that is not quick.
      while (!taken) await new Promise((r) => setTimeout(r, 20));
      // This tab's save runs after the next frame is painted: a few frames later it has long run.
      for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
      await new Promise((r) => setTimeout(r, 200));
      return JSON.parse(localStorage.getItem(key)!).name as string;
    });
    expect(result).toBe('Newer from the other tab');
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('First from the other tab'); // it did take the first
    await page.context().close();
  });
});
