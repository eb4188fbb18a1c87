// A console given more output than it keeps: the lines that scroll out unseen are not read
// (src/ui/panels/consoleText.ts), and what the console shows and keeps is still the output's end,
// 2,000 lines of scrollback above its screen.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleText, launch, loadExample, openApp, runCommand, screenshot, waitForPrompt } from './browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The offset that starts a `hexdump -C` line, as a number. */
const offset = (line: string) => parseInt(/^([0-9a-f]{8})(?: |$)/.exec(line)?.[1] ?? 'NaN', 16);

describe('a console and output longer than it keeps', () => {
  it('shows the end of a 64 KiB hexdump, and keeps the 2,000 lines above its screen', async () => {
    const { page, errors } = await openApp(browser);
    await page.setViewportSize({ width: 1440, height: 960 }); // one console at a time, wide enough for a dump line (78 characters)
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    const out = (await runCommand(page, 'Application VM', 'hexdump -C -n 65536 /boot/Image')).split('\n');
    expect(out.at(-1)).toBe('00010000');
    // Every line on the screen is the dump's: it is longer than the screen.
    expect(out.every((l) => !Number.isNaN(offset(l)))).toBe(true);
    const bottom = out[0]!;

    // Up to the top of the scrollback, a screen at a time (Shift+PageUp scrolls by the screen's rows less one).
    for (let i = 0; i < 2000 / 15 + 1; i++) await page.keyboard.press('Shift+PageUp');
    await page.waitForTimeout(100); // drawn in the next frame
    const top = await consoleText(page, 'Application VM');
    const first = top.split('\n')[0]!;
    // 2,000 lines above the screen's first line: 16 bytes a line, no line repeated there ("*").
    expect(top.split('\n').every((l) => !Number.isNaN(offset(l)))).toBe(true);
    expect(offset(first)).toBe(offset(bottom) - 2000 * 16);
    await screenshot(page, 'console-scrollback-top');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
