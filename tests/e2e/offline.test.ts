// Static and offline: any sub-path, offline after the first load, an update offered, an embed
// mode, and one Content-Security-Policy for the dev server and the build.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, screenshot } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

const controlled = (page: Page) => page.evaluate(() => navigator.serviceWorker.controller !== null);

describe('offline', () => {
  it('after the first load, a reload without a network still shows the app (and the engine boots)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(inject('baseUrl'));
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
    await expect.poll(() => controlled(page)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
    await page.getByRole('button', { name: 'Power on' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Event timeline' }).locator('.event').count()).toBeGreaterThan(0);
    // A query (the embed mode) is the same page, from the cache too.
    await page.goto(`${inject('baseUrl')}?embed=1`);
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a new build offers an update; "Reload to update" loads it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(inject('baseUrl'));
    await expect.poll(() => controlled(page)).toBe(true);
    const file = 'dist/sw.js';
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace(/const VERSION = "([0-9a-f]+)"/, 'const VERSION = "$1-next"'));
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
      const prompt = page.getByRole('button', { name: 'Reload to update' });
      await prompt.waitFor({ timeout: 10_000 });
      await screenshot(page, 'update-available');
      await Promise.all([page.waitForEvent('load'), prompt.click()]);
      await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
      expect(await page.evaluate(() => caches.keys())).toEqual([expect.stringMatching(/-next$/)]);
    } finally {
      writeFileSync(file, original);
      await context.close();
    }
  });
});

describe('?embed=1', () => {
  it('drops the brand bar title and the share link, keeps the h1 for screen readers', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${inject('baseUrl')}?embed=1`);
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor();
    expect(await page.getByRole('button', { name: 'Share link' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Power on' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect((await page.locator('h1').boundingBox())!.width).toBeLessThanOrEqual(1); // visually hidden
    await screenshot(page, 'embed');
    await context.close();
  });
});

describe('Content-Security-Policy', () => {
  const policyOf = (html: string) => /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];

  it("the build: base-uri none, no unsafe-eval, and one inline script, the first view's, allowed by its hash", () => {
    const html = readFileSync('dist/index.html', 'utf8');
    const policy = policyOf(html)!;
    expect(policy).toContain("base-uri 'none'");
    expect(policy).toContain("worker-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline).toEqual([readFileSync('src/ui/prerender-boot.js', 'utf8')]);
    const hash = createHash('sha256').update(inline[0]!).digest('base64');
    expect(policy).toContain(`script-src 'self' 'sha256-${hash}';`);
    expect(/script-src ([^;]*);/.exec(policy)![1]!.split(' ')).toEqual(["'self'", `'sha256-${hash}'`]);
  });

  let dev: ViteDevServer | undefined;
  afterAll(async () => {
    await dev?.close();
  });

  it('the dev server serves the same policy, and the app runs inside it', async () => {
    dev = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'silent', clearScreen: false });
    await dev.listen();
    const url = dev.resolvedUrls!.local[0]!;
    const html = await (await fetch(url)).text();
    expect(policyOf(html)).toBe(policyOf(readFileSync('dist/index.html', 'utf8')));
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(url);
    await page.getByRole('region', { name: 'Hardware palette' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Power on' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Event timeline' }).locator('.event').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
    await context.close();
  });
});
