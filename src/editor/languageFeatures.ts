// Folding and hovers for documents in language apim-gateway-log: live documents and saved logs alike.
import * as vscode from 'vscode';
import type { GatewayLogEntry } from '../gatewayLogs/entry.ts';
import type { EntrySource } from './entrySource.ts';
import { foldingRanges } from './folding.ts';
import { hoverMarkdown, hoverTargetAt } from './hoverTargets.ts';

/**
 * The seam for "why did this request fail": given a request record and the document it is in, Markdown that explains
 * this very request (requestAdvisor.ts: src/diagnosis with the gateway's configuration when at hand). Must not
 * prompt, must answer quickly and stop when `token` is cancelled. Undefined when it has nothing to add.
 */
export type RequestAdvisor = (entry: GatewayLogEntry, document: vscode.TextDocument, token: vscode.CancellationToken) => Promise<string | undefined>;

export class GatewayLogFoldingProvider implements vscode.FoldingRangeProvider {
  private readonly source: EntrySource;

  constructor(source: EntrySource) {
    this.source = source;
  }

  async provideFoldingRanges(document: vscode.TextDocument, _context: vscode.FoldingContext, token: vscode.CancellationToken): Promise<vscode.FoldingRange[] | undefined> {
    const spans = await this.source.spans(document, token);
    if (!spans) return undefined;
    return foldingRanges(spans.map((span) => ({ start: span.start, kind: span.kind, lines: span.entry?.raw ?? [''] }))).map(
      (range) => new vscode.FoldingRange(range.start, range.end, range.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined),
    );
  }
}

export class GatewayLogHoverProvider implements vscode.HoverProvider {
  private readonly source: EntrySource;
  private readonly advise: RequestAdvisor | undefined;

  constructor(source: EntrySource, advise?: RequestAdvisor) {
    this.source = source;
    this.advise = advise;
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const line = document.lineAt(position.line).text;
    const target = hoverTargetAt(line, position.character);
    if (!target) return undefined;
    // Only a status needs its record (what else the record says decides what the status means); the rest is the word.
    const span = target.kind === 'status' || target.kind === 'reason' || target.kind === 'pod' ? await this.source.spanAt(document, position.line, token) : undefined;
    if (token.isCancellationRequested) return undefined;
    const markdown = hoverMarkdown(target, span?.entry);
    if (!markdown) return undefined;
    const parts = [markdown];
    const entry = span?.entry;
    if (this.advise && entry?.kind === 'request') {
      const advice = await this.advise(entry, document, token);
      if (token.isCancellationRequested) return undefined;
      if (advice) parts.push(advice);
    }
    // Plain Markdown: no command links, no HTML; log text inside is escaped.
    return new vscode.Hover(new vscode.MarkdownString(parts.join('\n\n---\n\n')), new vscode.Range(position.line, target.start, position.line, target.end));
  }
}
