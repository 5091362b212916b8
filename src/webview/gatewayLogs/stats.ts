// Requests over time by status class, with latency percentiles, for the chart. Pure (no DOM).
import type { LogRow } from '../../contract/gatewayLogs.ts';

/** Nearest-rank percentile of ascending values (p in 0–100): the smallest value with at least p% of values ≤ it. */
export function percentile(sorted: ArrayLike<number>, p: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  if (p <= 0) return sorted[0];
  const rank = Math.ceil((Math.min(p, 100) / 100) * n);
  return sorted[Math.min(n, Math.max(1, rank)) - 1];
}

export type ClassIndex = 0 | 1 | 2 | 3 | 4;
/** 2xx, 3xx, 4xx, 5xx, then anything else (1xx, 0 for an aborted call, no code). */
export const CLASS_LABELS = ['2xx', '3xx', '4xx', '5xx', 'other'] as const;

export function classIndex(status: number | undefined): ClassIndex {
  if (status === undefined || status < 200 || status > 599) return 4;
  return (Math.floor(status / 100) - 2) as ClassIndex;
}

export interface Bucket {
  readonly start: number;
  readonly end: number;
  /** Requests per class, in CLASS_LABELS order. */
  readonly counts: readonly [number, number, number, number, number];
  readonly total: number;
  readonly p50?: number;
  readonly p95?: number;
}

export interface RequestStats {
  readonly requests: number;
  /** Requests without a usable time: counted in the totals and percentiles, not in any bucket. */
  readonly untimed: number;
  readonly counts: readonly [number, number, number, number, number];
  readonly p50?: number;
  readonly p95?: number;
  readonly from?: number;
  readonly to?: number;
  readonly step?: number;
  readonly buckets: readonly Bucket[];
}

/** Something indexable, so a filtered view is read in place rather than copied. */
export interface RowSource {
  readonly length: number;
  at(index: number): LogRow | undefined;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY,
];

/** A round bucket width giving at most `maxBuckets` buckets over `span` ms (axis labels read as whole units). */
export function bucketStep(span: number, maxBuckets: number): number {
  const wanted = span / Math.max(1, maxBuckets);
  for (const step of STEPS) if (step >= wanted) return step;
  return Math.ceil(wanted / DAY) * DAY;
}

export function computeRequestStats(rows: RowSource, maxBuckets: number): RequestStats {
  let requests = 0;
  let untimed = 0;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  const totals: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  const latencies: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows.at(i);
    if (!row || row.kind !== 'request') continue;
    requests++;
    totals[classIndex(row.status)]++;
    if (row.totalTime !== undefined) latencies.push(row.totalTime);
    if (row.time === undefined) {
      untimed++;
      continue;
    }
    // Gateway logs are not guaranteed to be in time order: the range is a min/max, not first/last.
    if (row.time < from) from = row.time;
    if (row.time > to) to = row.time;
  }
  const overall = Float64Array.from(latencies).sort();
  const base = { requests, untimed, counts: totals, p50: percentile(overall, 50), p95: percentile(overall, 95) };
  if (requests - untimed === 0) return { ...base, buckets: [] };

  const step = bucketStep(to - from + 1, maxBuckets);
  const start = Math.floor(from / step) * step;
  const count = Math.floor((to - start) / step) + 1;
  const counts = Array.from({ length: count }, () => [0, 0, 0, 0, 0] as [number, number, number, number, number]);
  const bucketLatencies = Array.from({ length: count }, () => [] as number[]);
  for (let i = 0; i < rows.length; i++) {
    const row = rows.at(i);
    if (!row || row.kind !== 'request' || row.time === undefined) continue;
    const b = Math.floor((row.time - start) / step);
    const bucket = counts[b];
    if (!bucket) continue;
    bucket[classIndex(row.status)]++;
    if (row.totalTime !== undefined) bucketLatencies[b]?.push(row.totalTime);
  }
  const buckets: Bucket[] = counts.map((c, b) => {
    const sorted = Float64Array.from(bucketLatencies[b] ?? []).sort();
    const bucket: { -readonly [K in keyof Bucket]: Bucket[K] } = {
      start: start + b * step,
      end: start + (b + 1) * step,
      counts: c,
      total: c[0] + c[1] + c[2] + c[3] + c[4],
    };
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    if (p50 !== undefined) bucket.p50 = p50;
    if (p95 !== undefined) bucket.p95 = p95;
    return bucket;
  });
  return { ...base, from, to, step, buckets };
}
