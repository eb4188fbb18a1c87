// A newcomer's workshop: lesson 1 from the welcome to the finish card, kept
// across a reload; a challenge opened from a link, the visitor's own board
// kept and restorable.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { consoleText, inspectorOf, launch, loadExample, openApp, screenshot } from './browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function dragInto(page: Page, kind: string, zone: string, fx: number, fy: number) {
  const target = page.getByRole('region', { name: zone, exact: true });
  const box = (await target.boundingBox())!;
  await page
    .getByRole('region', { name: 'Hardware palette' })
    .getByRole('button', { name: kind, exact: true })
    .dragTo(target, { targetPosition: { x: box.width * fx, y: box.height * fy }, force: true });
}

const lessonText = (page: Page) => page.getByRole('region', { name: 'Lesson', exact: true }).innerText();

describe('lesson 1 as a newcomer', () => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ page, errors } = await openApp(browser));
  });

  it('the first visit offers lesson 1, and it opens at step 1', async () => {
    const welcome = page.getByRole('region', { name: 'Welcome' });
    await welcome.waitFor();
    await welcome.getByRole('button', { name: 'Start lesson 1' }).click();
    await expect.poll(() => lessonText(page)).toContain('Step 1 of 4');
    expect(await lessonText(page)).toContain('Security processor');
    expect(await welcome.count()).toBe(0);
  });

  it('a hint is revealed on demand, one at a time', async () => {
    const lesson = page.getByRole('region', { name: 'Lesson', exact: true });
    expect(await lesson.getByRole('list', { name: 'Hints' }).count()).toBe(0);
    await lesson.getByRole('button', { name: 'Hint' }).click();
    await expect.poll(() => lesson.getByRole('list', { name: 'Hints' }).locator('li').count()).toBe(1);
    expect(await lesson.getByRole('list', { name: 'Hints' }).innerText()).toContain('Hardware palette');
    await screenshot(page, 'lesson-1-hint');
  });

  it('dragging the blocks where the steps say moves the lesson on, step by step', async () => {
    await dragInto(page, 'Security processor', 'System VM', 0.3, 0.4);
    await expect.poll(() => lessonText(page)).toContain('Step 2 of 4');
    await dragInto(page, 'UART', 'Application VM', 0.2, 0.25);
    await expect.poll(() => lessonText(page)).toContain('Step 3 of 4');
    await dragInto(page, 'Wi-Fi', 'Paravirtualized', 0.5, 0.4);
    await expect.poll(() => lessonText(page)).toContain('Step 4 of 4');
    expect(await lessonText(page)).toMatch(/Not yet: the (System|Application) VM has not booted yet/);
  });

  it('powering on finishes the lesson with a card saying what was learned', async () => {
    await page.getByRole('button', { name: 'Power on' }).click();
    await expect.poll(() => lessonText(page), { timeout: 20_000 }).toContain('Lesson complete');
    const text = await lessonText(page);
    expect(text).toContain('Every hardware block belongs to exactly one domain');
    expect(await page.getByRole('region', { name: 'Lesson', exact: true }).getByRole('button', { name: 'Partition' }).count()).toBe(1);
    await screenshot(page, 'lesson-1-finished');
  });

  it('a concept card opens from the finish card', async () => {
    await page.getByRole('region', { name: 'Lesson', exact: true }).getByRole('button', { name: 'Paravirtualization' }).click();
    const card = page.getByRole('region', { name: 'Concept: Paravirtualization' });
    await card.waitFor();
    expect(await card.innerText()).toContain('virtio');
    await card.getByRole('button', { name: 'Close the card' }).click();
  });

  it('after a reload the progress is still there', async () => {
    await page.reload();
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
    await expect.poll(() => lessonText(page)).toContain('Lesson complete');
    expect(await page.getByRole('region', { name: 'Welcome' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    const list = page.getByRole('region', { name: 'Lessons and challenges' });
    expect(await list.getByRole('button', { name: /Partition a board/ }).innerText()).toContain('✓ done');
    await screenshot(page, 'lesson-list');
    expect(errors).toEqual([]);
  });
});

describe('undo and a lesson', () => {
  it('an undo past the lesson\'s start closes the lesson and says how to come back', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).click();
    await loadExample(page, /Edge gateway/);
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await page.getByRole('button', { name: /Close a DMA escape/ }).click();
    await expect.poll(() => lessonText(page)).toContain('Step 1 of');
    // An edit inside the lesson is undone as usual: the lesson stays.
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'GPIO', exact: true }).press('Enter');
    await page.keyboard.press('Control+z');
    expect(await page.getByRole('region', { name: 'Lesson', exact: true }).count()).toBe(1);
    // One more undo takes the board back to the Edge gateway: out of the lesson.
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('Edge gateway');
    await expect.poll(() => page.getByRole('region', { name: 'Lesson', exact: true }).count()).toBe(0);
    expect(await page.locator('.notice').allInnerTexts()).toEqual(expect.arrayContaining([
      expect.stringContaining('Undo took the board back to before the lesson “\u20682. Close a DMA escape, two ways\u2069”, so the lesson is closed.')]));
    expect(errors).toEqual([]);
  });
});

describe('Show me on a challenge', () => {
  // A challenge's first step removes a block (sd0): "Show me" names it, with nothing selected.
  it('plays every step of the broken oven to the end', async () => {
    const { page, errors } = await openApp(browser, '#lesson=broken-oven');
    const lesson = page.getByRole('region', { name: 'Lesson', exact: true });
    for (let step = 1; step <= 4; step++) {
      await expect.poll(() => lessonText(page), { timeout: 30_000 }).toContain(`Step ${step} of 4`);
      await lesson.getByRole('button', { name: 'Show me' }).click();
    }
    await expect.poll(() => lessonText(page), { timeout: 30_000 }).toContain('Challenge complete');
    // Solved by Show me, it is done but no score of the participant's.
    expect(await lessonText(page)).toMatch(/Solved with Show me: no score recorded \(par \d+\)/);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('isolation-lab:lessons') ?? '{}')['broken-oven']);
    expect(stored).toEqual({ steps: 4, done: true });
    expect(errors).toEqual([]);
  });
});

describe('a challenge from a workshop link', () => {
  it('opens with its board, hides the diagnostics, and keeps the visitor\'s own board restorable', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).click();
    const select = page.getByLabel('Examples');
    await select.selectOption((await select.locator('option').filter({ hasText: /Edge gateway/ }).getAttribute('value'))!);
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('Edge gateway');

    await page.goto(`${inject('baseUrl')}#lesson=broken-oven`);
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
    await expect.poll(() => lessonText(page)).toContain('Challenge: the broken oven');
    expect(await page.getByLabel('Board name').inputValue()).toBe('Broken oven');
    // The visitor's board gave way without being asked: the page says where it is.
    await expect.poll(() => page.getByRole('region', { name: 'Messages' }).innerText())
      .toMatch(/starts from a board of its own\. Yours, “\u2068?Edge gateway\u2069?”, is kept: Restore my board \(in Lessons\) or Undo brings it back\./);
    expect(await page.getByRole('region', { name: 'Diagnostics' }).isVisible()).toBe(false);
    expect(await page.locator('.react-flow__node .badge').first().isVisible()).toBe(false);
    expect(page.url()).not.toContain('#lesson=');
    // Nothing else gives the problems away: the lesson says how many, Power on says to find them.
    await expect.poll(() => lessonText(page)).toMatch(/Not yet: \d+ errors left\n/);
    expect(await lessonText(page)).not.toMatch(/dma-unprotected|Firewall identity/);
    const power = page.getByRole('button', { name: 'Power on' });
    expect(await power.getAttribute('title')).toMatch(/^Cannot boot: \d+ problems — find them, or press Show diagnostics in the lesson$/);
    expect(await page.locator('#power-refusal').innerText()).not.toContain('Diagnostics');
    // Nor does the Inspector of a block that has one: no finding, no "never for" beside a domain.
    await page.locator('.react-flow__node[data-id="dma0"]').click();
    const inspector = await inspectorOf(page, 'dma0');
    expect(await inspector.innerText()).not.toMatch(/unprotected DMA|Firewall identity"/);
    expect(await inspector.locator('.inspector-problems').count()).toBe(0);
    expect((await inspector.getByLabel('Domain').locator('option').allInnerTexts()).join(' ')).not.toContain('never for');
    await screenshot(page, 'challenge-from-link');

    const lesson = page.getByRole('region', { name: 'Lesson', exact: true });
    await lesson.getByRole('button', { name: 'Show diagnostics' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Diagnostics' }).isVisible()).toBe(true);
    // Shown, the diagnostics are everywhere again.
    await expect.poll(() => lessonText(page)).toMatch(/errors left — \S+: /);
    expect(await (await inspectorOf(page, 'dma0')).locator('.inspector-problems').innerText()).toMatch(/unprotected DMA/);
    expect(await power.getAttribute('title')).not.toContain('Show diagnostics');
    // Every diagnostic rule links to its concept card.
    await page.getByRole('region', { name: 'Diagnostics' }).getByRole('button', { name: 'About dma-unprotected: Bus master (DMA)' }).click();
    const card = page.getByRole('region', { name: 'Concept: Bus master (DMA)' });
    expect(await card.innerText()).toContain('VM escape');
    await expect.poll(() => card.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const s = el.closest('.sidebar')!.getBoundingClientRect();
      return r.top >= s.top - 1 && r.top < s.bottom;
    })).toBe(true);
    await screenshot(page, 'challenge-diagnostics-card');

    // A change to the challenge's board, then another lesson: the board kept is still the visitor's own.
    await lesson.getByRole('button', { name: 'Show me' }).click();
    await expect.poll(() => lessonText(page), { timeout: 20_000 }).toContain('Step 2 of 4');
    await page.goto(`${inject('baseUrl')}#lesson=memory-budget`);
    await expect.poll(() => lessonText(page)).toContain('Step 1 of 2');
    await lesson.getByRole('button', { name: 'Restore my board' }).click();
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('Edge gateway');
    expect(await page.locator('.react-flow__node[data-id="npu0"]').count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Lesson', exact: true }).count()).toBe(0);
    // Survives a reload too, and nothing else is left to restore.
    await page.reload();
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
    expect(await page.getByLabel('Board name').inputValue()).toBe('Edge gateway');
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    expect(await page.getByRole('region', { name: 'Lessons and challenges' }).getByRole('button', { name: 'Restore my board' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('Show me stays "Showing…" until the step it played is met, so a second press cannot restart it', async () => {
    const { page, errors } = await openApp(browser, '#lesson=open-sensor');
    const lesson = page.getByRole('region', { name: 'Lesson', exact: true });
    const steps = Number(/Step 1 of (\d+)/.exec(await lessonText(page))?.[1]);
    expect(steps).toBeGreaterThanOrEqual(3);
    for (let step = 1; step <= steps; step++) {
      await expect.poll(() => lessonText(page), { timeout: 40_000 }).toContain(`Step ${step} of ${steps}`);
      // In the page: the lesson's text each time the button becomes pressable again.
      await page.evaluate(() => {
        const w = window as unknown as { reenabled: string[] };
        w.reenabled = [];
        const region = document.querySelector('[aria-label="Lesson"]')!;
        let was = false;
        new MutationObserver(() => {
          const b = Array.from(region.querySelectorAll('button')).find((x) => /Show me|Showing/.test(x.textContent ?? ''));
          const disabled = !!b?.disabled;
          if (was && !disabled) w.reenabled.push((region as HTMLElement).innerText);
          was = disabled;
        }).observe(region, { subtree: true, attributes: true, childList: true, characterData: true });
      });
      await lesson.getByRole('button', { name: 'Show me' }).click();
      // Pressable again only once this step is behind: the goal (a refresh the security monitor's
      // next measurement brings, in the malware step) was met first.
      await expect.poll(() => page.evaluate(() => (window as unknown as { reenabled: string[] }).reenabled.length), { timeout: 45_000 }).toBeGreaterThan(0);
      const text = await page.evaluate(() => (window as unknown as { reenabled: string[] }).reenabled[0]!);
      if (step < steps) expect(text).not.toContain(`Step ${step} of ${steps}`);
    }
    await expect.poll(() => lessonText(page), { timeout: 30_000 }).toMatch(/complete/);
    expect(errors).toEqual([]);
  });

  it('Show me moves a block the student put in the wrong zone rather than add one the chip cannot have', async () => {
    const { page } = await openApp(browser, '#lesson=partition');
    await expect.poll(() => lessonText(page)).toContain('Step 1 of');
    await dragInto(page, 'Security processor', 'Application VM', 0.2, 0.25);
    await expect.poll(() => page.locator('.react-flow__node[data-id="sec0"] .chip').getAttribute('class')).toContain('chip-app');
    const lesson = page.getByRole('region', { name: 'Lesson', exact: true });
    await lesson.getByRole('button', { name: 'Show me' }).click();
    await expect.poll(() => lessonText(page)).toContain('Step 2 of');
    expect(await page.locator('.react-flow__node[data-id="sec0"] .chip').getAttribute('class')).toContain('chip-system');
    expect(await page.locator('.react-flow__node[data-id="sec1"]').count()).toBe(0);
  });

  it('Lessons says whether its list is open, and the keyboard goes to the list when it opens', async () => {
    const { page } = await openApp(browser);
    const button = page.getByRole('button', { name: 'Lessons', exact: true });
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('section')?.getAttribute('aria-label'))).toBe('Lessons and challenges');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('section')?.getAttribute('aria-label'))).toBe('Lessons and challenges');
  });

  it('at 1280×720 the palette item a step asks for is in the palette\'s view', async () => {
    const { page } = await openApp(browser, '#lesson=partition');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('button', { name: 'Close lesson' }).click();
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await page.getByRole('region', { name: 'Lessons and challenges' }).getByRole('button', { name: /Partition a board/ }).click();
    await expect.poll(() => lessonText(page)).toContain('Step 1 of');
    const shown = () => page.evaluate(() => {
      const [item, palette] = [document.querySelector('#root .palette-item[data-kind="security-processor"]')!, document.querySelector('#root .palette')!];
      const [r, box] = [item.getBoundingClientRect(), palette.getBoundingClientRect()];
      return r.top >= box.top && r.bottom <= box.bottom;
    });
    await expect.poll(shown).toBe(true);
  });

  it('Show me plays a step on the board and Reset lab returns to the start', async () => {
    const { page } = await openApp(browser, '#lesson=memory-budget');
    await expect.poll(() => lessonText(page)).toContain('Step 1 of 2');
    const lesson = page.getByRole('region', { name: 'Lesson', exact: true });
    await lesson.getByRole('button', { name: 'Show me' }).click();
    await expect.poll(() => lessonText(page)).toContain('Step 2 of 2');
    await lesson.getByRole('button', { name: 'Show me' }).click();
    await expect.poll(() => lessonText(page), { timeout: 20_000 }).toContain('Lesson complete');
    await lesson.getByRole('button', { name: 'Reset lab' }).click();
    await expect.poll(() => lessonText(page)).toContain('Step 1 of 2');
    await expect.poll(() => page.getByRole('button', { name: 'Power on' }).count()).toBe(1);
    // The consoles are cleared once: each says it is powered off, once.
    await page.waitForTimeout(300);
    const offLines = (await consoleText(page, 'Application VM')).split('\n').filter((l) => l.includes('powered off'));
    expect(offLines).toEqual(['Application VM — powered off. Press Power on to boot.']);
    expect(await page.getByRole('region', { name: 'Diagnostics' }).innerText()).toContain('memory-budget');
  });
});

describe('opening a lesson over a board of one\'s own', () => {
  it('credits no progress for what that board already has', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).click();
    // A board of the visitor's that meets lesson 1's first three goals.
    const own = {
      format: 'isolation-lab/board', version: 1, name: 'Mine', soc: 'iot-a7m4',
      components: [{ id: 'sec0', kind: 'security-processor', domain: 'system' }, { id: 'uart0', kind: 'uart', domain: 'app' }, { id: 'wifi0', kind: 'wifi', domain: 'shared' }],
      vms: { system: { memoryMiB: 16 }, app: { memoryMiB: 24 } },
    };
    await page.getByLabel('Board file to import').setInputFiles({ name: 'mine.board.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(own)) });
    await expect.poll(() => page.getByLabel('Board name').inputValue()).toBe('Mine');
    await page.goto(`${inject('baseUrl')}#lesson=partition`);
    await expect.poll(() => lessonText(page)).toContain('Step 1 of 4');
    await page.waitForTimeout(500);
    const progress = () => page.evaluate(() => JSON.parse(localStorage.getItem('isolation-lab:lessons') ?? '{}').partition?.steps ?? 0);
    expect(await progress()).toBe(0);
    expect(await lessonText(page)).toContain('Step 1 of 4');
    expect(errors).toEqual([]);
  });
});

describe('the lesson list, opened with the sidebar scrolled down', () => {
  it('comes into view', async () => {
    const { page } = await openApp(browser);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).click();
    const sidebar = page.locator('.sidebar');
    await sidebar.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    expect(await sidebar.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    const list = page.getByRole('region', { name: 'Lessons and challenges' });
    const topInView = () => list.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const s = el.closest('.sidebar')!.getBoundingClientRect();
      return r.top >= s.top - 1 && r.top < s.bottom - 40;
    });
    await expect.poll(topInView).toBe(true);
  });
});

describe('presenter mode', () => {
  it('one keystroke makes diagram labels and console text larger, and again back', async () => {
    const { page, errors } = await openApp(browser, '#lesson=dma-escape');
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect.poll(() => lessonText(page)).toContain('Step 1 of 3');
    // The command to type is code on a line of its own, not words in the prose.
    const command = page.getByRole('region', { name: 'Lesson', exact: true }).locator('.lesson-step code');
    expect(await command.allInnerTexts()).toEqual(['attack dma-escape']);
    expect(await command.evaluate((c) => getComputedStyle(c).display)).toBe('block');
    expect(await lessonText(page)).not.toContain('`');
    const chipId = page.locator('.react-flow__node[data-id="dma0"] .chip-id');
    const rows = page.getByRole('region', { name: 'Console: Application VM' }).locator('.xterm-rows');
    const px = (l: typeof chipId) => l.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const why = page.getByRole('region', { name: 'Lesson', exact: true }).locator('.lesson-why');
    const before = { chip: await px(chipId), console: await px(rows), kind: await px(page.locator('.react-flow__node[data-id="dma0"] .chip-kind')), why: await px(why) };
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+P');
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('presenter'))).toBe(true);
    await expect.poll(() => px(rows)).toBeGreaterThan(before.console);
    expect(await px(chipId)).toBeGreaterThan(before.chip);
    // The step's "Not yet" too: the room reads what is left to do.
    expect(await px(why)).toBeGreaterThanOrEqual(14);
    // Nothing grows smaller, or into its neighbour: each zone title ends before its header's chips,
    // and the larger consoles leave the events panel on screen.
    const kind = page.locator('.react-flow__node[data-id="dma0"] .chip-kind');
    expect(await px(kind)).toBeGreaterThanOrEqual(before.kind);
    const clash = await page.evaluate(() => Array.from(document.querySelectorAll('#root .zone-title')).flatMap((t) => {
      const range = document.createRange();
      range.selectNodeContents(t);
      const r = range.getBoundingClientRect();
      return Array.from(document.querySelectorAll('#root .react-flow__node-chip')).filter((c) => {
        const b = c.getBoundingClientRect();
        return r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
      }).map((c) => `${t.textContent} / ${c.textContent}`);
    }));
    expect(clash).toEqual([]);
    const types = (await page.getByRole('region', { name: 'Event timeline' }).getByRole('combobox').last().boundingBox())!;
    expect(types.x + types.width).toBeLessThanOrEqual(1280);
    await screenshot(page, 'presenter-1280x720');
    await page.keyboard.press('Shift+P');
    await expect.poll(() => px(rows)).toBe(before.console);
    expect(await px(chipId)).toBe(before.chip);
    expect(errors).toEqual([]);
  });
});

describe('lesson builder', () => {
  it('at 1280×720 every goal\'s controls fit the panel', async () => {
    const { page } = await openApp(browser);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).click();
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await page.getByRole('button', { name: 'Lesson builder' }).click();
    const builder = page.getByRole('region', { name: 'Lesson builder' });
    for (const goal of ['event', 'no-escape', 'boots', 'no-errors', 'component']) {
      await builder.getByLabel('Goal').selectOption(goal);
      const outside = await builder.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return Array.from(el.querySelectorAll('select, input, textarea, button'))
          .filter((c) => c.getBoundingClientRect().right > box.right + 0.5)
          .map((c) => c.getAttribute('aria-label') ?? c.textContent);
      });
      expect(outside, goal).toEqual([]);
    }
    await page.context().close();
  });


  it('records a solution from the page, checks it, and its link opens the lesson for someone else', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'No thanks' }).click();
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await page.getByRole('button', { name: 'Lesson builder' }).click();
    const builder = page.getByRole('region', { name: 'Lesson builder' });
    await builder.getByLabel('Title').fill('Stop the escape');
    await builder.getByLabel('What to do').fill('Place a DMA engine in the application VM and contain it.');
    await builder.getByLabel('Goal').selectOption('no-escape');
    await builder.getByRole('button', { name: 'Start recording' }).click();

    await dragInto(page, 'DMA', 'Application VM', 0.2, 0.25);
    await (await inspectorOf(page, 'dma0')).getByLabel('DMA protection').selectOption('firewall-id');
    await page.getByRole('button', { name: 'Power on' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Console: Application VM' }).locator('.state').innerText(), { timeout: 20_000 }).toBe('running');
    await builder.getByLabel('Command').fill('attack dma-escape');
    await builder.getByRole('button', { name: 'Type' }).click();
    await builder.getByRole('button', { name: 'Stop recording' }).click();
    expect(await builder.getByRole('list', { name: 'Recorded solution' }).innerText()).toBe(
      "add a dma to app\nset dma0's DMA protection to firewall-id\npower on\napp: attack dma-escape");

    await builder.getByRole('button', { name: 'Check the solution' }).click();
    expect(await builder.getByRole('status').innerText()).toContain('meets the goal');
    await screenshot(page, 'lesson-builder');

    await page.evaluate(() => navigator.clipboard.writeText(''));
    await builder.getByRole('button', { name: 'Copy lesson link' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('#lesson-file=');
    const link = await page.evaluate(() => navigator.clipboard.readText());

    const other = await openApp(browser, link.slice(link.indexOf('#')));
    await expect.poll(() => lessonText(other.page)).toContain('Stop the escape');
    expect(await other.page.locator('.react-flow__node[data-id="dma0"]').count()).toBe(0);
    // Its own lesson panel passes it on whole: no other page knows it by its id.
    await other.page.evaluate(() => navigator.clipboard.writeText(''));
    await other.page.getByRole('region', { name: 'Lesson', exact: true }).getByRole('button', { name: 'Copy lesson link' }).click();
    await expect.poll(() => other.page.evaluate(() => navigator.clipboard.readText())).toContain('#lesson-file=');
    await other.page.getByRole('region', { name: 'Lesson', exact: true }).getByRole('button', { name: 'Show me' }).click();
    await expect.poll(() => lessonText(other.page), { timeout: 30_000 }).toContain('Lesson complete');
    // The builder's lesson names nothing learned and no concept: the card has no empty headings.
    expect(await lessonText(other.page)).not.toMatch(/What you learned|Concept cards/);
    // A lesson of one's own stays open across a reload, as a built-in one does.
    await other.page.reload();
    await expect.poll(() => lessonText(other.page)).toContain('Stop the escape');
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
  });
});
