// Which of the gateway's request records belongs to the request we sent. Pure; the method is explained in README.md.
import type { GatewayLogEntry } from '../gatewayLogs/entry.ts';

export interface CorrelationTarget {
  method: string;
  /** Path and query as sent (`/echo/resource?param1=sample`). */
  pathAndQuery: string;
  /** The status the client saw; absent when no HTTP answer came (then any status matches). */
  status?: number;
  /** Epoch ms when the request left and when its answer was in. */
  sentAt: number;
  receivedAt: number;
}

export interface CandidateRecord {
  entry: GatewayLogEntry;
  /** The pod whose log held it. */
  pod?: string;
}

export interface CorrelationOptions {
  /** Slack on each side of [sentAt, receivedAt] for clock skew and the gateway's own timing. Default 5 s. */
  slackMs?: number;
}

export interface Correlated {
  record: CandidateRecord;
  /** |record time − send time| in ms; undefined when the record carried no usable time. */
  distanceMs: number | undefined;
}

const HALF_DAY = 12 * 3600_000;

/** `http://host:5000/a/b?x=1` or `/a/b?x=1` → `/a/b?x=1`, percent-encoding normalised, `#…` dropped. */
export function pathAndQueryOf(url: string): string {
  let s = url.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(s);
  if (scheme) s = s.slice(scheme[0].length);
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(0, hash);
  if (!s.startsWith('/')) s = `/${s}`;
  return normalizeEncoding(s);
}

function normalizeEncoding(s: string): string {
  // Decode only unreserved characters so `%2F` stays distinct from `/` while `%7E` equals `~`, and hex case is ignored.
  return s.replace(/%[0-9a-f]{2}/gi, (m) => {
    const ch = String.fromCharCode(Number.parseInt(m.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(ch) ? ch : m.toUpperCase();
  });
}

/** The record's time(s) in epoch ms: timeGenerated (both readings when the 12-hour clock makes it ambiguous), else the line's. */
function recordTimes(entry: GatewayLogEntry): number[] {
  const ts = entry.request?.timeGenerated ?? entry.timestamp;
  if (ts?.value === undefined) return [];
  return ts.hourAmbiguous ? [ts.value, ts.value + HALF_DAY] : [ts.value];
}

/** True when the record is a request record for the same method, path + query and status. Host is not compared. */
export function recordMatches(entry: GatewayLogEntry, target: CorrelationTarget): boolean {
  const req = entry.request;
  if (entry.kind !== 'request' || !req?.url) return false;
  if (req.method !== undefined && req.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (target.status !== undefined && req.responseCode !== undefined && req.responseCode !== target.status) return false;
  return pathAndQueryOf(req.url) === pathAndQueryOf(target.pathAndQuery);
}

/**
 * The record for the request: matching method, path + query and status, inside the time window; of several, the
 * one whose time is closest to when it was sent. A record without a usable time counts only when no timed one matches.
 */
export function correlate(candidates: readonly CandidateRecord[], target: CorrelationTarget, options: CorrelationOptions = {}): Correlated | undefined {
  const slack = options.slackMs ?? 5000;
  const from = target.sentAt - slack;
  const to = target.receivedAt + slack;
  let best: Correlated | undefined;
  let untimed: CandidateRecord | undefined;
  for (const candidate of candidates) {
    if (!recordMatches(candidate.entry, target)) continue;
    const times = recordTimes(candidate.entry);
    if (times.length === 0) {
      untimed ??= candidate;
      continue;
    }
    for (const t of times) {
      if (t < from || t > to) continue;
      const distance = Math.abs(t - target.sentAt);
      if (!best || (best.distanceMs !== undefined && distance < best.distanceMs)) best = { record: candidate, distanceMs: distance };
    }
  }
  return best ?? (untimed ? { record: untimed, distanceMs: undefined } : undefined);
}
