// How the page writes times and counts: one place, so every panel says them the same way.

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Simulated time since power on: `mm:ss.fff`, `h:mm:ss.fff` past an hour, and
 * `1 d 00:00:02.625` past a day (a 24-hour clock would roll over to `24:00:02.625`).
 */
export function formatSimTime(ms: number): string {
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const frac = String(Math.floor(ms % 1000)).padStart(3, '0');
  if (d > 0) return `${d} d ${pad(h)}:${pad(m)}:${pad(s)}.${frac}`;
  return `${h > 0 ? `${h}:` : ''}${pad(m)}:${pad(s)}.${frac}`;
}

/**
 * A whole number with thousands separators: "12,306". Written out rather than toLocaleString('en'),
 * whose first call sets up the browser's number formatting and cost the page's first render ~10 ms.
 */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 error", "2 errors": the count and the noun in agreement. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** How many reasons Power on's tooltip spells out; the Diagnostics panel lists them all. */
const TOOLTIP_REASONS = 3;

/** Power on's tooltip on a board that cannot boot: the first few reasons, and how many more there are. */
export function refusalTooltip(messages: readonly string[]): string {
  const shown = messages.slice(0, TOOLTIP_REASONS);
  const more = messages.length - shown.length;
  return more > 0 ? [...shown, `…and ${more} more in Diagnostics`].join('\n') : shown.join('\n');
}
