// The first view made when the page is built: on the screen before the page's code has run, drawn
// where the page then draws its own, and only where the page's first view is the same.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, screenshot } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function contextOf(width: number, height: number): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height }, serviceWorkers: 'block' });
}

/** A page whose own code is still on its way: what is on the screen is the copy alone. */
async function withoutCode(context: BrowserContext, hash = ''): Promise<Page> {
  const page = await context.newPage();
  await page.route(/\/assets\/start-[^/]*\.js$/, () => new Promise<void>(() => {}));
  await page.goto(inject('baseUrl') + hash);
  await page.waitForLoadState('load');
  return page;
}

/** Each zone title's box on the screen, within `scope`. */
function titleBoxes(page: Page, scope: string): Promise<{ text: string; x: number; y: number; w: number; h: number }[]> {
  return page.locator(`${scope} .react-flow__node .zone-title`).evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
}

/** The consoles on the screen, within `scope`: each one's box and the first line it shows. */
function shownConsoles(page: Page, scope: string): Promise<{ name: string; x: number; y: number; w: number; h: number; line: string }[]> {
  return page.locator(`${scope} .console`).evaluateAll((els) =>
    els
      .filter((e) => e.checkVisibility({ visibilityProperty: true }))
      .map((e) => {
        const r = e.getBoundingClientRect();
        const line = e.querySelector('.console-loading, .xterm-rows > div')?.textContent ?? '';
        return { name: e.querySelector('.console-title')?.textContent ?? '', x: r.x, y: r.y, w: r.width, h: r.height, line: line.replace(/\u00a0/g, ' ').trim() };
      }),
  );
}

describe('first view', () => {
  for (const [width, height, layout] of [
    [1440, 960, 'compact'],
    [1920, 1080, 'wide'],
  ] as const) {
    it(`at ${width}×${height}, is on the screen before the page's code runs, where the page then draws its own diagram`, async () => {
      const bare = await contextOf(width, height);
      const page = await withoutCode(bare);
      const copy = page.locator('#prerender');
      await copy.waitFor({ state: 'visible' });
      // A copy that takes no input and that screen readers skip: the page's controls are not there yet.
      expect(await copy.getAttribute('aria-hidden')).toBe('true');
      expect(await copy.evaluate((e) => (e as HTMLElement).inert)).toBe(true);
      expect(await page.getByRole('button', { name: 'Power on' }).count()).toBe(0);
      expect(await copy.locator('.app').getAttribute('data-layout')).toBe(layout);
      expect(await copy.locator('.console-tabs').isVisible()).toBe(layout === 'compact');
      const drawn = await titleBoxes(page, '#prerender');
      expect(drawn.map((b) => b.text)).toEqual(['System VM', 'Paravirtualized', 'Application VM', 'Real-time container', 'Unassigned']);
      // Fitted to this window: the diagram fills its pane, and the titles are readable.
      for (const b of drawn) expect(b.h).toBeGreaterThanOrEqual(11);
      const unassigned = drawn.at(-1)!;
      const pane = (await copy.locator('.react-flow').boundingBox())!;
      expect(unassigned.x + unassigned.w).toBeGreaterThan(pane.x + pane.width * 0.8);
      const placeholders = await shownConsoles(page, '#prerender');
      expect(placeholders.map((c) => c.name)).toEqual(layout === 'compact' ? ['Application VM'] : ['System VM', 'Application VM', 'Real-time container']);
      await screenshot(page, `first-view-copy-${width}`);
      await bare.close();

      const context = await contextOf(width, height);
      const app = await context.newPage();
      const errors: string[] = [];
      app.on('pageerror', (e) => errors.push(e.message));
      await app.goto(inject('baseUrl'));
      // The page removes the copy once its own diagram is drawn; nothing jumps then.
      await app.locator('#prerender').waitFor({ state: 'detached' });
      await app.getByRole('button', { name: 'Power on' }).waitFor();
      const own = await titleBoxes(app, '#root');
      expect(own.map((b) => b.text)).toEqual(drawn.map((b) => b.text));
      for (const [i, b] of own.entries()) {
        expect(Math.abs(b.x - drawn[i]!.x)).toBeLessThan(1);
        expect(Math.abs(b.y - drawn[i]!.y)).toBeLessThan(1);
        expect(Math.abs(b.w - drawn[i]!.w)).toBeLessThan(1);
      }
      // Its consoles, once loaded, are where the copy drew them, saying what the copy said.
      await app.waitForFunction(() => {
        const rows = Array.from(document.querySelectorAll('#root .console .xterm-rows'));
        return rows.length === 3 && rows.every((r) => r.textContent?.includes('powered off'));
      });
      const consoles = await shownConsoles(app, '#root');
      expect(consoles.map((c) => c.name)).toEqual(placeholders.map((c) => c.name));
      for (const [i, c] of consoles.entries()) {
        expect(c.line).toBe(placeholders[i]!.line);
        expect(c.line).toBe(`${c.name} — powered off. Press Power on to boot.`);
        for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(c[k] - placeholders[i]![k])).toBeLessThan(1);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  for (const [width, height] of [
    [1280, 720],
    [1024, 768],
  ] as const) {
    it(`at ${width}×${height}, draws its diagram in the first frame and the panels' contents in the next, with nothing moving`, async () => {
      const context = await contextOf(width, height);
      // At every frame, before the copy's own callbacks: what the previous frame left to draw.
      await context.addInitScript(() => {
        const w = window as unknown as { frames: { view: string | null; diagram: boolean; palette: boolean }[] };
        w.frames = [];
        const tick = () => {
          const title = document.querySelector('#prerender .zone-title');
          const item = document.querySelector('#prerender .palette-item');
          w.frames.push({
            view: document.documentElement.getAttribute('data-first-view'),
            diagram: title !== null && title.getBoundingClientRect().width > 0,
            palette: item !== null && item.checkVisibility({ visibilityProperty: true }),
          });
          if (w.frames.length < 30) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const page = await withoutCode(context);
      await page.waitForFunction(() => (window as unknown as { frames: unknown[] }).frames.length >= 30);
      const frames = await page.evaluate(() => (window as unknown as { frames: { view: string | null; diagram: boolean; palette: boolean }[] }).frames);
      const first = frames.findIndex((f) => f.diagram);
      expect(first).toBeGreaterThanOrEqual(0);
      // The frame that draws the diagram does not lay out the panels' contents; the one after does
      // (a record shows what the frame before it left to draw).
      expect(frames[first]).toEqual({ view: 'diagram', diagram: true, palette: false });
      const whole = frames.findIndex((f) => f.view === '');
      expect(whole - first).toBeGreaterThanOrEqual(1);
      expect(whole - first).toBeLessThanOrEqual(3);
      expect(frames.slice(first, whole).every((f) => f.diagram && !f.palette)).toBe(true);
      expect(frames[whole]).toEqual({ view: '', diagram: true, palette: true });

      // What each frame draws, each where the other has it: the panels' frames, the diagram and its
      // zones; the toolbar's and the simulation bar's contents keep their places while hidden.
      const boxes = (view: string) =>
        page.evaluate((v) => {
          document.documentElement.setAttribute('data-first-view', v);
          const box = (s: string) => {
            const r = document.querySelector(`#prerender ${s}`)!.getBoundingClientRect();
            return [s, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)].join(' ');
          };
          const hidden = (s: string) => Array.from(document.querySelectorAll(`#prerender ${s}`)).every((e) => !e.checkVisibility({ visibilityProperty: true }));
          return {
            boxes: ['.toolbar', '.toolbar .power', '.palette', '.react-flow', '.simbar', '.simbar .clock', '.deck', '.consoles'].map(box),
            zones: Array.from(document.querySelectorAll('#prerender .zone-title')).map((e) => JSON.stringify(e.getBoundingClientRect())),
            transform: (document.querySelector('#prerender .react-flow__viewport') as HTMLElement).style.transform,
            hidden: ['.toolbar > *', '.palette > *', '.simbar > *', '.consoles > *', '.react-flow__background'].filter(hidden),
          };
        }, view);
      const diagramFirst = await boxes('diagram');
      const then = await boxes('');
      expect(diagramFirst.hidden).toEqual(['.toolbar > *', '.palette > *', '.simbar > *', '.consoles > *', '.react-flow__background']);
      expect(then.hidden).toEqual([]);
      expect(diagramFirst.boxes).toEqual(then.boxes);
      expect(diagramFirst.zones).toEqual(then.zones);
      expect(diagramFirst.zones).toHaveLength(5);
      expect(diagramFirst.transform).toBe(then.transform);
      await context.close();
    });
  }

  it('is not shown where the first view differs: a saved board, a link, a phone', async () => {
    const saved = await contextOf(1440, 960);
    await saved.addInitScript(() => localStorage.setItem('isolation-lab:board', '{"not": "read: the page code is blocked"}'));
    const cases: [string, BrowserContext, string][] = [
      ['a saved board', saved, ''],
      ['a link', await contextOf(1440, 960), '#lesson=1'],
      ['a phone', await contextOf(390, 844), ''],
    ];
    for (const [what, context, hash] of cases) {
      const page = await withoutCode(context, hash);
      // Never drawn (the head's script hides it before the body is parsed), and gone once parsed.
      expect(await page.locator('#prerender').count(), what).toBe(0);
      expect(await page.evaluate(() => document.documentElement.hasAttribute('data-first-view')), what).toBe(false);
      await context.close();
    }
  });

  it("where the page's code cannot be loaded, the copy goes and the page says so", async () => {
    const context = await contextOf(1440, 960);
    const page = await context.newPage();
    await page.route(/\/assets\/start-[^/]*\.js$/, (route) => route.abort());
    await page.goto(inject('baseUrl'));
    await page.locator('#prerender').waitFor({ state: 'detached' });
    expect(await page.locator('#root').innerText()).toMatch(/^The page's code could not be loaded \(.+\)\. Check the connection and reload the page\.$/);
    await context.close();
  });
});
