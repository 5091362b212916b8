// The gateway's start-up banner — its licence notice, ASCII art, `version:` and `commit:` lines, ~25 lines of plain
// text before the first `[Level]` record — as one entry rather than a row per line. A stage after the parser: it sees
// only the entries the parser completed, so the parser's line handling is unchanged. Pure: no vscode, no Node APIs.

import type { GatewayLogEntry } from './entry.ts';

/** Every banner starts with this line (1.x and 2.x alike; seed-blog.md and the generated fixtures). */
const START = /^\s*\(c\) Microsoft Corporation\b/;
/** The banner's last line. */
const COMMIT = /^\s*commit: ([0-9a-f]{7,40})\s*$/;
const VERSION = /^\s*version: (\S+)\s*$/;
/** More than any banner the gateway has printed: a text log that merely starts like one is not swallowed whole. */
const MAX_BANNER_LINES = 100;

/** A line of plain text the parser could not read as anything else (art, licence text, a blank line). */
function plainText(e: GatewayLogEntry): boolean {
    return e.kind === 'text' && e.format === 'text' && e.raw.length === 1 && e.notes === undefined && e.request === undefined && isEmpty(e.fields);
}

function isEmpty(o: Record<string, string>): boolean {
    for (const _ in o) {
        return false;
    }
    return true;
}

/**
 * Groups consecutive banner lines into one `text` entry: `raw` keeps every line, `message` names it, and `fields`
 * holds the banner's `version` and `commit`. Feed it every batch of completed entries in order (`take`), and call
 * `release` at the end of the stream (or when a quiet stream releases what it holds).
 */
export class BannerGrouper {
    private group: GatewayLogEntry[] = [];

    take(entries: GatewayLogEntry[]): GatewayLogEntry[] {
        if (this.group.length === 0 && !entries.some(startsBanner)) {
            return entries;
        }
        const out: GatewayLogEntry[] = [];
        for (const e of entries) {
            if (this.group.length > 0) {
                if (plainText(e) && this.group.length < MAX_BANNER_LINES) {
                    this.group.push(e);
                    if (COMMIT.test(e.message ?? '')) {
                        out.push(this.merge());
                    }
                    continue;
                }
                out.push(this.merge());
            }
            if (startsBanner(e)) {
                this.group.push(e);
            } else {
                out.push(e);
            }
        }
        return out;
    }

    /** The banner being gathered, as one entry (none when there is none). */
    release(): GatewayLogEntry[] {
        return this.group.length > 0 ? [this.merge()] : [];
    }

    private merge(): GatewayLogEntry {
        const group = this.group;
        this.group = [];
        const first = group[0] as GatewayLogEntry;
        if (group.length === 1) {
            return first;
        }
        let version: string | undefined;
        let commit: string | undefined;
        const raw: string[] = [];
        for (const e of group) {
            raw.push(e.raw[0] ?? '');
            const text = e.message ?? '';
            version ??= VERSION.exec(text)?.[1];
            commit ??= COMMIT.exec(text)?.[1];
        }
        const fields: Record<string, string> = {};
        if (version !== undefined) {
            fields['version'] = version;
        }
        if (commit !== undefined) {
            fields['commit'] = commit;
        }
        const about = [version !== undefined ? `version ${version}` : undefined, commit !== undefined ? `commit ${commit.slice(0, 7)}` : undefined].filter(Boolean).join(', ');
        const entry: GatewayLogEntry = {
            kind: 'text',
            format: 'text',
            line: first.line,
            raw,
            message: `Gateway start-up banner (${raw.length} lines${about ? `: ${about}` : ''})`,
            fields,
        };
        if (first.origin !== undefined) {
            entry.origin = first.origin;
        }
        return entry;
    }
}

function startsBanner(e: GatewayLogEntry): boolean {
    return e.kind === 'text' && START.test(e.message ?? '') && plainText(e);
}
