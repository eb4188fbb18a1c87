// /data on the paravirtual flash and networkd's policy, typed into the
// application VM's console as a participant would.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp, runCommand, screenshot, waitForPrompt } from './browser.ts';

let browser: Browser;
let page: Page;
let errors: string[];

const BOARD = JSON.stringify({
  format: 'isolation-lab/board',
  version: 1,
  name: 'Shared flash',
  soc: 'iot-a7m4',
  components: [
    { id: 'uart0', kind: 'uart', domain: 'app' },
    { id: 'sec0', kind: 'security-processor', domain: 'system' },
    { id: 'wifi0', kind: 'wifi', domain: 'shared' },
    { id: 'flash0', kind: 'flash', domain: 'shared' },
  ],
  vms: { system: { memoryMiB: 16 }, app: { memoryMiB: 24 } },
});

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openApp(browser));
  await page.getByLabel('Board file to import').setInputFiles({ name: 'flash.board.json', mimeType: 'application/json', buffer: Buffer.from(BOARD) });
  await page.waitForFunction(() => document.querySelector<HTMLInputElement>('input[aria-label="Board name"]')?.value === 'Shared flash');
  await page.getByRole('button', { name: 'Power on' }).click();
  await waitForPrompt(page, 'Application VM');
});
afterAll(async () => {
  await browser?.close();
});

const eventTypes = () => page.getByRole('region', { name: 'Event timeline' }).locator('.event-type').allInnerTexts();

describe('/data and the network, from the application VM console', () => {
  it('a file in /data is in the blocks of vda, read back through the system VM', async () => {
    expect(await runCommand(page, 'Application VM', 'echo hello-flash > /data/note')).toBe('');
    expect(await runCommand(page, 'Application VM', 'mount')).toContain('/dev/vda on /data type labfs');
    expect(await runCommand(page, 'Application VM', 'hexdump -C -n 16 /dev/vda')).toContain('|LABFS1..........|');
    expect(await runCommand(page, 'Application VM', 'trace last')).toContain('cpu:system read flash0');
  });

  it('the guest asks networkd over vsock and is refused its ways around it', async () => {
    expect(await runCommand(page, 'Application VM', 'wifi join kitchen')).toContain('with the credential held by the system VM');
    expect(await runCommand(page, 'Application VM', 'nc time.example 443 4111111111111111')).toContain('contains a card-number');
    expect(await runCommand(page, 'Application VM', 'nslookup evil.example 8.8.8.8')).toContain('DNS query to 8.8.8.8 refused');
    await expect.poll(eventTypes).toContain('vsock.request');
    await expect.poll(eventTypes).toContain('net.blocked');
    await screenshot(page, 'storenet-console');
    expect(errors).toEqual([]);
  });
});
