// Accessibility: axe-core on the page's main states, no serious or critical violation.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleText, inspectorOf, launch, loadExample, openApp, screenshot, waitForPrompt } from './browser.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Serious and critical violations, one line each (rule, element, why), so a failure says what to fix. */
async function axe(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's own CSP (no eval) does not apply to the test.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } };
    return (await w.axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}`));
}

describe('axe-core, serious and critical', () => {
  it('the empty board', async () => {
    const { page } = await openApp(browser);
    expect(await axe(page)).toEqual([]);
  });

  it('an example with a component selected', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Broken/);
    await page.locator('.react-flow__node[data-id="dma0"]').click();
    await (await inspectorOf(page, 'dma0')).getByLabel('DMA protection').waitFor();
    expect(await axe(page)).toEqual([]);
  });

  it('powered on, with the consoles and the timeline', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'DMA escape' }).click();
    await expect.poll(() => page.locator('.event').count()).toBeGreaterThan(3);
    expect(await axe(page)).toEqual([]);
  });

  it('the narrow layout (390×844)', async () => {
    const { page } = await openApp(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await loadExample(page, /Smart oven/);
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'a11y-narrow');
  });
});

describe('structure', () => {
  it('one h1, and every visible text inside a landmark', async () => {
    const { page } = await openApp(browser);
    expect(await page.locator('h1').count()).toBe(1);
    const outside = await page.evaluate(() => {
      const landmarks = 'header, main, nav, aside, footer, section[aria-label], [role=region], [role=banner], [role=main], [role=complementary], [role=contentinfo], [role=navigation], [role=toolbar]';
      return Array.from(document.querySelectorAll<HTMLElement>('#root *'))
        .filter((el) => el.children.length === 0 && el.offsetParent !== null && (el.textContent ?? '').trim())
        .filter((el) => !el.closest(landmarks))
        .map((el) => el.outerHTML.slice(0, 80));
    });
    expect(outside).toEqual([]);
  });

  it('the first Tab reaches "Skip to the console", shown while it has the focus; Enter puts the focus in the console shown', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).click();
    const shown = page.locator('#root .console:not(.folded)').first();
    const name = (await shown.getAttribute('aria-label'))!.replace('Console: ', '');
    await waitForPrompt(page, name);
    // As on arriving at the page: Tab starts from the top of the document.
    await page.evaluate(() => {
      document.body.tabIndex = -1;
      document.body.focus();
      document.body.removeAttribute('tabindex');
    });
    const skip = page.getByRole('button', { name: 'Skip to the console' });
    expect((await skip.boundingBox())!.y).toBeLessThan(0); // out of sight until focused
    await page.keyboard.press('Tab');
    expect(await skip.evaluate((e) => e === document.activeElement)).toBe(true);
    const box = (await skip.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'a11y-skip-link');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.console')?.getAttribute('aria-label'))).toBe(`Console: ${name}`);
    await page.keyboard.type('uname');
    await page.keyboard.press('Enter');
    await expect.poll(() => consoleText(page, name)).toContain('Linux');
  });

  it('a block reached with Tab shows that it has the focus, before anything selects it', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button').last().focus();
    let onBlock = false;
    for (let i = 0; i < 10 && !onBlock; i++) {
      await page.keyboard.press('Tab');
      onBlock = await page.evaluate(() => !!document.activeElement?.matches('.react-flow__node-component'));
    }
    expect(onBlock).toBe(true);
    const ring = await page.evaluate(() => {
      const chip = document.activeElement!.querySelector('.chip')!;
      const css = getComputedStyle(chip);
      return { outline: css.outlineStyle, width: parseFloat(css.outlineWidth), selected: chip.classList.contains('selected') };
    });
    expect(ring).toEqual({ outline: 'solid', width: 2, selected: false });
    await screenshot(page, 'a11y-block-focus');
  });

  it('Power on and Power off keep the keyboard focus on the switch; traffic on the diagram is no Tab stop', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Power off' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Power off');
    // The boot's traffic is on the diagram for a moment: read the edges' tab stops while some are there.
    const stops = await page.waitForFunction(() => {
      const edges = Array.from(document.querySelectorAll('#root .react-flow__edge'));
      return edges.length > 0 && edges.map((e) => e.getAttribute('tabindex'));
    }, undefined, { timeout: 15_000, polling: 20 });
    expect(await stops.jsonValue()).not.toContain('0');
    await waitForPrompt(page, 'System VM');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Power on' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Power on');
  });

  it('the console is readable by a screen reader (xterm’s accessibility tree and live region)', async () => {
    const { page } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    const region = page.getByRole('region', { name: 'Console: Application VM' });
    await expect.poll(() => region.locator('.xterm-accessibility-tree').innerText()).toMatch(/[#$]/);
    expect(await region.locator('[aria-live]').count()).toBeGreaterThan(0);
    // Dictation and voice control send text with no key pressed: it is typed all the same, once
    // (the output line is exactly the words, so neither that text nor the keys after it came twice).
    const area = region.locator('textarea');
    await area.focus();
    await area.evaluate((el) => el.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: 'echo spoken', bubbles: true })));
    await page.keyboard.type(' words');
    await page.keyboard.press('Enter');
    await expect.poll(() => region.locator('.xterm-accessibility-tree').innerText()).toMatch(/^spoken words$/m);
  });
});
