// /data on the paravirtual flash and networkd's policy, typed into the
// application VM's console as a participant would.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBoard, launch, openApp, runCommand, screenshot, waitForPrompt } from './browser.ts';

let browser: Browser;
let page: Page;
let errors: string[];

const BOARD = {
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
};

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openApp(browser));
  await importBoard(page, BOARD);
  await page.getByRole('button', { name: 'Power on' }).click();
  await waitForPrompt(page, 'Application VM');
});
afterAll(async () => {
  await browser?.close();
});

/** Console rows wrap long lines (and trim at the wrap): compare without whitespace. */
const squash = (s: string) => s.replace(/\s+/g, '');
async function expectOutput(command: string, ...parts: string[]) {
  const out = squash(await runCommand(page, 'Application VM', command));
  for (const p of parts) expect(out).toContain(squash(p));
}

const eventTypes = () => page.getByRole('region', { name: 'Event timeline' }).locator('.event-type').allInnerTexts();

describe('/data and the network, from the application VM console', () => {
  it('a file in /data is in the blocks of vda, read back through the system VM', async () => {
    await runCommand(page, 'Application VM', 'echo hello-flash > /data/note');
    await expectOutput('cat /data/note', 'hello-flash');
    await expectOutput('mount', '/dev/vda on /data type labfs');
    await expectOutput('hexdump -C -n 16 /dev/vda', '|LABFS1..........|');
  });

  it('the guest asks networkd over vsock and is refused its ways around it', async () => {
    await expectOutput('wifi join kitchen', 'with the credential held by the system VM');
    await expectOutput('nc time.example 443 4111111111111111', 'contains a card-number');
    await expectOutput('nslookup evil.example 8.8.8.8', 'DNS query to 8.8.8.8 refused');
    await expect.poll(eventTypes).toContain('vsock.request');
    await expect.poll(eventTypes).toContain('net.blocked');
    await screenshot(page, 'storenet-console');
    expect(errors).toEqual([]);
  });
});
