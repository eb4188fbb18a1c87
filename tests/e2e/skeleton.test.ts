// A new user's first minutes: place hardware (by drag and by keyboard), power on, ask each guest what it sees.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleText, inspectorOf, launch, openApp, runCommand, screenshot, waitForPrompt } from './browser.ts';

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openApp(browser));
});
afterAll(async () => {
  await browser?.close();
});

/** Drags a palette item into a zone, aiming at a point inside it (fractions of its box). */
async function dragInto(kind: string, zone: string, fx: number, fy: number) {
  const target = page.getByRole('region', { name: zone, exact: true });
  const box = (await target.boundingBox())!;
  await page
    .getByRole('region', { name: 'Hardware palette' })
    .getByRole('button', { name: kind, exact: true })
    .dragTo(target, { targetPosition: { x: box.width * fx, y: box.height * fy }, force: true });
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

describe('walking skeleton: diagram → worker → consoles', () => {
  it('shows the four zones and the palette', async () => {
    for (const zone of ['System VM', 'Application VM', 'Real-time container', 'Paravirtualized']) {
      const region = page.getByRole('region', { name: zone, exact: true });
      expect(await region.count()).toBe(1);
      expect(await region.isVisible()).toBe(true);
    }
    for (const kind of ['UART', 'SPI', 'GPIO', 'Wi-Fi', 'Flash', 'Security processor', 'DMA']) {
      expect(await page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: kind, exact: true }).count()).toBe(1);
    }
  });

  it('places UART in the application VM and Wi-Fi in the paravirtualized set by dragging', async () => {
    await dragInto('UART', 'Application VM', 0.25, 0.2);
    await dragInto('Wi-Fi', 'Paravirtualized', 0.5, 0.3);
    const domain = page.getByRole('region', { name: 'Inspector' }).getByLabel('Domain');
    // The last dropped component is selected, and the inspector says where it went.
    expect(await (await inspectorOf(page, 'wifi0')).locator('h2').innerText()).toContain('wifi0');
    expect(await domain.inputValue()).toBe('shared');
    await page.locator('.react-flow__node[data-id="uart0"]').click();
    await inspectorOf(page, 'uart0');
    expect(await domain.inputValue()).toBe('app');
  });

  it('assigns SPI to the real-time container with the keyboard alone', async () => {
    const spi = page.getByRole('region', { name: 'Hardware palette' }).getByRole('button', { name: 'SPI', exact: true });
    await spi.focus();
    await page.keyboard.press('Enter');
    const domain = page.getByRole('region', { name: 'Inspector' }).getByLabel('Domain');
    await expect.poll(() => domain.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await domain.inputValue()).toBe(''); // added unassigned
    await page.keyboard.type('Real');
    await page.keyboard.press('Enter'); // a keyboard choice is committed on Enter, not per key
    await expect.poll(() => domain.inputValue()).toBe('rt');
    // The diagram moved it into the real-time container.
    const rt = (await page.getByRole('region', { name: 'Real-time container', exact: true }).boundingBox())!;
    const chip = (await page.locator('.react-flow__node[data-id="spi0"]').boundingBox())!;
    expect(chip.x).toBeGreaterThanOrEqual(rt.x);
    expect(chip.y + chip.height).toBeLessThanOrEqual(rt.y + rt.height);
  });

  it('powers on: each guest boots in its own console, and lsdev lists exactly its devices', async () => {
    await page.getByRole('button', { name: 'Power on' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Power off' }).count()).toBe(1);

    const app = lines(await runCommand(page, 'Application VM', 'lsdev'));
    const system = lines(await runCommand(page, 'System VM', 'lsdev'));
    const rt = lines(await runCommand(page, 'Real-time container', 'lsdev'));
    expect(app).toEqual(['uart0 uart direct', 'wifi0 wifi paravirtual']);
    expect(system).toEqual(['wifi0 wifi direct']);
    expect(rt).toEqual(['spi0 spi direct']);

    // [console, last entry of its help list (the rest scrolled by), its kernel]
    const guests: [string, RegExp, RegExp][] = [
      ['System VM', /vmm list/, /Linux system-vm/],
      ['Application VM', /uname \[-a/, /Linux app-vm/],
      ['Real-time container', /uname \[-a/, /RTOS/],
    ];
    for (const [vm, helpTail, kernel] of guests) {
      expect(await runCommand(page, vm, 'help')).toMatch(helpTail);
      expect(await runCommand(page, vm, 'uname -a')).toMatch(kernel);
    }
    await screenshot(page, 'skeleton-powered-on');
    expect(errors).toEqual([]);
  });

  it('line editing: backspace, history and Ctrl-C work in a console', async () => {
    const name = 'System VM';
    await runCommand(page, name, 'echo one');
    const region = page.getByRole('region', { name: `Console: ${name}` });
    await region.locator('.xterm-screen').click();
    // Its scrollbar shows and hides at once (xterm.css fades it): while it faded, the page drew frame
    // after frame, and the first keys typed after a click waited for the display's next tick.
    const fades = await region.locator('.xterm-scrollable-element > .scrollbar').evaluateAll((els) => els.map((el) => getComputedStyle(el).transitionDuration));
    expect(fades.length).toBeGreaterThan(0);
    for (const d of fades) expect(d).toBe('0s');
    // The terminal's size and layout are contained (the layout a typed key forces starts at it, not
    // at the page's root), and it still fills its console to the bottom.
    const term = await region.locator('.console-term').evaluate((host) => {
      const el = host.querySelector<HTMLElement>('.xterm')!;
      return { contain: getComputedStyle(el).contain, gap: host.getBoundingClientRect().bottom - el.getBoundingClientRect().bottom };
    });
    expect(term).toEqual({ contain: 'strict', gap: 0 });
    await page.keyboard.type('echo twX');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('o');
    await page.keyboard.press('Enter');
    await expect.poll(async () => lines(await consoleText(page, name))).toContain('two');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(async () => lines(await consoleText(page, name)).filter((l) => l === 'one').length).toBe(2);
    await page.keyboard.type('this is cancelled');
    await page.keyboard.press('Control+C');
    await expect.poll(async () => (await consoleText(page, name)).includes('^C')).toBe(true);
    // Tab belongs to the shell (completion); Escape hands the focus back to the page.
    const inConsole = () => page.evaluate((n) => !!document.activeElement?.closest(`[aria-label="Console: ${n}"] .xterm`), name);
    expect(await inConsole()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await inConsole()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Widen Application VM console');
  });

  it('keys are drawn ahead of the echo and shown exactly once: typed fast, and typed while a command runs', async () => {
    const name = 'Application VM';
    await waitForPrompt(page, name);
    const region = page.getByRole('region', { name: `Console: ${name}` });
    await region.locator('.xterm-screen').click();
    await page.keyboard.type('echo abcdefghij0123');
    await page.keyboard.press('Enter');
    await expect.poll(async () => lines(await consoleText(page, name))).toContain('abcdefghij0123');
    expect(lines(await consoleText(page, name)).filter((l) => l.endsWith('# echo abcdefghij0123'))).toHaveLength(1);
    // A request takes simulated time; what is typed meanwhile waits for the prompt, then is echoed once.
    await page.keyboard.type('curl http://example.com');
    await page.keyboard.press('Enter');
    await page.keyboard.type('echo later');
    await page.keyboard.press('Enter');
    await expect.poll(async () => lines(await consoleText(page, name)).filter((l) => l === 'later').length, { timeout: 15_000 }).toBe(1);
    const shown = lines(await consoleText(page, name));
    expect(shown.filter((l) => l.endsWith('# echo later'))).toHaveLength(1);
    expect(shown.findIndex((l) => l.endsWith('# echo later'))).toBeGreaterThan(shown.findIndex((l) => l.endsWith('# curl http://example.com')));
  });

  it('a console can take the whole width and give it back', async () => {
    const app = page.getByRole('region', { name: 'Console: Application VM' });
    const before = (await app.boundingBox())!.width;
    await page.getByRole('button', { name: 'Widen Application VM console' }).click();
    expect(await page.getByRole('region', { name: 'Console: System VM' }).isVisible()).toBe(false);
    await expect.poll(async () => (await app.boundingBox())!.width).toBeGreaterThan(before * 2);
    expect(lines(await runCommand(page, 'Application VM', 'lsdev'))).toEqual(['uart0 uart direct', 'wifi0 wifi paravirtual']);
    await page.getByRole('button', { name: 'Show all consoles' }).click();
    expect(await page.getByRole('region', { name: 'Console: System VM' }).isVisible()).toBe(true);
  });

  it('the consoles can be given more room by dragging the splitter, or with the arrow keys', async () => {
    const deck = () => page.locator('.deck').evaluate((el) => el.getBoundingClientRect().height);
    const before = await deck();
    const handle = page.getByRole('separator', { name: 'Resize the consoles' });
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + 200, box.y + 3);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y - 120, { steps: 6 });
    await page.mouse.up();
    await expect.poll(deck).toBeGreaterThan(before + 100);
    await handle.focus();
    const dragged = await deck();
    await page.keyboard.press('ArrowDown');
    await expect.poll(deck).toBeLessThan(dragged);
    await page.keyboard.press('Home'); // back to the default share of the window
    await expect.poll(deck).toBeCloseTo(before, -1);
  });

  it('power off, reassign, power on: the consoles reflect the new board', async () => {
    await page.getByRole('button', { name: 'Power off' }).click();
    await page.locator('.react-flow__node[data-id="uart0"]').click();
    await (await inspectorOf(page, 'uart0')).getByLabel('Domain').selectOption({ label: 'System VM' });
    await page.getByRole('button', { name: 'Power on' }).click();
    expect(lines(await runCommand(page, 'System VM', 'lsdev'))).toEqual(['uart0 uart direct', 'wifi0 wifi direct']);
    expect(lines(await runCommand(page, 'Application VM', 'lsdev'))).toEqual(['wifi0 wifi paravirtual']);
    expect(errors).toEqual([]);
  });

  it('dragging a placed component into another zone reassigns it', async () => {
    const chip = page.locator('.react-flow__node[data-id="uart0"]');
    const from = (await chip.boundingBox())!;
    const zone = (await page.getByRole('region', { name: 'Application VM', exact: true }).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(zone.x + zone.width * 0.6, zone.y + 90, { steps: 12 });
    await page.mouse.up();
    await chip.click();
    await expect.poll(() => page.getByRole('region', { name: 'Inspector' }).getByLabel('Domain').inputValue()).toBe('app');
    // The running guests keep the board they booted with, and the page says so.
    expect(await page.getByRole('button', { name: /Board changed/ }).count()).toBe(1);
  });
});
