// The Gateway Logs filter as a predicate over rows. Pure (no DOM): unit-tested in Node, run in the webview.
// Cost is what matters here: 100k rows are tested on every filter change, so the predicate is compiled once per
// change and each test is a few comparisons plus `includes` on the row's precomputed lower-case text.
import type { LogRow } from '../../contract/gatewayLogs.ts';
import type { LogLevel } from '../../gatewayLogs/entry.ts';
import { statusClass, type StatusClass } from '../../gatewayLogs/request.ts';

export interface LogFilter {
  /** Rows at this level or above; rows without a level (banners, plain text) only show when no level is chosen. */
  readonly minLevel?: LogLevel;
  /** Any of these classes; empty means any row, request or not. */
  readonly statusClasses: readonly StatusClass[];
  readonly failuresOnly: boolean;
  readonly api?: string;
  readonly pod?: string;
  /** Whitespace-separated terms, all of which must appear (case-insensitive) in the entry's text or pod. */
  readonly text: string;
}

export const EMPTY_FILTER: LogFilter = { statusClasses: [], failuresOnly: false, text: '' };

export const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

export type RowPredicate = (row: LogRow) => boolean;

export function searchTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((term) => term.length > 0);
}

export function isFilterActive(filter: LogFilter): boolean {
  return (
    filter.minLevel !== undefined ||
    filter.statusClasses.length > 0 ||
    filter.failuresOnly ||
    filter.api !== undefined ||
    filter.pod !== undefined ||
    searchTerms(filter.text).length > 0
  );
}

/** The filter as one function; undefined when it lets every row through (so callers can skip the loop). */
export function compileFilter(filter: LogFilter): RowPredicate | undefined {
  if (!isFilterActive(filter)) return undefined;
  const minRank = filter.minLevel !== undefined ? LEVEL_RANK[filter.minLevel] : -1;
  const classes = new Set<StatusClass>(filter.statusClasses);
  const { failuresOnly, api, pod } = filter;
  const terms = searchTerms(filter.text);
  return (row) => {
    if (minRank >= 0 && (row.level === undefined || LEVEL_RANK[row.level] < minRank)) return false;
    if (failuresOnly && !row.failed) return false;
    if (api !== undefined && row.api !== api) return false;
    if (pod !== undefined && row.pod !== pod) return false;
    if (classes.size > 0) {
      const cls = statusClass(row.status);
      if (cls === undefined || !classes.has(cls)) return false;
    }
    for (const term of terms) {
      if (!row.search.includes(term)) return false;
    }
    return true;
  };
}

/**
 * Filter keys of the rows of one appended batch, computed once when the batch is stored, so a filter over a million
 * rows reads small typed arrays instead of calling a closure on a million row objects. Free text is still searched
 * row by row: `includes` on each row's text scans as fast as one search through the batch's texts joined (measured),
 * without a second copy of every text.
 */
export class RowBlock {
  readonly rows: readonly LogRow[];
  /** LEVEL_RANK of the row's level, -1 without one. */
  readonly level: Int8Array;
  /** The status code's hundreds (2 for 2xx), 0 without a valid one. */
  readonly status: Uint8Array;
  readonly failed: Uint8Array;

  constructor(rows: readonly LogRow[]) {
    this.rows = rows;
    const n = rows.length;
    this.level = new Int8Array(n);
    this.status = new Uint8Array(n);
    this.failed = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const row = rows[i] as LogRow;
      this.level[i] = row.level !== undefined ? LEVEL_RANK[row.level] : -1;
      const cls = statusClass(row.status);
      this.status[i] = cls !== undefined ? Number(cls[0]) : 0;
      this.failed[i] = row.failed ? 1 : 0;
    }
  }
}

/** Tests the rows `from` ≤ i < `to` of a block and calls `keep` with each index that passes, in order. */
export type BulkFilter = (block: RowBlock, from: number, to: number, keep: (index: number) => void) => void;

/** The same filter as compileFilter, over blocks: undefined when it lets every row through. */
export function compileBulkFilter(filter: LogFilter): BulkFilter | undefined {
  if (!isFilterActive(filter)) return undefined;
  const minRank = filter.minLevel !== undefined ? LEVEL_RANK[filter.minLevel] : -1;
  const classes = new Uint8Array(10);
  for (const cls of filter.statusClasses) classes[Number(cls[0])] = 1;
  const anyClass = filter.statusClasses.length > 0;
  const { failuresOnly, api, pod } = filter;
  const terms = searchTerms(filter.text);
  return (block, from, to, keep) => {
    const rows = block.rows;
    const { level, failed, status } = block;
    for (let i = from; i < to; i++) {
      if (minRank >= 0 && (level[i] as number) < minRank) continue;
      if (failuresOnly && failed[i] === 0) continue;
      if (anyClass && classes[status[i] as number] === 0) continue;
      const row = rows[i] as LogRow;
      if (api !== undefined && row.api !== api) continue;
      if (pod !== undefined && row.pod !== pod) continue;
      let all = true;
      for (const term of terms) {
        if (!row.search.includes(term)) {
          all = false;
          break;
        }
      }
      if (all) keep(i);
    }
  };
}
