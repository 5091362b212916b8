// Text for the table and the chart. Pure (no DOM). Times are shown in UTC: gateway logs are UTC, and a log read on
// another machine must show the same times as the cluster's own tools.

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `06-03 15:25:37.815` (UTC). */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** `2021-06-03T15:25:37.815Z`. */
export function formatIsoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** `15:25` / `15:25:37` depending on the chart's step. */
export function formatAxisTime(ms: number, step: number): string {
  const d = new Date(ms);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (step >= 24 * 3600_000) return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return step < 60_000 ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
}

const counter = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return counter.format(n);
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms)} ms`;
}
