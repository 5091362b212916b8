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
