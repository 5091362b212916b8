// Folding ranges of a gateway log from its entries (not from indentation: a request record's lastError JSON is
// indented, but the line that opens it is not, and ASCII-art banners are indented at random). Pure: no `vscode`.
import type { EntryKind } from '../gatewayLogs/entry.ts';

export interface FoldSpan {
  /** 0-based first line of the entry in the document. */
  readonly start: number;
  /** The entry's lines without any kubectl/kubelet prefix (a bracket must be found after the prefix). */
  readonly lines: readonly string[];
  readonly kind: EntryKind | 'notice';
}

export interface FoldRange {
  readonly start: number;
  readonly end: number;
  /** `comment` for banners and other runs of plain text, so "Fold All Block Comments" folds them. */
  readonly kind?: 'comment';
}

/**
 * - every entry of several lines folds (a request record with its lastError / errors JSON, an exception with its
 *   stack trace);
 * - inside one, a JSON object or array opened at the end of a continuation line folds to the line before its
 *   closing bracket (the `errors: [` block after `lastError`);
 * - a run of plain-text entries (the start-up banner, licence text, ASP.NET's lines) folds as one comment block.
 * Spans must come in document order and not overlap.
 */
export function foldingRanges(spans: Iterable<FoldSpan>): FoldRange[] {
  const out: FoldRange[] = [];
  let runStart = -1;
  let runEnd = -1;
  const closeRun = (): void => {
    if (runStart >= 0 && runEnd > runStart) out.push({ start: runStart, end: runEnd, kind: 'comment' });
    runStart = runEnd = -1;
  };
  for (const span of spans) {
    const count = span.lines.length;
    const end = span.start + Math.max(1, count) - 1;
    if (span.kind === 'text') {
      if (runStart >= 0 && span.start === runEnd + 1) runEnd = end;
      else {
        closeRun();
        runStart = span.start;
        runEnd = end;
      }
      // A multi-line text entry inside a run would start on the same line as the run: only the outer one can fold.
      if (span.start !== runStart && end > span.start) out.push({ start: span.start, end });
      continue;
    }
    closeRun();
    if (end > span.start) {
      out.push({ start: span.start, end });
      nestedBrackets(span, out);
    }
  }
  closeRun();
  return out;
}

/** `{` / `[` ending a continuation line, closed by a line starting with `}` / `]`. */
function nestedBrackets(span: FoldSpan, out: FoldRange[]): void {
  const open: number[] = [];
  for (let i = 1; i < span.lines.length; i++) {
    const line = span.lines[i] ?? '';
    const first = firstNonSpace(line);
    if ((first === '}' || first === ']') && open.length > 0) {
      const from = open.pop() as number;
      // The closing line stays visible, as with JSON folding in VS Code.
      if (i - 1 > from) out.push({ start: span.start + from, end: span.start + i - 1 });
    }
    const last = lastNonSpace(line);
    if (last === '{' || last === '[') open.push(i);
  }
}

function firstNonSpace(line: string): string | undefined {
  for (let i = 0; i < line.length; i++) if (line[i] !== ' ' && line[i] !== '\t') return line[i];
  return undefined;
}

function lastNonSpace(line: string): string | undefined {
  for (let i = line.length - 1; i >= 0; i--) if (line[i] !== ' ' && line[i] !== '\t') return line[i];
  return undefined;
}
