// Requests over time, stacked by status class, with the p50 and p95 of total time per bucket, drawn on a canvas
// (no DOM per bar, no markup). Colours come from the theme's chart colours.
import { el, setText } from '../shared/dom.ts';
import { formatAxisTime, formatCount, formatMs } from './format.ts';
import { CLASS_LABELS, computeRequestStats, type RequestStats, type RowSource } from './stats.ts';

const HEIGHT = 84;
/** Below the bars: the time axis. */
const AXIS = 14;
/** Above the bars: the scale. */
const LABEL = 12;
const MIN_SLOTS = 60;
const CLASS_VARS = ['--vscode-charts-green', '--vscode-charts-blue', '--vscode-charts-yellow', '--vscode-charts-red', '--vscode-descriptionForeground'];
const FALLBACK = ['#89d185', '#3794ff', '#cca700', '#f14c4c', '#8b8b8b'];

export class RequestChart {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly summary: HTMLSpanElement;
  private stats: RequestStats | undefined;

  constructor() {
    this.canvas = el('canvas', { attrs: { role: 'img', 'aria-label': 'Requests over time by status class' } });
    this.canvas.height = HEIGHT;
    this.summary = el('span', { className: 'chart-summary', attrs: { 'aria-live': 'polite' } });
    const legend = el(
      'span',
      { className: 'legend' },
      CLASS_LABELS.slice(0, 4).map((label, i) => el('span', { className: `key k${i}`, text: label }, [])).concat([
        el('span', { className: 'key p50', text: 'p50' }),
        el('span', { className: 'key p95', text: 'p95' }),
      ]),
    );
    this.element = el('div', { className: 'chart' }, [this.canvas, el('div', { className: 'chart-text' }, [this.summary, legend])]);
    new ResizeObserver(() => this.draw()).observe(this.element);
  }

  update(rows: RowSource): void {
    const width = this.canvas.clientWidth || 600;
    this.stats = computeRequestStats(rows, Math.max(10, Math.floor(width / 8)));
    const s = this.stats;
    const byClass = CLASS_LABELS.map((label, i) => `${label} ${formatCount(s.counts[i] ?? 0)}`).filter((_, i) => i < 4 || (s.counts[4] ?? 0) > 0);
    setText(
      this.summary,
      s.requests === 0
        ? 'No requests in view'
        : `${formatCount(s.requests)} requests · ${byClass.join(' · ')} · p50 ${formatMs(s.p50)} · p95 ${formatMs(s.p95)}`,
    );
    this.draw();
  }

  private draw(): void {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    if (width === 0) return;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(HEIGHT * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(HEIGHT * ratio);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    const stats = this.stats;
    if (!stats || stats.buckets.length === 0) return;
    const style = getComputedStyle(document.body);
    const colour = (i: number): string => style.getPropertyValue(CLASS_VARS[i] ?? '').trim() || FALLBACK[i] || '#888';
    const foreground = style.getPropertyValue('--vscode-descriptionForeground').trim() || '#999';
    // Labels sit above and below the bars, never on them.
    const plotTop = LABEL;
    const plotHeight = HEIGHT - AXIS;
    const buckets = stats.buckets;
    // A short log (or a tail that just started) fills the chart from the left rather than drawing a few wide bars.
    const barWidth = width / Math.max(buckets.length, MIN_SLOTS);
    let maxCount = 1;
    let maxLatency = 1;
    for (const b of buckets) {
      maxCount = Math.max(maxCount, b.total);
      maxLatency = Math.max(maxLatency, b.p95 ?? 0);
    }
    buckets.forEach((b, i) => {
      let y = plotHeight;
      for (let c = 0; c < 5; c++) {
        const n = b.counts[c] ?? 0;
        if (n === 0) continue;
        const h = (n / maxCount) * (plotHeight - plotTop);
        ctx.fillStyle = colour(c);
        ctx.fillRect(i * barWidth + 0.5, y - h, Math.max(1, barWidth - 1), h);
        y -= h;
      }
    });
    // Latency lines share the plot on their own scale (labelled with the maximum on the right).
    const line = (key: 'p50' | 'p95', dash: number[]): void => {
      ctx.beginPath();
      ctx.setLineDash(dash);
      ctx.strokeStyle = foreground;
      ctx.lineWidth = 1;
      let started = false;
      buckets.forEach((b, i) => {
        const v = b[key];
        if (v === undefined) {
          started = false;
          return;
        }
        const x = i * barWidth + barWidth / 2;
        const y = plotHeight - (v / maxLatency) * (plotHeight - plotTop);
        if (started) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
        started = true;
      });
      ctx.stroke();
    };
    line('p50', [2, 2]);
    line('p95', []);
    ctx.setLineDash([]);
    ctx.fillStyle = foreground;
    ctx.font = '10px sans-serif';
    ctx.textBaseline = 'bottom';
    const step = stats.step ?? 1000;
    const first = buckets[0];
    const last = buckets[buckets.length - 1];
    const firstText = first ? formatAxisTime(first.start, step) : '';
    if (first) ctx.fillText(firstText, 2, HEIGHT);
    if (last && buckets.length > 1) {
      const text = formatAxisTime(last.start, step);
      const x = Math.min(width - ctx.measureText(text).width - 2, (buckets.length - 1) * barWidth);
      if (x > ctx.measureText(firstText).width + 12) ctx.fillText(text, x, HEIGHT);
    }
    ctx.textBaseline = 'top';
    const peak = `max ${formatCount(maxCount)}/${formatAxisStep(step)} · p95 max ${formatMs(maxLatency)}`;
    ctx.fillText(peak, width - ctx.measureText(peak).width - 2, 0);
  }
}

function formatAxisStep(step: number): string {
  if (step < 60_000) return `${step / 1000}s`;
  if (step < 3_600_000) return `${step / 60_000}m`;
  if (step < 86_400_000) return `${step / 3_600_000}h`;
  return `${step / 86_400_000}d`;
}
