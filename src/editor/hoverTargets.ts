// What is under the cursor on one line of a gateway log: an HTTP status of a request record, a lastError reason, a
// field name, an event name, or the kubelet's / kubectl's prefix, and the hover text for it. Pure (no `vscode`):
// unit tests drive it with real log lines; the hover provider only wraps the Markdown.
import { splitKubeletStamp } from '../kubernetes/kubeletLines.ts';
import type { GatewayLogEntry } from '../gatewayLogs/entry.ts';
import {
  codeSpan,
  escapeMarkdown,
  explainEvent,
  explainField,
  explainReason,
  explainStatus,
  explanationMarkdown,
  isKnownReason,
  type Explanation,
  type StatusField,
} from './explanations.ts';

export type HoverTarget =
  | { readonly kind: 'status'; readonly code: number; readonly field: StatusField; readonly start: number; readonly end: number }
  | { readonly kind: 'reason'; readonly reason: string; readonly start: number; readonly end: number }
  | { readonly kind: 'field'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'event'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'kubeletTime'; readonly raw: string; readonly start: number; readonly end: number }
  | { readonly kind: 'pod'; readonly pod: string; readonly start: number; readonly end: number };

/** Where the gateway's own text starts on a line that may carry `[pod/NAME(/CONTAINER)] ` and a kubelet time. */
export interface LinePrefix {
  readonly pod?: { readonly name: string; readonly start: number; readonly end: number };
  readonly kubeletTime?: { readonly raw: string; readonly start: number; readonly end: number };
  /** Offset of the gateway's text. */
  readonly body: number;
}

export function linePrefix(line: string): LinePrefix {
  let body = 0;
  let pod: LinePrefix['pod'];
  if (line.startsWith('[pod/')) {
    const close = line.indexOf('] ', 5);
    const inner = close > 5 ? line.slice(5, close) : '';
    // Pod and container names never hold spaces or brackets; anything else is not a prefix.
    if (inner && !/[\s[\]]/.test(inner)) {
      const slash = inner.indexOf('/');
      pod = { name: slash < 0 ? inner : inner.slice(0, slash), start: 0, end: close + 1 };
      body = close + 2;
    }
  }
  const stamped = splitKubeletStamp(body === 0 ? line : line.slice(body));
  let kubeletTime: LinePrefix['kubeletTime'];
  if (stamped.time) {
    kubeletTime = { raw: stamped.time.raw, start: body, end: body + stamped.time.raw.length };
    body = line.length - stamped.text.length;
  }
  return { ...(pod ? { pod } : {}), ...(kubeletTime ? { kubeletTime } : {}), body };
}

const STATUS_FIELDS: ReadonlySet<string> = new Set(['responseCode', 'backendResponseCode']);

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** The identifier-like word around `character`, as [start, end); undefined on punctuation or space. */
function wordAt(line: string, character: number): [number, number] | undefined {
  let start = character;
  let end = character;
  if (!isWordChar(line.charCodeAt(character))) {
    // The cursor just after a word (VS Code asks with the position right of the last character too).
    if (character > 0 && isWordChar(line.charCodeAt(character - 1))) start = end = character - 1;
    else return undefined;
  }
  while (start > 0 && isWordChar(line.charCodeAt(start - 1))) start--;
  while (end < line.length && isWordChar(line.charCodeAt(end))) end++;
  return [start, end];
}

/** The key a value belongs to: `key: value`, `key: "value"`, `"key":value`, `"key": "value"`. */
function keyBefore(line: string, valueStart: number, floor: number): string | undefined {
  let p = valueStart - 1;
  if (line[p] === '"') p--;
  while (p >= floor && line[p] === ' ') p--;
  if (line[p] !== ':') return undefined;
  p--;
  if (line[p] === '"') p--;
  const end = p + 1;
  while (p >= floor && isWordChar(line.charCodeAt(p))) p--;
  return end > p + 1 ? line.slice(p + 1, end) : undefined;
}

/** Whether the word is followed by `: ` / `":` — i.e. it is a key, not a value. */
function isKey(line: string, end: number): boolean {
  let p = end;
  if (line[p] === '"') p++;
  return line[p] === ':';
}

export function hoverTargetAt(line: string, character: number): HoverTarget | undefined {
  const prefix = linePrefix(line);
  if (prefix.pod && character >= prefix.pod.start && character < prefix.pod.end) {
    return { kind: 'pod', pod: prefix.pod.name, start: prefix.pod.start, end: prefix.pod.end };
  }
  if (prefix.kubeletTime && character >= prefix.kubeletTime.start && character < prefix.kubeletTime.end) {
    return { kind: 'kubeletTime', raw: prefix.kubeletTime.raw, start: prefix.kubeletTime.start, end: prefix.kubeletTime.end };
  }
  if (character < prefix.body) return undefined;
  const word = wordAt(line, character);
  if (!word || word[0] < prefix.body) return undefined;
  const [start, end] = word;
  const text = line.slice(start, end);

  // `[EventName]`: the bracketed name after the level and time.
  if (line[start - 1] === '[' && line[end] === ']') {
    return explainEvent(text) ? { kind: 'event', name: text, start, end } : undefined;
  }
  if (isKey(line, end)) {
    return explainField(text) ? { kind: 'field', name: text, start, end } : undefined;
  }
  const key = keyBefore(line, start, prefix.body);
  if (key !== undefined && STATUS_FIELDS.has(key) && /^[1-5]\d\d$/.test(text)) {
    return { kind: 'status', code: Number(text), field: key as StatusField, start, end };
  }
  if (key === 'eventType' && explainEvent(text)) return { kind: 'event', name: text, start, end };
  // Outside a `reason` value only the unmistakable names count: `Timeout` is also an ordinary word in messages.
  if (isKnownReason(text) && (key === 'reason' || /[A-Z].*[A-Z]/.test(text))) return { kind: 'reason', reason: text, start, end };
  return undefined;
}

/** The hover's Markdown for a target; `entry` is the entry the line belongs to, when known. */
export function hoverMarkdown(target: HoverTarget, entry: (GatewayLogEntry & { readonly pod?: string }) | undefined): string | undefined {
  let explanation: Explanation | undefined;
  switch (target.kind) {
    case 'status': {
      const request = entry?.request;
      explanation = explainStatus(target.code, {
        field: target.field,
        ...(request?.responseCode !== undefined ? { responseCode: request.responseCode } : {}),
        ...(request?.backendResponseCode !== undefined ? { backendResponseCode: request.backendResponseCode } : {}),
        ...(request?.responseSize !== undefined ? { responseSize: request.responseSize } : {}),
        ...(request?.lastError?.reason !== undefined ? { reason: request.lastError.reason } : {}),
      });
      const reason = request?.lastError?.reason;
      if (explanation && reason !== undefined && target.field === 'responseCode') {
        const known = explainReason(reason);
        const note = known ? `This record's \`lastError.reason\` is **${escapeMarkdown(reason)}**: ${known.body}` : `This record's \`lastError.reason\` is ${escapeMarkdown(reason)}.`;
        explanation = { ...explanation, body: `${explanation.body}\n\n${note}` };
      }
      break;
    }
    case 'reason': {
      explanation = explainReason(target.reason);
      const error = entry?.request?.lastError;
      if (explanation && error?.reason === target.reason) {
        const where = [error.source && `source ${codeSpan(error.source)}`, error.section && `section ${codeSpan(error.section)}`, error.path && `policy ${codeSpan(error.path)}`].filter(Boolean);
        if (where.length > 0) explanation = { ...explanation, body: `${explanation.body} Here: ${where.join(', ')}.` };
      }
      break;
    }
    case 'field':
      explanation = explainField(target.name);
      break;
    case 'event':
      explanation = explainEvent(target.name);
      break;
    case 'kubeletTime':
      return `**Kubelet time** ${codeSpan(target.raw)}\n\nWhen the kubelet received this line from the container (\`kubectl logs --timestamps\`), in UTC. Unlike the gateway's own timestamp it is always complete and in order for one pod.`;
    case 'pod':
      // The prefix may show only the part of the name that tells the pods apart: the entry knows the whole name.
      return `**Pod** ${codeSpan(entry?.pod ?? target.pod)}\n\nThe pod that wrote this line.`;
  }
  return explanation ? explanationMarkdown(explanation) : undefined;
}
