// The entries behind a document in language apim-gateway-log, for folding and hovers: a live document's own model
// when it matches the document's text, otherwise the text parsed the way "Open Log File" reads a saved log (kubectl
// prefixes and kubelet times understood), cached per document version.
import type * as vscode from 'vscode';
import { createFileLogSession } from '../logSessions/fileSession.ts';
import type { DocumentSpan } from './documentModel.ts';
import type { LiveLogDocument } from './liveDocument.ts';

export interface EntrySource {
  /** Every entry and notice in document order, or undefined when cancelled. */
  spans(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<readonly DocumentSpan[] | undefined>;
  spanAt(document: vscode.TextDocument, line: number, token: vscode.CancellationToken): Promise<DocumentSpan | undefined>;
}

interface Parsed {
  readonly version: number;
  readonly spans: Promise<readonly DocumentSpan[] | undefined>;
}

export class DocumentEntrySource implements EntrySource {
  private readonly live: (uri: vscode.Uri) => LiveLogDocument | undefined;
  private readonly parsed = new Map<string, Parsed>();

  constructor(live: (uri: vscode.Uri) => LiveLogDocument | undefined) {
    this.live = live;
  }

  async spans(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<readonly DocumentSpan[] | undefined> {
    const live = this.live(document.uri);
    if (live && live.committedVersion === document.version) return [...live.model.spans()];
    return this.parse(document, token);
  }

  async spanAt(document: vscode.TextDocument, line: number, token: vscode.CancellationToken): Promise<DocumentSpan | undefined> {
    const live = this.live(document.uri);
    if (live && live.committedVersion === document.version) return live.model.spanAt(line);
    const spans = await this.parse(document, token);
    if (!spans) return undefined;
    let lo = 0;
    let hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const span = spans[mid] as DocumentSpan;
      if (line < span.start) hi = mid - 1;
      else if (line >= span.start + span.lineCount) lo = mid + 1;
      else return span;
    }
    return undefined;
  }

  forget(uri: vscode.Uri): void {
    this.parsed.delete(uri.toString());
  }

  private parse(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<readonly DocumentSpan[] | undefined> {
    const key = document.uri.toString();
    const cached = this.parsed.get(key);
    if (cached && cached.version === document.version) return cached.spans;
    const spans = parseSpans(document.getText(), document.lineCount, token);
    this.parsed.set(key, { version: document.version, spans });
    // A cancelled parse must not be served to the next request.
    void spans.then((result) => {
      if (result === undefined && this.parsed.get(key)?.spans === spans) this.parsed.delete(key);
    });
    return spans;
  }
}

/**
 * Entries of a saved log with the line each starts on. A file that interleaves pods (`kubectl logs --prefix` of a
 * Deployment) can split one entry's lines around another pod's lines; such entries are left out rather than given
 * a span that would fold or explain the other pod's lines.
 */
async function parseSpans(text: string, lineCount: number, token: vscode.CancellationToken): Promise<readonly DocumentSpan[] | undefined> {
  const session = createFileLogSession('document', text, { maxEntries: Math.max(1, lineCount + 1) });
  const stop = token.onCancellationRequested(() => session.dispose());
  try {
    await session.loaded;
    if (token.isCancellationRequested) return undefined;
    const entries = [...session.snapshot()].sort((a, b) => a.line - b.line);
    const spans: DocumentSpan[] = [];
    let coveredTo = -1;
    for (const entry of entries) {
      const start = entry.line - 1;
      const span: DocumentSpan = { start, lineCount: Math.max(1, entry.raw.length), kind: entry.kind, entry };
      if (start <= coveredTo) {
        // Overlaps the previous entry's assumed lines: both are interleaved, neither span can be trusted.
        const previous = spans[spans.length - 1];
        if (previous && previous.start + previous.lineCount - 1 >= start) spans.pop();
        coveredTo = Math.max(coveredTo, start + span.lineCount - 1);
        continue;
      }
      spans.push(span);
      coveredTo = start + span.lineCount - 1;
    }
    return spans;
  } finally {
    stop.dispose();
    session.dispose();
  }
}
