// Entries as a LogSession hands them to the editor: parsed by the real parser from real fixtures, then tagged.
import { readFileSync } from 'node:fs';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import type { TaggedEntry } from '../../../src/logSessions/session.ts';

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/gateway-logs/${name}`, import.meta.url), 'utf8');
}

let seq = 0;

/** Every entry of a log, tagged with a pod and a kubelet time one millisecond apart (as a follow would). */
export function tagged(text: string, pod?: string, startMs = Date.UTC(2026, 10, 27, 15, 15, 11)): TaggedEntry[] {
  return parseGatewayLog(text).map((entry, i) => {
    const ms = startMs + i;
    const raw = `${new Date(ms).toISOString().slice(0, -1)}000000Z`;
    return { ...entry, seq: ++seq, ...(pod !== undefined ? { pod } : {}), kubeletTime: { raw, value: ms, assumedUtc: false } };
  });
}

/** Every entry of a log as a file session tags it: no pod, no kubelet time. */
export function untagged(text: string): TaggedEntry[] {
  return parseGatewayLog(text).map((entry) => ({ ...entry, seq: ++seq }));
}
