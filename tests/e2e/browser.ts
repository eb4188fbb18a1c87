// Launches Debian's headless Chromium with playwright-core and opens the built app.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const SCREENSHOTS = 'test-results/screenshots';

export function chromiumPath(): string {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p)) ?? '/usr/bin/chromium';
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh page on the app (empty storage unless a context is given), with page errors collected. */
export async function openApp(browser: Browser, hash = ''): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(inject('baseUrl') + hash);
  await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
  // The first view made at build time is over the page until the page's own diagram is drawn.
  await page.locator('#prerender').waitFor({ state: 'detached' });
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Visible text of a guest console (xterm's DOM renderer), rows joined by newlines. */
export async function consoleText(page: Page, name: string): Promise<string> {
  const rows = page.getByRole('region', { name: `Console: ${name}` }).locator('.xterm-rows > div');
  return (await rows.allInnerTexts()).map((r) => r.replace(/\u00a0/g, ' ').trimEnd()).join('\n');
}

/** Types a command into a console as a user would, and waits for the next prompt. */
export async function typeCommand(page: Page, name: string, command: string): Promise<void> {
  const region = page.getByRole('region', { name: `Console: ${name}` });
  await region.locator('.xterm-screen').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** Waits until the console's last line is a shell prompt (ends in `#`, `$` or `>`). */
export async function waitForPrompt(page: Page, name: string, timeout = 15_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const lines = (await consoleText(page, name)).split('\n').filter((l) => l.trim());
    if (/[#$>]$/.test(lines.at(-1) ?? '')) return;
    if (Date.now() - start > timeout) throw new Error(`No prompt in console “${name}” after ${timeout} ms:\n${lines.join('\n')}`);
    await page.waitForTimeout(100);
  }
}

/** Runs a command and returns what it printed (the visible lines between its prompt line and the next prompt). */
export async function runCommand(page: Page, name: string, command: string): Promise<string> {
  await waitForPrompt(page, name);
  await typeCommand(page, name, command);
  const start = Date.now();
  for (;;) {
    const lines = (await consoleText(page, name)).split('\n').filter((l) => l.trim());
    const at = lines.findLastIndex((l) => /[#$>] /.test(l) && l.endsWith(command));
    const done = /[#$>]$/.test(lines.at(-1)!);
    if (at >= 0 && at < lines.length - 1 && done) return lines.slice(at + 1, -1).join('\n');
    // Long output scrolls the command line out of view: then everything visible is output.
    if (at < 0 && done && Date.now() - start > 500) return lines.slice(0, -1).join('\n');
    if (Date.now() - start > 15_000) throw new Error(`“${command}” in “${name}” did not finish:\n${lines.join('\n')}`);
    await page.waitForTimeout(50);
  }
}

/** Picks an example from the toolbar's Examples list (a pointer choice: it loads at once). */
export async function loadExample(page: Page, title: RegExp): Promise<void> {
  const select = page.getByLabel('Examples');
  const value = await select.locator('option').filter({ hasText: title }).getAttribute('value');
  await select.selectOption(value!);
  await viewSettled(page);
}

/**
 * Waits until the diagram's view has held still for half a second: it fits itself, animated, to a
 * board just loaded, and a click on a block while it moves lands where the block was.
 */
export async function viewSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { viewAt?: string; viewSince?: number };
    const at = getComputedStyle(document.querySelector('.react-flow__viewport')!).transform;
    if (w.viewAt !== at) {
      w.viewAt = at;
      w.viewSince = performance.now();
      return false;
    }
    return performance.now() - w.viewSince! > 500;
  }, undefined, { polling: 50 });
}

/** Imports a board file through the toolbar's Import, as a participant would, and waits until it is loaded. */
export async function importBoard(page: Page, board: { name: string }): Promise<void> {
  await page.getByLabel('Board file to import').setInputFiles({ name: 'board.board.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(board)) });
  await page.waitForFunction((name) => document.querySelector<HTMLInputElement>('input[aria-label="Board name"]')?.value === name, board.name);
}

/**
 * The inspector once it shows component `id`: it builds a newly selected component's form just after
 * the frame that shows the selection on the diagram, so a test waits for it before reading or using it.
 */
export async function inspectorOf(page: Page, id: string): Promise<Locator> {
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await inspector.locator('h2').filter({ hasText: new RegExp(`(^|\\s)${id}(\\s|$)`) }).waitFor();
  return inspector;
}

/**
 * The diagram's trace and flash labels that cover a block, a zone's title or hint or another label,
 * or leave the diagram's view, as "label text / what it covers" (none when every label is clear).
 */
export async function labelsCovering(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // A zone's title and hint by their text (their elements are as wide as the zone).
    const box = (el: Element) => {
      if (!el.matches('.zone-title, .zone-hint')) return el.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect();
    };
    const hit = (a: DOMRect, b: DOMRect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const view = box(document.querySelector('.react-flow')!);
    const things = Array.from(document.querySelectorAll('.react-flow__node-component, .react-flow__node-chip, .zone-title, .zone-hint'));
    const out: string[] = [];
    const labels = Array.from(document.querySelectorAll('.trace-hop-label, .flash-label'));
    for (const [i, label] of labels.entries()) {
      const r = box(label);
      const name = (label.textContent ?? '').trim();
      if (r.top < view.top || r.left < view.left || r.right > view.right || r.bottom > view.bottom) out.push(`${name} / outside the view`);
      for (const t of [...things, ...labels.slice(i + 1)]) if (hit(r, box(t))) out.push(`${name} / ${(t.textContent ?? '').trim()}`);
    }
    return out;
  });
}
