// A layout for every screen: a laptop (1280×720), a large screen (1920×1080), a phone (390×844).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { consoleText, labelsCovering, launch, loadExample, screenshot, waitForPrompt } from './browser.ts';
import { COMPACT_MAX_PX } from '../../src/ui/layout.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function open(width: number, height: number, touch = false): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, hasTouch: touch, isMobile: touch });
  const page = await context.newPage();
  await page.goto(inject('baseUrl'));
  await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
  // The first view made at build time is over the page until the page's own diagram is drawn.
  await page.locator('#prerender').waitFor({ state: 'detached' });
  return page;
}

/** The smallest text on the diagram as drawn: font size × the view's zoom. */
async function smallestDiagramLabelPx(page: Page): Promise<number> {
  await page.waitForTimeout(600); // the diagram fits itself to its panel after a resize
  return page.evaluate(() => {
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const zoom = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a;
    const labels = Array.from(document.querySelectorAll<HTMLElement>('.chip-id, .chip-kind, .zone-title, .zone-hint, .ram'));
    return Math.min(...labels.map((el) => parseFloat(getComputedStyle(el).fontSize) * zoom));
  });
}

/** Diagram text (zone titles and captions, block names) that the zoom buttons cover: the text's own box, not its element's. */
function underControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const c = document.querySelector('#root .react-flow__controls')!.getBoundingClientRect();
    const texts = document.querySelectorAll('#root .zone-title, #root .zone-hint, #root .zone-empty span, #root .chip-id, #root .chip-kind');
    return Array.from(texts).filter((e) => {
      const range = document.createRange();
      range.selectNodeContents(e);
      return Array.from(range.getClientRects()).some((r) => r.width > 0 && r.left < c.right && r.right > c.left && r.top < c.bottom && r.bottom > c.top);
    }).map((e) => e.textContent ?? '');
  });
}

const visibleColumns = (page: Page) =>
  page.locator('.console:not(.folded) .console-term').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent).map((e) => Number((e as HTMLElement).dataset.cols)));

/** Is the timeline's Download events button whole, inside the timeline and the window? */
async function downloadShown(page: Page): Promise<boolean> {
  const timeline = page.getByRole('region', { name: 'Event timeline' });
  const [t, b] = [await timeline.boundingBox(), await timeline.getByRole('button', { name: 'Download events' }).boundingBox()];
  const vp = page.viewportSize()!;
  return !!t && !!b && b.x >= t.x && b.x + b.width <= Math.min(t.x + t.width, vp.width) + 0.5 && b.y >= t.y && b.y + b.height <= t.y + t.height;
}

async function inViewport(page: Page, name: string | RegExp, role: 'button' | 'combobox' = 'button'): Promise<boolean> {
  const box = await page.getByRole(role, { name }).first().boundingBox();
  const vp = page.viewportSize()!;
  return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height;
}

describe('1280×720', () => {
  it('diagram labels ≥ 11 px at the default zoom; the console shown is ≥ 60 columns', async () => {
    const page = await open(1280, 720);
    expect(await page.locator('#root .zone-empty').innerText()).toMatch(/^Drag hardware from the palette/);
    expect(await underControls(page)).toEqual([]);
    await loadExample(page, /Smart oven/);
    expect(await underControls(page)).toEqual([]);
    // The refresh settings in the narrow sidebar: each setting within its frame, a part's schedule in the words it was chosen by.
    const refresh = page.locator('#root fieldset.refresh');
    await refresh.getByRole('button', { name: 'Add schedule' }).click();
    expect(await refresh.evaluate((f) => {
      const right = f.getBoundingClientRect().right;
      return Array.from(f.querySelectorAll('select, button, input'), (e) => e.getBoundingClientRect().right - right).filter((d) => d > 0.5);
    })).toEqual([]);
    expect(await refresh.innerText()).toContain('kernel\nat random, 1–10 minutes apart');
    await page.getByRole('button', { name: 'Undo' }).click();
    const label = await smallestDiagramLabelPx(page);
    await screenshot(page, 'layout-1280x720');
    expect(await downloadShown(page)).toBe(true);
    // The events' header is one row: every line it takes is an event fewer.
    const timeline = page.getByRole('region', { name: 'Event timeline' });
    const [heading, download] = [await timeline.getByRole('heading').boundingBox(), await timeline.getByRole('button', { name: 'Download events' }).boundingBox()];
    expect(Math.abs(heading!.y + heading!.height / 2 - (download!.y + download!.height / 2))).toBeLessThan(4);
    expect(label).toBeGreaterThanOrEqual(11);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    // With the consoles open the view fits the running domains: their labels stay ≥ 11 px.
    expect(await smallestDiagramLabelPx(page)).toBeGreaterThanOrEqual(11);
    expect(await page.locator('.react-flow__node[data-id="zone-system"]').isVisible()).toBe(true);
    const cols = await visibleColumns(page);
    expect(cols.length).toBeGreaterThan(0);
    for (const c of cols) expect(c).toBeGreaterThanOrEqual(60);
    // A message shows over the events column, not over the console being typed into.
    await page.getByRole('button', { name: 'Export' }).click();
    const message = (await page.getByRole('region', { name: 'Messages' }).locator('.notice').first().boundingBox())!;
    const console = (await page.getByRole('region', { name: 'Console: Application VM' }).boundingBox())!;
    expect(message.x).toBeGreaterThanOrEqual(console.x + console.width);
    // What an attack draws on the diagram is as readable: the trace's hop labels stay ≥ 11 px on screen
    // though the diagram is drawn smaller than 1:1 once the consoles take their room.
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'DMA escape' }).click();
    // Measured in the same step that finds them: the labels were found, then gone when a second step
    // measured them (a clean-clone run), as when a newer transaction takes the trace's place.
    let hops: { px: number; zoom: number }[] = [];
    await expect.poll(async () => (hops = await page.evaluate(() => {
      const zoom = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
      return Array.from(document.querySelectorAll<HTMLElement>('.trace-hop-label')).map((el) => {
        let scale = zoom;
        for (let e: HTMLElement | null = el; e && !e.classList.contains('react-flow__edgelabel-renderer'); e = e.parentElement) {
          const t = getComputedStyle(e).transform;
          if (t !== 'none') scale *= new DOMMatrixReadOnly(t).a;
        }
        return { px: parseFloat(getComputedStyle(el).fontSize) * scale, zoom };
      });
    })).length, { timeout: 15_000 }).toBeGreaterThan(1);
    expect(hops[0]!.zoom).toBeLessThan(1);
    for (const h of hops) expect(h.px).toBeGreaterThanOrEqual(11 - 1e-3); // 11 px scaled by 1 / zoom, drawn at zoom
    // So is the operation on the background traffic's flashes ("read", "write").
    // Found and measured in one step too: a flash lasts a moment, and a label gone from the page
    // between two steps has no computed font size (a clean-clone run measured NaN).
    let ops: number[] = [];
    await expect.poll(async () => (ops = await page.evaluate(() => {
      const zoom = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
      return Array.from(document.querySelectorAll<HTMLElement>('.flash-label.flash-flow'))
        .map((el) => parseFloat(getComputedStyle(el).fontSize) * zoom * new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
    })).length, { timeout: 15_000 }).toBeGreaterThan(0);
    for (const px of ops) expect(px).toBeGreaterThanOrEqual(11 - 1e-3);
    // Every label of the attack's trace, to the hop that decided, is on screen, and none covers a block or a zone's words.
    await expect.poll(() => page.locator('.trace-hop-label.hop-decided').count(), { timeout: 15_000 }).toBe(1);
    expect(await labelsCovering(page)).toEqual([]);
    await screenshot(page, 'layout-1280x720-trace');
    // One console at a time: Escape still leaves it, for the next control on screen (the hidden
    // consoles' text areas after it refuse the focus).
    await page.getByRole('region', { name: 'Console: Application VM' }).locator('.xterm-screen').click();
    await page.keyboard.press('Escape');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { inTerminal: !!el?.closest('.xterm'), visible: !!el?.checkVisibility({ visibilityProperty: true }), name: el?.getAttribute('aria-label') ?? el?.textContent };
    });
    expect(focused).toMatchObject({ inTerminal: false, visible: true });
    // The other consoles are one tab away.
    await page.getByRole('tab', { name: /System VM/ }).click();
    await waitForPrompt(page, 'System VM');
    expect(await page.getByRole('region', { name: 'Console: System VM' }).locator('.console-term').getAttribute('data-cols').then(Number)).toBeGreaterThanOrEqual(60);
    await screenshot(page, 'layout-1280x720-powered');
    // A board that cannot boot: the toolbar still fits, Power on and why it is refused on screen,
    // without the page moving down or the board's name squeezed out of sight.
    await page.getByRole('button', { name: 'Power off' }).click();
    const toolbarHeight = (await page.locator('#root .toolbar').boundingBox())!.height;
    await loadExample(page, /Broken/);
    await expect.poll(() => page.locator('#power-refusal').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await inViewport(page, 'Power on')).toBe(true);
    expect((await page.locator('#root .toolbar').boundingBox())!.height).toBe(toolbarHeight);
    const name = page.getByRole('textbox', { name: 'Board name' });
    expect((await name.boundingBox())!.width).toBeGreaterThanOrEqual(100);
    expect(await name.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth)).toBe(true); // "Broken oven" whole
    await screenshot(page, 'layout-1280x720-refused');
    await page.context().close();
  });
});

describe('1280×720, a board that cannot boot', () => {
  it('the board’s name keeps its width, at least 14em; why Power on is refused fits beside it; nothing leaves the toolbar', async () => {
    const page = await open(1280, 720);
    const toolbar = page.locator('#root .toolbar');
    const name = page.getByRole('textbox', { name: 'Board name' });
    await loadExample(page, /Smart oven/);
    const bootable = { name: (await name.boundingBox())!.width, toolbar: (await toolbar.boundingBox())!.height };
    await loadExample(page, /Broken/);
    await expect.poll(() => page.locator('#power-refusal').count()).toBe(1);
    const em = await name.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect((await name.boundingBox())!.width).toBeGreaterThanOrEqual(Math.min(bootable.name, 14 * em) - 0.5);
    expect((await toolbar.boundingBox())!.height).toBe(bootable.toolbar);
    // Every control and the note whole, inside the toolbar, on its one row; the note on at most two lines.
    const bar = (await toolbar.boundingBox())!;
    const parts = await toolbar.evaluate((el) => Array.from(el.querySelectorAll('h1, input:not([type=file]), select, button, .power-refusal'), (e) => {
      const r = e.getBoundingClientRect();
      return { name: e.getAttribute('aria-label') ?? e.textContent?.slice(0, 24), left: r.left, right: r.right, top: r.top, bottom: r.bottom, clipped: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1 };
    }));
    for (const p of parts) {
      expect(p, p.name!).toMatchObject({ clipped: false });
      expect(p.left, p.name!).toBeGreaterThanOrEqual(bar.x);
      expect(p.right, p.name!).toBeLessThanOrEqual(bar.x + bar.width);
      expect(p.top, p.name!).toBeGreaterThanOrEqual(bar.y);
      expect(p.bottom, p.name!).toBeLessThanOrEqual(bar.y + bar.height);
    }
    const note = page.locator('#power-refusal');
    expect(await note.innerText()).toMatch(/^Cannot boot: \d+ problems/);
    expect((await note.boundingBox())!.height).toBeLessThanOrEqual(2 * 12 + 2);
    await screenshot(page, 'layout-1280x720-refused-toolbar');
    await page.context().close();
  });
});

describe('1920×1080', () => {
  it('three consoles side by side, each ≥ 60 columns; labels ≥ 11 px', async () => {
    const page = await open(1920, 1080);
    expect(await underControls(page)).toEqual([]);
    await loadExample(page, /Edge gateway/);
    expect(await underControls(page)).toEqual([]);
    expect(await smallestDiagramLabelPx(page)).toBeGreaterThanOrEqual(11);
    expect(await downloadShown(page)).toBe(true);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    const cols = await visibleColumns(page);
    expect(cols).toHaveLength(3);
    for (const c of cols) expect(c).toBeGreaterThanOrEqual(60);
    await screenshot(page, 'layout-1920x1080');
    await page.context().close();
  });
});

describe('diagram text', () => {
  it('no block name, block subtitle or zone text is cut off on any example; a bus master shows its DMA protection', async () => {
    const page = await open(1280, 720);
    const cut = () => page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('#root .chip-id, #root .chip-kind, #root .zone-title, #root .zone-hint, #root .ram'))
      .filter((el) => el.scrollWidth > el.clientWidth + 1.5).map((el) => el.textContent)); // a pixel of rounding is not a cut
    for (const example of [/Smart oven/, /Industrial sensor/, /Edge gateway/, /Broken oven/]) {
      await loadExample(page, example);
      await expect.poll(() => page.locator('#root .react-flow__node-component').count()).toBeGreaterThan(3);
      expect(await cut(), String(example)).toEqual([]);
    }
    // The broken oven's DMA engine: its protection, in words, on the block (the part a participant looks for).
    expect(await page.locator('#root .react-flow__node[data-id="dma0"] .chip-kind').innerText()).toBe('unprotected');
    expect(await page.locator('#root .react-flow__node[data-id="dma0"] .chip').getAttribute('aria-label')).toMatch(/^dma0: DMA, unprotected, /);
    await page.context().close();
  });
});

describe('the narrowest screens of each console layout', () => {
  it('at 1440×960 the zoom buttons cover no diagram text', async () => {
    const page = await open(1440, 960);
    expect(await underControls(page)).toEqual([]);
    await loadExample(page, /Smart oven/);
    expect(await underControls(page)).toEqual([]);
    await page.context().close();
  });

  it('from COMPACT_MAX_PX + 1 up three consoles sit side by side, each ≥ 60 columns; just below, one at a time', async () => {
    for (const [width, shown] of [[COMPACT_MAX_PX + 1, 3], [COMPACT_MAX_PX, 1]] as const) {
      const page = await open(width, 1000);
      await loadExample(page, /Smart oven/);
      await page.getByRole('button', { name: 'Power on' }).click();
      await waitForPrompt(page, 'Application VM');
      await expect.poll(() => visibleColumns(page).then((c) => c.length)).toBe(shown);
      for (const c of await visibleColumns(page)) expect(c, `at ${width} px`).toBeGreaterThanOrEqual(60);
      await page.context().close();
    }
  });

  it('one console at a time: a console not shown parses and draws nothing; chosen, it shows all it was sent, up to its prompt', async () => {
    const page = await open(COMPACT_MAX_PX, 1000);
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    const system = page.locator('section[aria-label="Console: System VM"]'); // hidden: out of the accessibility tree
    expect(await system.evaluate((el) => getComputedStyle(el).visibility)).toBe('hidden');
    // The System VM booted too (its tab says so), yet its hidden terminal holds no text (textContent:
    // innerText leaves out hidden text, so it would be empty either way).
    await expect.poll(() => page.locator('#console-tab-system').textContent()).toMatch(/running/);
    expect(await system.locator('.xterm-rows').evaluate((rows) => (rows.textContent ?? '').replace(/\u00a0/g, ' ').trim())).toBe('');
    await page.locator('#console-tab-system').click();
    await waitForPrompt(page, 'System VM');
    expect(await consoleText(page, 'System VM')).toMatch(/firewall: rules loaded, enforcing[\s\S]*root@system-vm:~#$/);
    await page.context().close();
  });

  it('in presenter mode at 1920×1080 one console at a time, ≥ 60 columns in its larger text; three again when it is off', async () => {
    const page = await open(1920, 1080);
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await expect.poll(() => visibleColumns(page).then((c) => c.length)).toBe(3);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+P');
    await expect.poll(() => visibleColumns(page).then((c) => c.length)).toBe(1);
    await expect.poll(() => visibleColumns(page).then((c) => c[0])).toBeGreaterThanOrEqual(60);
    await screenshot(page, 'presenter-1920x1080');
    await page.keyboard.press('Shift+P');
    await expect.poll(() => visibleColumns(page).then((c) => c.length)).toBe(3);
    await page.context().close();
  });

  it('at 1024×768 (a projector) and 900 px the toolbar takes a second row: no control clipped or squeezed, nothing off to the side', async () => {
    for (const [width, height] of [[1024, 768], [900, 700]] as const) {
      const page = await open(width, height);
      await loadExample(page, /Broken/);
      await expect.poll(() => page.locator('#power-refusal').count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `at ${width} px`).toBeLessThanOrEqual(width);
      const toolbar = page.locator('#root .toolbar');
      const boxes = await toolbar.evaluate((bar) => Array.from(bar.querySelectorAll('button, select, .power-refusal'), (el) => {
        const r = el.getBoundingClientRect();
        return { name: el.getAttribute('aria-label') ?? el.textContent?.slice(0, 20), right: r.right, width: r.width, clipped: el.scrollWidth > el.clientWidth + 1 };
      }));
      for (const b of boxes) expect(b, `at ${width} px`).toMatchObject({ clipped: false });
      expect(Math.max(...boxes.map((b) => b.right)), `at ${width} px`).toBeLessThanOrEqual(width);
      // The Examples menu keeps its width (it used to be squeezed to "Examp…").
      expect((await page.getByLabel('Examples').boundingBox())!.width).toBeGreaterThanOrEqual(100);
      expect(await inViewport(page, 'Power on')).toBe(true);
      await screenshot(page, `layout-${width}-refused`);
      await page.context().close();
    }
  });
});

describe('390×844, touch', () => {
  it('powered on from the diagram, the Consoles view shows each console\'s newest lines, its prompt last, and the Events view the newest events', async () => {
    const page = await open(390, 844, true);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).tap();
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).tap();
    await page.waitForTimeout(4000); // the boot's output arrives while the consoles are out of view
    await page.getByRole('button', { name: 'Consoles', exact: true }).tap();
    // The last row drawn is the prompt: the view was left at the boot's first lines, the rest below it.
    const lastRow = () => page.locator('[aria-label="Console: Application VM"] .xterm-rows > div')
      .evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).filter(Boolean).at(-1));
    await expect.poll(lastRow).toMatch(/root@app-vm:~#$/);
    // The Events view opens on the newest events, which came while it was hidden.
    for (const attack of ['DMA escape', 'Malware', 'Crash']) {
      await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: attack }).tap();
      await page.waitForTimeout(1500);
    }
    await page.waitForTimeout(3000); // the crashed VM refreshed and booted: no event due now
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'Pause' }).tap();
    await page.getByRole('button', { name: 'Events', exact: true }).tap();
    const events = page.getByRole('list', { name: 'Events, newest last' });
    await expect.poll(() => events.evaluate((el) => el.scrollHeight > el.clientHeight && el.scrollHeight - el.scrollTop - el.clientHeight < 24)).toBe(true);
    // Lessons from there shows the list, which is in the Diagram view.
    await page.getByRole('button', { name: 'Lessons', exact: true }).tap();
    await expect.poll(() => page.getByRole('region', { name: 'Lessons and challenges' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Diagram', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await page.context().close();
  });

  it('the zones stand one above another at about 1:1: text ≥ 11 px, none cut or under a chip; a block placed further down is panned into view', async () => {
    const page = await open(390, 844, true);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).click();
    const box = (sel: string) => page.locator(sel).first().boundingBox().then((b) => b!);
    for (const example of [/Smart oven/, /Edge gateway/, /Broken oven/]) {
      await loadExample(page, example);
      expect(await smallestDiagramLabelPx(page), String(example)).toBeGreaterThanOrEqual(11);
      const [system, shared, app] = await Promise.all(['system', 'shared', 'app'].map((d) => box(`#root .react-flow__node[data-id="zone-${d}"]`)));
      expect(system.y + system.height).toBeLessThan(shared.y);
      expect(shared.y + shared.height).toBeLessThan(app.y);
      const problems = await page.evaluate(() => {
        const chips = Array.from(document.querySelectorAll('#root .react-flow__node-chip'), (c) => c.getBoundingClientRect());
        const texts = Array.from(document.querySelectorAll<HTMLElement>('#root .chip-id, #root .chip-kind, #root .zone-title, #root .zone-hint'));
        return texts.flatMap((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          const under = Array.from(range.getClientRects()).some((r) => chips.some((c) => r.left < c.right && r.right > c.left && r.top < c.bottom && r.bottom > c.top));
          return el.scrollWidth > el.clientWidth + 1.5 || under ? [el.textContent] : [];
        });
      });
      expect(problems, String(example)).toEqual([]);
    }
    await screenshot(page, 'layout-390-column');
    // Placed in the zone at the bottom of the column, out of view: the view follows the new block there.
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'I2C', exact: true }).tap();
    await page.getByRole('group', { name: 'Place I2C' }).getByRole('button', { name: 'Unassigned' }).tap();
    const added = page.locator('#root .react-flow__node.selected');
    await expect.poll(() => added.getAttribute('data-id')).toMatch(/^i2c\d+$/);
    await expect.poll(async () => {
      const [b, pane] = [await added.boundingBox(), await box('#root .react-flow')];
      return !!b && b.y >= pane.y && b.y + b.height <= pane.y + pane.height;
    }).toBe(true);
    // The fit button takes the view back to the top of the column, at the same zoom.
    const top = async () => Math.round((await box('#root .react-flow__node[data-id="zone-system"]')).y - (await box('#root .react-flow')).y);
    expect(await top()).toBeLessThan(0);
    await page.getByRole('button', { name: 'Fit View' }).tap();
    await expect.poll(top).toBeGreaterThanOrEqual(44);
    expect(await top()).toBeLessThan(80);
    expect(await smallestDiagramLabelPx(page)).toBeGreaterThanOrEqual(11);
    await page.context().close();
  });

  it('one finger on the diagram scrolls the page to the panels below it; two fingers move and zoom the diagram; a tap still selects', async () => {
    const page = await open(390, 844, true);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).click();
    await loadExample(page, /Smart oven/);
    await page.waitForTimeout(600); // the diagram fits itself to its panel
    const cdp = await page.context().newCDPSession(page);
    const touch = async (type: 'touchStart' | 'touchMove' | 'touchEnd', points: [number, number][]) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
    /** Fingers from `from` to `to` (one pair per finger), in small steps as a hand moves. */
    const gesture = async (from: [number, number][], to: [number, number][]) => {
      await touch('touchStart', from);
      for (let i = 1; i <= 12; i++) await touch('touchMove', from.map(([x, y], f) => [x + ((to[f]![0] - x) * i) / 12, y + ((to[f]![1] - y) * i) / 12]));
      await touch('touchEnd', []);
      await page.waitForTimeout(300);
    };
    const view = () => page.locator('#root .react-flow__viewport').evaluate((e) => getComputedStyle(e).transform);
    const scrolled = () => page.locator('.workbench').evaluate((e) => e.scrollTop);
    const pane = async () => (await page.locator('#root .react-flow').boundingBox())!;

    const before = await view();
    let p = await pane();
    // From a block, which fills much of the column: React Flow's own CSS let no touch on one scroll the page.
    const block = (await page.locator('#root .react-flow__node[data-id="wifi0"]').boundingBox())!;
    expect(block.y + block.height / 2).toBeGreaterThan(p.y + p.height / 2);
    expect(block.y + block.height / 2).toBeLessThan(p.y + p.height);
    const [bx, by] = [block.x + block.width / 2, block.y + block.height / 2];
    await gesture([[bx, by]], [[bx, by - p.height * 0.4]]);
    expect(await scrolled()).toBeGreaterThan(100);
    expect(await view()).toBe(before);
    await page.locator('.workbench').evaluate((e) => void (e.scrollTop = 0));
    await gesture([[p.x + p.width / 2, p.y + p.height * 0.8]], [[p.x + p.width / 2, p.y + p.height * 0.2]]);
    expect(await scrolled()).toBeGreaterThan(100);
    expect(await view()).toBe(before);
    expect(await page.getByRole('region', { name: 'Inspector' }).isVisible()).toBe(true);

    await page.locator('.workbench').evaluate((e) => void (e.scrollTop = 0));
    p = await pane();
    const zoom = () => page.locator('#root .react-flow__viewport').evaluate((e) => new DOMMatrixReadOnly(getComputedStyle(e).transform).a);
    const z0 = await zoom();
    const [cx, cy] = [p.x + p.width / 2, p.y + p.height / 2];
    await gesture([[cx - 40, cy], [cx + 40, cy]], [[cx - 90, cy], [cx + 90, cy]]);
    expect(await zoom()).toBeGreaterThan(z0 * 1.5);
    await screenshot(page, 'layout-390-pinched');

    await page.getByRole('button', { name: 'Fit View' }).tap();
    await page.waitForTimeout(400);
    // The zoom buttons sit in a row of their own under the drawing: the column never scrolls under them.
    const zoomBar = (await page.getByRole('toolbar', { name: 'Diagram zoom' }).boundingBox())!;
    p = await pane();
    expect(zoomBar.y).toBeGreaterThanOrEqual(p.y + p.height - 0.5);
    const fitted = await zoom();
    await page.getByRole('button', { name: 'Zoom In' }).tap();
    await expect.poll(zoom).toBeGreaterThan(fitted * 1.1);
    await page.getByRole('button', { name: 'Zoom Out' }).tap();
    await expect.poll(zoom).toBeLessThan(fitted * 1.05);
    await page.getByRole('button', { name: 'Fit View' }).tap();
    await page.waitForTimeout(400);
    const chip = page.locator('#root .react-flow__node[data-id="sec0"]');
    await chip.tap();
    await expect.poll(() => chip.getAttribute('class')).toContain('selected');
    await page.context().close();
  });

  it('every button a finger can reach is at least 24 × 24 px (WCAG 2.5.8), in each view; the first visit\'s offer has its margins', async () => {
    const page = await open(390, 844, true);
    const welcome = await page.getByRole('region', { name: 'Welcome' }).getByRole('heading').boundingBox();
    expect(welcome!.x).toBeGreaterThanOrEqual(8);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).tap();
    await loadExample(page, /Broken oven/); // a notice, diagnostics with their concept links
    const small = () => page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('#root button, #root select, #root [role="button"]'))
      .filter((e) => e.checkVisibility() && !e.closest('[aria-hidden="true"]'))
      .map((e) => [e.getAttribute('aria-label') ?? e.textContent?.trim() ?? '', e.getBoundingClientRect()] as const)
      .filter(([, r]) => r.width > 0 && (r.width < 23.5 || r.height < 23.5))
      .map(([name, r]) => `${name} ${Math.round(r.width)}×${Math.round(r.height)}`));
    expect(await small()).toEqual([]);
    await loadExample(page, /Smart oven/); // Broken oven cannot boot
    await page.getByRole('button', { name: 'Power on' }).tap();
    for (const view of ['Consoles', 'Events']) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view }).tap();
      await page.waitForTimeout(1500);
      expect(await small(), view).toEqual([]);
    }
    await page.context().close();
  });

  it('a console has the keys an on-screen keyboard lacks: Tab completes, Up recalls, Ctrl-C interrupts, and the terminal keeps the focus', async () => {
    const page = await open(390, 844, true);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).tap();
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).tap();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Consoles' }).tap();
    await waitForPrompt(page, 'Application VM');
    const region = page.getByRole('region', { name: 'Console: Application VM' });
    const keys = page.getByRole('toolbar', { name: 'Keys for Application VM' });
    const lastLine = async () => (await consoleText(page, 'Application VM')).split('\n').filter((l) => l.trim()).at(-1) ?? '';
    await region.locator('.xterm-screen').tap();
    await page.keyboard.type('unam');
    await keys.getByRole('button', { name: 'Tab (complete)' }).tap();
    await expect.poll(lastLine).toMatch(/# uname$/); // completed (the lines are read without their trailing spaces)
    await page.keyboard.press('Enter');
    await expect.poll(lastLine).toMatch(/#$/);
    await keys.getByRole('button', { name: 'Up (earlier command)' }).tap();
    await expect.poll(lastLine).toMatch(/# uname$/);
    await keys.getByRole('button', { name: 'Ctrl-C (interrupt)' }).tap();
    await expect.poll(async () => /# uname ?\^C\n.*#$/.test(await consoleText(page, 'Application VM'))).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea'))).toBe(true);
    await screenshot(page, 'layout-390-console-keys');
    await page.context().close();
  });

  it('Power on, Examples and Share link are on screen; tabs switch diagram, consoles and events; tap to place', async () => {
    const page = await open(390, 844, true);
    await screenshot(page, 'layout-390-start');
    expect(await inViewport(page, 'Power on')).toBe(true);
    expect(await inViewport(page, 'Share link')).toBe(true);
    expect(await inViewport(page, 'Examples', 'combobox')).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The first visit's offer is on screen, under the toolbar, not below the diagram.
    await expect.poll(() => inViewport(page, 'Start lesson 1')).toBe(true);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Welcome' }).count()).toBe(0);

    // The hints say to tap, not to drag.
    expect(await page.locator('#root .zone-empty').innerText()).toBe('Tap an item in the palette, then tap a zone.');
    const hints = page.getByRole('region', { name: 'Hardware palette' }).locator('.palette-hint');
    expect(await hints.evaluateAll((els) => els.filter((e) => e.checkVisibility()).map((e) => e.textContent))).toEqual(['Tap an item, then tap a zone. Two fingers move and zoom the diagram.']);
    // Tap a palette item, then a zone.
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'UART', exact: true }).tap();
    await screenshot(page, 'layout-390-placing');
    // The zones to tap are drawn over the drawing alone, never over the zoom row under it.
    const [zoomRow, overlay] = [await page.getByRole('toolbar', { name: 'Diagram zoom' }).boundingBox(), await page.locator('.place-overlay').boundingBox()];
    expect(overlay!.y + overlay!.height).toBeLessThanOrEqual(zoomRow!.y + 0.5);
    expect(await page.locator('.place-overlay').evaluate((e) => getComputedStyle(e).overflow)).toBe('hidden');
    // The banner names every zone in a button of its own, each whole on screen and apart from the
    // others, however small the diagram is drawn; a zone the chip cannot give a UART is offered, disabled.
    const banner = page.getByRole('group', { name: 'Place UART' });
    const boxes = await banner.getByRole('button').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent, x: r.x, y: r.y, w: r.width, h: r.height, clipped: e.scrollWidth > e.clientWidth };
    }));
    expect(boxes.map((b) => b.text)).toEqual(['System VM', 'Paravirtualized (never for UART)', 'Application VM', 'Real-time container', 'Unassigned', 'Cancel']);
    for (const [i, b] of boxes.entries()) {
      expect(b.clipped).toBe(false);
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(390);
      for (const o of boxes.slice(i + 1)) expect(b.x + b.w <= o.x || o.x + o.w <= b.x || b.y + b.h <= o.y || o.y + o.h <= b.y).toBe(true);
    }
    expect(await banner.getByRole('button', { name: /Paravirtualized/ }).isDisabled()).toBe(true);
    // Tapping the zone that cannot take it on the diagram says why, as a drop there does; nothing is placed.
    await page.locator('.place-target.refused').tap();
    await expect.poll(() => page.getByRole('region', { name: 'Messages' }).innerText()).toContain('cannot connect the UART block to the paravirtualized set');
    expect(await banner.isVisible()).toBe(true);
    expect(await page.locator('.react-flow__node[data-id="uart0"]').count()).toBe(0);
    await banner.getByRole('button', { name: 'Application VM' }).tap();
    await expect.poll(() => page.locator('.react-flow__node[data-id="uart0"] .chip').getAttribute('class')).toContain('chip-app');
    // Or tap the zone itself on the diagram.
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'SPI', exact: true }).tap();
    await page.locator('.place-target[title="Place SPI in Real-time container"]').tap();
    await expect.poll(() => page.locator('.react-flow__node[data-id="spi0"] .chip').getAttribute('class')).toContain('chip-rt');
    await screenshot(page, 'layout-390-diagram');

    await page.getByRole('button', { name: 'Power on' }).tap();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Consoles' }).tap();
    await waitForPrompt(page, 'Application VM');
    expect(await page.getByRole('region', { name: 'Console: Application VM' }).isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'Hardware palette' }).isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'layout-390-consoles');

    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Events' }).tap();
    await expect.poll(() => page.getByRole('region', { name: 'Event timeline' }).locator('.event').count()).toBeGreaterThan(0);
    expect(await page.getByRole('region', { name: 'Console: Application VM' }).isVisible()).toBe(false);
    expect(await downloadShown(page)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'layout-390-events');
    // A block named in an event is shown on the diagram, which is a view of its own here.
    await page.getByRole('region', { name: 'Event timeline' }).locator('.event-links').getByRole('button', { name: 'uart0' }).first().tap();
    await expect.poll(() => page.locator('.react-flow__node[data-id="uart0"]').isVisible()).toBe(true);
    expect(await page.locator('.react-flow__node[data-id="uart0"]').getAttribute('class')).toContain('selected');
    await page.context().close();
  });
});
