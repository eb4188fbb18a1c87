// Seed 000 made visible: a DMA engine in the application VM writes system RAM — until it is contained.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_HOLD_MS } from '../../src/ui/diagram/traceView.ts';
import { inspectorOf, labelsCovering, launch, openApp, runCommand, screenshot, waitForPrompt } from './browser.ts';

let browser: Browser;
let page: Page;
let errors: string[];

const BOARD = JSON.stringify({
  format: 'isolation-lab/board',
  version: 1,
  name: 'DMA lesson',
  soc: 'iot-a7m4',
  components: [
    { id: 'uart0', kind: 'uart', domain: 'app' },
    { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'none' },
    { id: 'sec0', kind: 'security-processor', domain: 'system' },
    { id: 'wifi0', kind: 'wifi', domain: 'shared' },
  ],
  vms: { system: { memoryMiB: 16 }, app: { memoryMiB: 24, refresh: { onCompromise: false } } },
});

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openApp(browser));
  await page.getByLabel('Board file to import').setInputFiles({ name: 'dma.board.json', mimeType: 'application/json', buffer: Buffer.from(BOARD) });
  await page.waitForFunction(() => document.querySelector<HTMLInputElement>('input[aria-label="Board name"]')?.value === 'DMA lesson');
});
afterAll(async () => {
  await browser?.close();
});

const timeline = () => page.getByRole('region', { name: 'Event timeline' });
const eventTypes = () => timeline().locator('.event-type').allInnerTexts();

describe('DMA escape', () => {
  it('an unprotected DMA engine writes system RAM: the timeline and the diagram show the escape', async () => {
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'DMA escape' }).click();
    await expect.poll(eventTypes).toContain('dma.escape');
    const escape = timeline().locator('.event').filter({ has: page.locator('.event-type', { hasText: 'dma.escape' }) });
    expect(await escape.first().innerText()).toMatch(/system/i);
    // The system VM's compromise names what else it involves, not the VM again beside its own chip.
    const compromise = timeline().locator('.event').filter({ has: page.locator('.event-type', { hasText: 'vm.compromise' }) }).first();
    await compromise.waitFor();
    expect(await compromise.locator('.event-vm').innerText()).toBe('system');
    const involved = await compromise.locator('.event-links > *').allInnerTexts();
    expect(involved).toContain('dma0');
    expect(involved).not.toContain('system');
    // The diagram: the write flashes from dma0 to system RAM, and the system VM is marked compromised.
    await expect.poll(() => page.locator('.react-flow__edge.edge-allow[data-id="flash-dma:dma0>system-ram"]').count()).toBe(1);
    await expect.poll(() => page.getByRole('region', { name: 'System VM', exact: true }).locator('.zone-flag').count()).toBe(1);
    // So do its console and the console's tab, which stands for it where one console is shown at a time.
    expect(await page.getByRole('region', { name: 'Console: System VM' }).innerText()).toContain('compromised');
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await page.locator('#console-tab-system').textContent()).toMatch(/compromised/);
    expect(await page.locator('#console-tab-app').textContent()).not.toMatch(/compromised/);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'dma-escape');
  });

  it('after a power cycle, the same attack draws its trace again', async () => {
    // Long enough for the first escape's trace to have faded: the new one, with the same number, must not be taken for it.
    await page.waitForTimeout(TRACE_HOLD_MS + 1000);
    await page.getByRole('button', { name: 'Power off' }).click();
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'DMA escape' }).click();
    // Transaction numbers start again at each boot: the new one is drawn, not taken for the old one.
    await expect.poll(() => page.locator('.trace-hop-label.hop-escape').count(), { timeout: 15_000 }).toBe(1);
    expect(await labelsCovering(page)).toEqual([]);
  });

  it('with its own firewall identity the same attack is denied', async () => {
    await page.getByRole('button', { name: 'Power off' }).click();
    await page.locator('.react-flow__node[data-id="dma0"]').click();
    await (await inspectorOf(page, 'dma0')).getByLabel('DMA protection').selectOption('firewall-id');
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'DMA escape' }).click();
    await expect.poll(eventTypes).toContain('dma.blocked');
    const types = await eventTypes();
    expect(types).toContain('firewall.deny');
    expect(types).not.toContain('dma.escape');
    await expect.poll(() => page.locator('.react-flow__edge.edge-deny[data-id="flash-dma:dma0>system-ram"]').count()).toBe(1);
    expect(await page.getByRole('region', { name: 'System VM', exact: true }).locator('.zone-flag').count()).toBe(0);
    await screenshot(page, 'dma-blocked');
  });

  it('a CPU poke from the application VM into system RAM is denied in the console', async () => {
    const out = await runCommand(page, 'Application VM', 'poke system-ram 0x41');
    expect(out).toContain('access denied');
    // Cortex-A7 has stage-2: the VM's own translation stops its CPU before the firewall is reached.
    await expect.poll(eventTypes).toContain('stage2.fault');
    expect(errors).toEqual([]);
  });
});

describe('blast radius', () => {
  it('shows what a compromised application VM reaches, and what it would reach without the firewall', async () => {
    const reach = () => page.locator('.react-flow__node .reach').evaluateAll((ns) => ns.map((n) => n.closest('.react-flow__node')!.getAttribute('data-id')).sort());
    await page.getByLabel('Blast radius of').selectOption('app');
    await expect.poll(reach).toContain('uart0');
    const guarded = await reach();
    expect(guarded).toContain('ram-app');
    expect(guarded).not.toContain('sec0');
    expect(guarded).not.toContain('ram-system');
    await page.getByLabel('if the firewall were off').check();
    await expect.poll(reach).toContain('sec0');
    expect(await reach()).toContain('ram-system');
    await screenshot(page, 'blast-radius-firewall-off');
    await page.getByLabel('Blast radius of').selectOption('');
    await expect.poll(reach).toEqual([]);
  });
});

describe('a compromised VM on the diagram', () => {
  it('no line runs over its flag, which lies in the lane under its header where lines to the chips run', async () => {
    await page.getByRole('button', { name: 'Power off' }).click();
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'Malware' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Application VM', exact: true }).locator('.zone-flag').count()).toBe(1);
    // Its CPUs write to the system VM's memory, across its own header: the line the flag was under.
    await page.getByRole('region', { name: 'Console: Application VM' }).locator('.xterm-screen').click();
    await page.keyboard.type('poke system-ram 1\r');
    await expect.poll(() => page.locator('#root .react-flow__edge.edge-deny').count()).toBeGreaterThan(0);
    const overFlag = await page.evaluate(() => {
      const flag = document.querySelector('#root .zone-flag')!.getBoundingClientRect();
      return Array.from(document.querySelectorAll<SVGPathElement>('#root .react-flow__edge path:not(.react-flow__edge-interaction)')).filter((path) => {
        const m = path.getScreenCTM()!;
        for (let at = 0; at <= path.getTotalLength(); at += 2) {
          const { x, y } = path.getPointAtLength(at);
          const p = new DOMPoint(x, y).matrixTransform(m);
          if (p.x > flag.left && p.x < flag.right && p.y > flag.top && p.y < flag.bottom) return true;
        }
        return false;
      }).map((path) => path.closest('.react-flow__edge')!.getAttribute('data-id'));
    });
    expect(overFlag).toEqual([]);
    await screenshot(page, 'compromised-flag-clear');
  });
});

describe('crash and refresh', () => {
  it('a crashed application VM is refreshed when the policy says so, and stays down when it does not', async () => {
    await page.getByRole('button', { name: 'Power off' }).click();
    const crashRefresh = page.getByLabel(/after a crash/);
    expect(await crashRefresh.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'Crash' }).click();
    await expect.poll(eventTypes).toContain('vm.refresh');
    expect(await eventTypes()).toContain('vm.crash');
    expect(await timeline().locator('.event').filter({ hasText: 'vm.refresh' }).first().innerText()).toMatch(/crash/);
    await waitForPrompt(page, 'Application VM'); // back from its master image

    await page.getByRole('button', { name: 'Power off' }).click();
    await crashRefresh.uncheck();
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    await page.getByRole('toolbar', { name: 'Simulation' }).getByRole('button', { name: 'Crash' }).click();
    await expect.poll(eventTypes).toContain('vm.crash');
    await page.waitForTimeout(1500);
    expect(await eventTypes()).not.toContain('vm.refresh');
    expect(await page.getByRole('region', { name: 'Console: Application VM' }).locator('.state').first().innerText()).toBe('crashed');
  });
});

describe('simulated time', () => {
  it('"Skip to next event" jumps an hour ahead to the scheduled refresh', async () => {
    await page.getByRole('button', { name: 'Power off' }).click();
    await page.getByLabel('On a schedule').selectOption({ label: 'every hour' });
    await page.getByRole('button', { name: 'Power on' }).click();
    await waitForPrompt(page, 'Application VM');
    const sim = page.getByRole('toolbar', { name: 'Simulation' });
    await sim.getByRole('button', { name: 'Pause' }).click();
    await sim.getByRole('button', { name: 'Skip to next event' }).click();
    await expect.poll(eventTypes).toContain('vm.refresh');
    expect(await timeline().locator('.event').filter({ hasText: 'vm.refresh' }).first().innerText()).toMatch(/schedule/);
    await expect.poll(() => page.getByLabel('Simulated time').innerText()).toMatch(/1:00:00\.\d{3}/);
  });

  it('Pause, then Run, resumes at the speed chosen before; that speed stays pressed while paused', async () => {
    const sim = page.getByRole('toolbar', { name: 'Simulation' });
    const seconds = async () => {
      // m:ss.mmm, or h:mm:ss.mmm from the first hour on
      const parts = (await page.getByLabel('Simulated time').innerText()).match(/[\d:.]+/)![0].split(':').map(Number);
      return parts.reduce((total, part) => total * 60 + part, 0);
    };
    if (await page.getByRole('button', { name: 'Power on' }).count()) {
      await page.getByRole('button', { name: 'Power on' }).click();
      await waitForPrompt(page, 'Application VM');
    }
    if (await sim.getByRole('button', { name: 'Run' }).count()) await sim.getByRole('button', { name: 'Run' }).click(); // paused by the test before
    await sim.getByRole('button', { name: '10×' }).click();
    await sim.getByRole('button', { name: 'Pause' }).click();
    expect(await sim.getByRole('button', { name: '10×' }).getAttribute('aria-pressed')).toBe('true');
    await sim.getByRole('button', { name: 'Run' }).click();
    expect(await sim.getByRole('button', { name: '10×' }).getAttribute('aria-pressed')).toBe('true');
    const t0 = await seconds();
    await page.waitForTimeout(2000);
    // At 10×, two seconds are about twenty simulated; at 1×, two.
    expect(await seconds() - t0).toBeGreaterThan(10);
  });

  it('Download events saves the log as JSON lines and says how many it holds', async () => {
    const download = page.waitForEvent('download');
    await timeline().getByRole('button', { name: 'Download events' }).click();
    const lines = readFileSync(await (await download).path(), 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as { format: string; events: number; since_power_on: number };
    expect(header.format).toBe('isolation-lab/events');
    expect(lines.length - 1).toBe(header.events);
    const said = header.events === header.since_power_on ? `${header.events.toLocaleString('en')} events since power on` : `the newest ${header.events.toLocaleString('en')} events of`;
    await expect.poll(() => page.getByRole('region', { name: 'Messages' }).innerText()).toContain(`Downloaded events.jsonl: ${said}`);
  });
});
