// What the Test Request view shows, as a tree of plain nodes (tag, class, text): pure, so a test can prove that a
// response body carrying markup stays text. main.ts turns the tree into DOM with textContent only.
import type { TestRequestResult } from '../../contract/testRequest.ts';

export interface ViewNode {
  readonly tag: 'section' | 'h2' | 'h3' | 'div' | 'span' | 'pre' | 'table' | 'tr' | 'td' | 'th' | 'button' | 'p';
  readonly className?: string;
  readonly text?: string;
  readonly children?: readonly ViewNode[];
  /** For buttons: what clicking asks the host to do. */
  readonly action?: { readonly kind: 'fix'; readonly finding: number; readonly fix: number } | { readonly kind: 'retry' };
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** JSON indented, XML one element per line; anything else (HTML included) exactly as it came. */
export function prettyBody(body: string, contentType = ''): string {
  const trimmed = body.trim();
  if (/json/i.test(contentType) || /^[[{]/.test(trimmed)) {
    try {
      return JSON.stringify(JSON.parse(trimmed), null, 2);
    } catch {
      return body;
    }
  }
  if (/xml/i.test(contentType) && trimmed.startsWith('<')) return prettyXml(trimmed);
  return body;
}

function prettyXml(xml: string): string {
  const parts = xml.replace(/>\s*</g, '>\n<').split('\n');
  let depth = 0;
  const out: string[] = [];
  for (const part of parts) {
    if (/^<\//.test(part)) depth = Math.max(0, depth - 1);
    out.push('  '.repeat(depth) + part);
    if (/^<[^!?/][^>]*>$/.test(part) && !part.endsWith('/>')) depth++;
  }
  return out.join('\n');
}

const text = (tag: ViewNode['tag'], value: string, className?: string): ViewNode => ({ tag, text: value, ...(className ? { className } : {}) });

function table(rows: readonly (readonly [string, string])[], className = 'kv'): ViewNode {
  return { tag: 'table', className, children: rows.map(([k, v]) => ({ tag: 'tr', children: [text('th', k), text('td', v)] })) };
}

/** `live`: the latest result of this view, whose fixes can be acted on; an earlier one from the history is to read. */
export function resultView(result: TestRequestResult, attempt: number, live = true): ViewNode[] {
  const r = result.response;
  const summary: ViewNode = {
    tag: 'section',
    className: 'summary',
    children: [
      text('h2', r.kind === 'http' ? `${r.status}` : `No response: ${r.error}`, r.kind === 'http' ? (r.status < 400 ? 'status ok' : 'status fail') : 'status fail'),
      text('div', `${result.method} ${result.url}`, 'url'),
      table([
        ['Transport', result.transport],
        ['Sent', result.sentAt],
        ['Time', result.durationMs !== undefined ? `${result.durationMs} ms` : 'unknown'],
        ['Subscription key', result.keySent ? 'sent (hidden)' : 'none'],
        ...(live ? [['Attempt', String(attempt)] as const] : []),
      ]),
      text('pre', result.description, 'command'),
      ...(live ? [{ tag: 'button', text: 'Retry', className: 'btn', action: { kind: 'retry' } } satisfies ViewNode] : [text('p', 'An earlier request from the history: its values are in the form; Send to try it again.', 'note')]),
    ],
  };
  const findings: ViewNode = {
    tag: 'section',
    className: 'findings',
    children: [
      text('h3', result.findings.length ? 'Why' : 'Diagnosis: nothing to report'),
      ...result.findings.map((f, i): ViewNode => ({
        tag: 'div',
        className: `finding ${f.severity}`,
        children: [
          text('div', `${f.title} (${f.code})`, 'title'),
          text('p', f.explanation),
          table(f.evidence.map((e) => [e.label, e.value] as const), 'kv evidence'),
          ...f.fixes.map((fix, j): ViewNode => (fix.actionable && live ? { tag: 'button', text: fix.label, className: 'btn fix', action: { kind: 'fix', finding: i, fix: j } } : text('span', fix.label, 'fix-info'))),
        ],
      })),
    ],
  };
  const response: ViewNode =
    r.kind === 'http'
      ? {
          tag: 'section',
          className: 'response',
          children: [text('h3', `Response headers (${r.headers.length})`), table(r.headers), text('h3', `Body (${formatSize(r.bodySize)})`), text('pre', prettyBody(r.body, r.contentType), 'body')],
        }
      : { tag: 'section', className: 'response', children: [text('h3', 'Transport error'), text('pre', r.message, 'body')] };
  const rec = result.record;
  const record: ViewNode = {
    tag: 'section',
    className: 'record',
    children: rec
      ? [
          text('h3', `Gateway request record${recordPlace(rec.pod, rec.line)}`),
          table(rec.fields),
          ...(rec.lastError ? [text('h3', 'lastError'), text('pre', rec.lastError, 'body')] : []),
        ]
      : [text('h3', 'Gateway request record'), text('p', `No matching record found after ${Math.round(result.recordSearch.searchedMs / 100) / 10} s (${result.recordSearch.seen} request records seen).`)],
  };
  return [summary, findings, response, record];
}

/** ` (pod P, line N)`: the line as `kubectl logs P` numbers it, left out when not known. */
function recordPlace(pod: string | undefined, line: number | undefined): string {
  const parts = [...(pod ? [`pod ${pod}`] : []), ...(line !== undefined ? [`line ${line}`] : [])];
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
