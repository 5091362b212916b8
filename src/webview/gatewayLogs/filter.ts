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
 * rows reads small typed arrays instead of calling a closure on a million row objects. Free text: each row has a
 * signature of the character pairs in its search text (SIGNATURE_BITS bits); a term can only be in a row whose
 * signature holds all of the term's pairs, so most rows are ruled out by a few bit tests and `includes` scans only
 * the rest (scanning every row's ~500 characters is what made a text filter cost ~200 ms per million rows).
 */
export class RowBlock {
  readonly rows: readonly LogRow[];
  /** LEVEL_RANK of the row's level, -1 without one. */
  readonly level: Int8Array;
  /** The status code's hundreds (2 for 2xx), 0 without a valid one. */
  readonly status: Uint8Array;
  readonly failed: Uint8Array;
  /** Row i's character-pair signature: SIGNATURE_WORDS words from i × SIGNATURE_WORDS. */
  readonly pairs: Uint32Array;

  constructor(rows: readonly LogRow[]) {
    this.rows = rows;
    const n = rows.length;
    this.level = new Int8Array(n);
    this.status = new Uint8Array(n);
    this.failed = new Uint8Array(n);
    this.pairs = new Uint32Array(n * SIGNATURE_WORDS);
    for (let i = 0; i < n; i++) {
      const row = rows[i] as LogRow;
      addPairs(this.pairs, i * SIGNATURE_WORDS, row.search);
      this.level[i] = row.level !== undefined ? LEVEL_RANK[row.level] : -1;
      const cls = statusClass(row.status);
      this.status[i] = cls !== undefined ? Number(cls[0]) : 0;
      this.failed[i] = row.failed ? 1 : 0;
    }
  }
}

/** 512 bits a row (64 bytes): ~500 characters of text set about half of them, so a term of 8 characters rules out ~99% of the rows without it. */
const SIGNATURE_WORDS = 16;
const SIGNATURE_MASK = SIGNATURE_WORDS * 32 - 1;

function pairBit(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 7;
}

function addPairs(words: Uint32Array, at: number, text: string): void {
  let previous = text.charCodeAt(0);
  for (let k = 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    const bit = pairBit(previous, c) & SIGNATURE_MASK;
    words[at + (bit >>> 5)] = (words[at + (bit >>> 5)] as number) | (1 << (bit & 31));
    previous = c;
  }
}

/** The pairs of every term as (word, bit mask) pairs to test, deduplicated. */
function termPairs(terms: readonly string[]): { words: Int32Array; masks: Int32Array } {
  const signature = new Uint32Array(SIGNATURE_WORDS);
  for (const term of terms) addPairs(signature, 0, term);
  const words: number[] = [];
  const masks: number[] = [];
  signature.forEach((mask, word) => {
    if (mask !== 0) {
      words.push(word);
      masks.push(mask | 0);
    }
  });
  return { words: Int32Array.from(words), masks: Int32Array.from(masks) };
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
  const need = termPairs(terms);
  const needed = need.words.length;
  return (block, from, to, keep) => {
    const rows = block.rows;
    const { level, failed, status, pairs } = block;
    rows: for (let i = from; i < to; i++) {
      if (minRank >= 0 && (level[i] as number) < minRank) continue;
      if (failuresOnly && failed[i] === 0) continue;
      if (anyClass && classes[status[i] as number] === 0) continue;
      const at = i * SIGNATURE_WORDS;
      for (let k = 0; k < needed; k++) {
        const mask = need.masks[k] as number;
        if (((pairs[at + (need.words[k] as number)] as number) & mask) !== mask) continue rows;
      }
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
