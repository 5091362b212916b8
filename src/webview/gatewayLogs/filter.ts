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
 * rows reads small typed arrays instead of calling a closure on a million row objects.
 *
 * Free text: a bit-sliced signature of the character trigrams of each row's search text. Each trigram sets one of
 * SIGNATURE_BITS bits; bit b of all the block's rows is one column of `words` words (row i at bit i & 31 of word
 * i >>> 5). A term can only be in a row that has every bit of the term's trigrams, so a filter ANDs a few columns
 * (32 rows a word) and reads the text of the rows left. Trigrams, not character pairs: a ~500-character row holds
 * most pairs of any term (a pair signature let through ~6× more rows than held "retrieve-resource", and reading
 * their text was most of a filter's time). Trigrams found in half the rows of a sample of the block (the boilerplate
 * every line repeats) set no bit: they would fill the signature and rule out almost nothing; a term's trigram that
 * is one of them is simply not required of the block's rows.
 */
export class RowBlock {
  readonly rows: readonly LogRow[];
  /** LEVEL_RANK of the row's level, -1 without one. */
  readonly level: Int8Array;
  /** The status code's hundreds (2 for 2xx), 0 without a valid one. */
  readonly status: Uint8Array;
  readonly failed: Uint8Array;
  /** Words per signature column: one bit a row. */
  readonly words: number;
  /** SIGNATURE_BITS columns of `words` words each. */
  readonly trigrams: Uint32Array;
  /** The trigram keys (see trigramKeys) left out of this block's signature, ascending. */
  readonly frequent: Int32Array;

  constructor(rows: readonly LogRow[]) {
    this.rows = rows;
    const n = rows.length;
    this.level = new Int8Array(n);
    this.status = new Uint8Array(n);
    this.failed = new Uint8Array(n);
    this.words = (n + 31) >>> 5;
    this.trigrams = new Uint32Array(SIGNATURE_BITS * this.words);
    this.frequent = frequentTrigrams(rows);
    const skip = scratchBitmap(this.frequent);
    for (let i = 0; i < n; i++) {
      const row = rows[i] as LogRow;
      addTrigrams(this.trigrams, this.words, i, row.search, skip);
      this.level[i] = row.level !== undefined ? LEVEL_RANK[row.level] : -1;
      const cls = statusClass(row.status);
      this.status[i] = cls !== undefined ? Number(cls[0]) : 0;
      this.failed[i] = row.failed ? 1 : 0;
    }
    clearScratchBitmap(skip, this.frequent);
  }
}

/** 512 bits a row (64 bytes, as many as the pair signature had). */
const SIGNATURE_BITS = 512;
const SIGNATURE_SHIFT = 32 - 9;
/** Trigram keys: three 7-bit character codes (exact for ASCII; other characters fold into the same 21 bits). */
const KEY_BITS = 21;
const KEY_MASK = (1 << KEY_BITS) - 1;
/** Rows of a block sampled for its frequent trigrams; blocks smaller than MIN_SAMPLE leave none out. */
const SAMPLE_ROWS = 64;
const MIN_SAMPLE = 16;

function column(key: number): number {
  const h = Math.imul(key, 0x9e3779b1);
  return Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> SIGNATURE_SHIFT;
}

/** Calls `visit` with the key of each trigram of `text` (the one ending at each character from the third on). */
function forEachTrigram(text: string, visit: (key: number) => void): void {
  let key = (text.charCodeAt(0) << 7) ^ text.charCodeAt(1);
  for (let k = 2; k < text.length; k++) {
    key = ((key << 7) ^ text.charCodeAt(k)) & KEY_MASK;
    visit(key);
  }
}

// Scratch space shared by every block build (the webview has one thread), all zero between builds: per key, how
// many sampled rows hold it and the last sampled row (1-based) that counted it; a bit per key left out.
let counts: Uint8Array | undefined;
let lastRow: Uint8Array | undefined;
let bitmap: Uint32Array | undefined;

/** Keys found in the text of at least half of a sample of the rows, ascending. */
function frequentTrigrams(rows: readonly LogRow[]): Int32Array {
  const n = rows.length;
  const sample = Math.min(n, SAMPLE_ROWS);
  if (sample < MIN_SAMPLE) return new Int32Array(0);
  const count = (counts ??= new Uint8Array(1 << KEY_BITS));
  const last = (lastRow ??= new Uint8Array(1 << KEY_BITS));
  const touched: number[] = [];
  for (let s = 1; s <= sample; s++) {
    const text = (rows[Math.floor(((s - 1) * n) / sample)] as LogRow).search;
    forEachTrigram(text, (key) => {
      if (last[key] === s) return;
      if (last[key] === 0) touched.push(key);
      last[key] = s;
      count[key] = (count[key] as number) + 1;
    });
  }
  const frequent: number[] = [];
  for (const key of touched) {
    if ((count[key] as number) * 2 >= sample) frequent.push(key);
    count[key] = 0;
    last[key] = 0;
  }
  return Int32Array.from(frequent).sort();
}

function scratchBitmap(keys: Int32Array): Uint32Array {
  bitmap ??= new Uint32Array(1 << (KEY_BITS - 5));
  for (const key of keys) bitmap[key >>> 5] = (bitmap[key >>> 5] as number) | (1 << (key & 31));
  return bitmap;
}

function clearScratchBitmap(map: Uint32Array, keys: Int32Array): void {
  for (const key of keys) map[key >>> 5] = 0;
}

function addTrigrams(columns: Uint32Array, words: number, row: number, text: string, skip: Uint32Array): void {
  // forEachTrigram without the callback: this runs on every character of every row stored.
  const word = row >>> 5;
  const bit = 1 << (row & 31);
  let key = (text.charCodeAt(0) << 7) ^ text.charCodeAt(1);
  for (let k = 2; k < text.length; k++) {
    key = ((key << 7) ^ text.charCodeAt(k)) & KEY_MASK;
    if (((skip[key >>> 5] as number) & (1 << (key & 31))) !== 0) continue;
    const at = column(key) * words + word;
    columns[at] = (columns[at] as number) | bit;
  }
}

function contains(sorted: Int32Array, key: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === key;
}

/** The distinct trigram keys of the terms (terms under 3 characters have none: their rows are read). */
function termKeys(terms: readonly string[]): number[] {
  const keys = new Set<number>();
  for (const term of terms) forEachTrigram(term, (key) => keys.add(key));
  return [...keys];
}

/** The signature columns a row of `block` must have: the columns of the keys the block did not leave out. */
function blockColumns(keys: readonly number[], block: RowBlock): Int32Array {
  const columns = new Set<number>();
  for (const key of keys) if (!contains(block.frequent, key)) columns.add(column(key));
  return Int32Array.from(columns);
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
  // The longest term first: it is the least likely to be in a row, and the quickest to look for.
  const terms = searchTerms(filter.text).sort((x, y) => y.length - x.length);
  const keys = termKeys(terms);
  const test = (block: RowBlock, i: number): boolean => {
    if (minRank >= 0 && (block.level[i] as number) < minRank) return false;
    if (failuresOnly && block.failed[i] === 0) return false;
    if (anyClass && classes[block.status[i] as number] === 0) return false;
    const row = block.rows[i] as LogRow;
    if (api !== undefined && row.api !== api) return false;
    if (pod !== undefined && row.pod !== pod) return false;
    for (const term of terms) if (!row.search.includes(term)) return false;
    return true;
  };
  return (block, from, to, keep) => {
    if (from >= to) return;
    const needed = blockColumns(keys, block);
    if (needed.length === 0) {
      // The keys first, inline: most rows of a level or status filter stop here, without a call.
      const { level, failed, status } = block;
      for (let i = from; i < to; i++) {
        if (minRank >= 0 && (level[i] as number) < minRank) continue;
        if (failuresOnly && failed[i] === 0) continue;
        if (anyClass && classes[status[i] as number] === 0) continue;
        if (test(block, i)) keep(i);
      }
      return;
    }
    const { trigrams, words } = block;
    for (let w = from >>> 5, lastWord = (to - 1) >>> 5; w <= lastWord; w++) {
      // The rows of this word that have every column, limited to [from, to).
      let candidates = w === from >>> 5 ? -1 << (from & 31) : -1;
      if (w === lastWord && (to & 31) !== 0) candidates &= (1 << (to & 31)) - 1;
      for (let k = 0; k < needed.length && candidates !== 0; k++) candidates &= trigrams[(needed[k] as number) * words + w] as number;
      while (candidates !== 0) {
        const low = candidates & -candidates;
        const i = (w << 5) + 31 - Math.clz32(low);
        candidates ^= low;
        if (test(block, i)) keep(i);
      }
    }
  };
}
