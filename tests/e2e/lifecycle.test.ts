// The refresh settings in the inspector: a part schedule, the measurement period
// and the hot spare, set as a participant would, and their effect on the timeline.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleText, importBoard, launch, openApp, runCommand, screenshot, waitForPrompt } from './browser.ts';

let browser: Browser;
let page: Page;

const BOARD = {
  format: 'isolation-lab/board',
  version: 1,
  name: 'Refresh settings',
  soc: 'iot-a7m4',
  components: [
    { id: 'uart0', kind: 'uart', domain: 'app' },
    { id: 'sec0', kind: 'security-processor', domain: 'system' },
    { id: 'wifi0', kind: 'wifi', domain: 'shared' },
  ],
  vms: { system: { memoryMiB: 16 }, app: { memoryMiB: 10 } },
};

beforeAll(async () => {
  browser = await launch();
  ({ page } = await openApp(browser));
  await importBoard(page, BOARD);
});
afterAll(async () => {
  await browser?.close();
});

const timeline = () => page.getByRole('region', { name: 'Event timeline' }).innerText();
const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('refresh settings in the inspector', () => {
  it('a part schedule and the hot spare are set, undone and redone like any edit, and counted in the memory meter', async () => {
    const group = page.getByRole('group', { name: 'Parts refreshed on their own' });
    await expect.poll(() => group.innerText()).toContain('None');
    await group.getByLabel('Part').selectOption('driver:uart0');
    await group.getByLabel('Interval').selectOption({ label: 'every minute' });
    await group.getByRole('button', { name: 'Add schedule' }).click();
    await expect.poll(async () => squash(await group.innerText())).toContain('driver:uart0 every minute');
    await page.keyboard.press('Control+z');
    await expect.poll(() => group.innerText()).toContain('None');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => squash(await group.innerText())).toContain('driver:uart0 every minute');
    await page.getByLabel(/^Hot spare/).check();
    await expect.poll(() => page.locator('.meter-legend').innerText()).toContain('Hot spare 10');
    expect(await page.getByLabel(/^Hot spare/).isChecked()).toBe(true);
    // 16 + 10 + 10 MiB (each with its kernel inside) and the real-time window still fit the 64 MiB SoC: the board can be powered on.
    expect(await page.getByRole('button', { name: 'Power on' }).isEnabled()).toBe(true);
    await screenshot(page, 'refresh-settings');
  });

  it('after power on, the driver is reloaded on its schedule and a refresh switches to the spare at once', async () => {
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await page.getByRole('button', { name: /Skip to next event/ }).click();
    await expect.poll(timeline, { timeout: 20_000 }).toContain('reloaded the driver of uart0');
    await runCommand(page, 'System VM', 'vmm refresh app');
    await expect.poll(timeline, { timeout: 20_000 }).toContain('took over at once (downtime 0 ms)');
    await expect.poll(async () => (await consoleText(page, 'Application VM')).replace(/\s+/g, ''), { timeout: 10_000 }).toContain('nowthehotspareinstance');
  });
});
