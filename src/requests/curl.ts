// The curl side of the curl-pod transport: the command line, its masked form for display, and reading what
// `curl -sS -i` printed back into a response. Pure.
import type { HttpResponse, TransportErrorKind } from '../diagnosis/types.ts';
import { SUBSCRIPTION_KEY_HEADER, type BuiltRequest } from './types.ts';

/** Printed by `-w` after the body, so the transfer time arrives in the same ordered stream as the response. */
export const TIMING_MARKER = '__ARC_APIM_TIMING__';

export const MASK = '***';

/** `-sS -i -m <timeout> …`; `-k` for https: the gateway's in-cluster certificate is rarely one the pod trusts. */
export function curlArgs(request: BuiltRequest, timeoutSeconds: number): string[] {
  const args = ['-sS', '-i', '-m', String(Math.max(1, Math.round(timeoutSeconds))), '-X', request.method];
  if (request.endpoint.scheme === 'https') args.push('-k');
  for (const [name, value] of request.headers) args.push('-H', `${name}: ${value}`);
  if (request.subscriptionKey) args.push('-H', `${SUBSCRIPTION_KEY_HEADER}: ${request.subscriptionKey}`);
  if (request.body !== undefined) args.push('--data-binary', request.body);
  args.push('-w', `\\n${TIMING_MARKER} %{time_total}`, request.url);
  return args;
}

/** The args as they may be shown: the subscription key's value (and anything equal to it) masked. */
export function maskCurlArgs(args: readonly string[], secret?: string): string[] {
  return args.map((arg) => {
    let out = arg.replace(/^(ocp-apim-subscription-key:\s*).*$/i, `$1${MASK}`);
    out = out.replace(/([?&]subscription-key=)[^&#]*/gi, `$1${MASK}`);
    if (secret) out = out.split(secret).join(MASK);
    return out;
  });
}

/** The environment variable the curl pod's shell reads the subscription key from (filled from a Secret). */
export const KEY_ENV = 'APIM_KEY';

/**
 * The script for `sh -c` that runs curl with these args, for the curl pod when a key is sent: every occurrence of the
 * key is replaced by `"$APIM_KEY"`, expanded by the shell at run time, so the key is never written into the pod's
 * spec; everything else is a literal single-quoted word. `exec`: curl's exit code is the container's.
 */
export function curlScript(args: readonly string[], secret?: string): string {
  const word = (arg: string): string => {
    const pieces = secret ? arg.split(secret) : [arg];
    return pieces.map((piece, i) => (i > 0 ? `"$${KEY_ENV}"` : '') + (piece === '' ? '' : shellWord(piece))).join('') || "''";
  };
  return ['exec', 'curl', ...args.map(word)].join(' ');
}

/** One shell word: as is when it has nothing a shell would interpret, else single-quoted. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A shell-like rendering for display (already masked args only). */
export function commandLine(args: readonly string[]): string {
  return ['curl', ...args.map(shellWord)].join(' ');
}

export type CurlOutput = { ok: true; response: HttpResponse } | { ok: false; error: TransportErrorKind; message: string };

const STATUS_LINE = /^HTTP\/[\d.]+ (\d{3})(?: ([^\r\n]*))?\r?\n/;

/**
 * Reads `curl -i` output: one or more header blocks (`100 Continue`, a proxy's `200 Connection established`), then
 * the final response's headers and body, then our timing line. Anything else is curl's own error text.
 */
export function parseCurlOutput(text: string, exitCode?: number): CurlOutput {
  let rest = text;
  let durationMs: number | undefined;
  const mark = rest.lastIndexOf(`\n${TIMING_MARKER} `);
  if (mark >= 0) {
    const seconds = Number.parseFloat(rest.slice(mark + TIMING_MARKER.length + 2));
    if (Number.isFinite(seconds)) durationMs = Math.round(seconds * 1000);
    rest = rest.slice(0, mark);
  }
  let status: number | undefined;
  let headers: Record<string, string> = {};
  for (;;) {
    const m = STATUS_LINE.exec(rest);
    if (!m) break;
    const end = headerEnd(rest);
    const block = end < 0 ? rest : rest.slice(0, end);
    status = Number(m[1]);
    headers = parseHeaders(block.slice(m[0].length));
    rest = end < 0 ? '' : rest.slice(end + (rest.startsWith('\r\n\r\n', end) ? 4 : 2));
    const interim = (status >= 100 && status < 200) || (status === 200 && /connection established/i.test(m[2] ?? ''));
    if (!(interim && STATUS_LINE.test(rest))) break;
  }
  if (status === undefined) {
    const message = text.replace(new RegExp(`\\n?${TIMING_MARKER}[^\\n]*`), '').trim() || `curl exited with code ${exitCode ?? 'unknown'}`;
    return { ok: false, error: curlErrorKind(exitCode, message), message };
  }
  return { ok: true, response: { kind: 'http', status, headers, body: rest, bodySize: new TextEncoder().encode(rest).length, ...(durationMs !== undefined ? { durationMs } : {}) } };
}

/** curl's exit codes (and its messages) as the diagnosis engine's transport error kinds. */
export function curlErrorKind(exitCode: number | undefined, message = ''): TransportErrorKind {
  switch (exitCode) {
    case 6:
      return 'dns';
    case 7:
      return 'connection-refused';
    case 28:
      return 'timeout';
    case 35:
    case 51:
    case 58:
    case 60:
      return 'tls';
    case 52:
    case 55:
    case 56:
      return 'reset';
    default:
  }
  const m = /curl: \((\d+)\)/.exec(message);
  return m && exitCode === undefined ? curlErrorKind(Number(m[1])) : 'other';
}

function headerEnd(s: string): number {
  const crlf = s.indexOf('\r\n\r\n');
  const lf = s.indexOf('\n\n');
  if (crlf < 0) return lf;
  if (lf < 0) return crlf;
  return Math.min(crlf, lf);
}

function parseHeaders(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}
