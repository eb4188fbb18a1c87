// Seed 002 in the page: a 32-bit i386 program runs through the kernel-call emulator, and the
// timeline shows the thunk of each of its kernel calls.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, loadExample, openApp, runCommand, screenshot, waitForPrompt } from './browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the kernel-call emulator', () => {
  it('runs hello32 in the application VM console, and a kernel call on the timeline opens to its thunk', async () => {
    const { page, errors } = await openApp(browser);
    await loadExample(page, /Smart oven/);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    const out = await runCommand(page, 'Application VM', 'run32 hello32');
    expect(out).toContain('Hello from a 32-bit program');
    const timeline = page.getByRole('region', { name: 'Event timeline' });
    const call = timeline.locator('li.event').filter({ has: page.locator('.event-type', { hasText: 'emu.call' }) }).filter({ hasText: 'write' }).first();
    await expect.poll(() => call.count()).toBe(1);
    await call.getByText('thunk', { exact: true }).click();
    const thunk = await call.locator('.event-thunk pre').innerText();
    expect(thunk).toContain('Linux i386 int 0x80: eax=');
    expect(thunk).toContain('Linux Arm EABI svc #0: r7=');
    await screenshot(page, 'emulator-thunk');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
