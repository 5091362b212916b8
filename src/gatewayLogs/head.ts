// The head of a text record after its `[Level]`: ` timestamp [Event]`, read the same way by the parser
// (`GatewayLogParser.textRecord`) and the lazy reader (`lazy.ts`), which must agree on it to give the same entries.
// Pure: no vscode, no Node APIs.

import type { LogTimestamp } from './entry.ts';
import type { RecentNames } from './parser.ts';
import { parseTimestampAt, timestampEnd, usualShapeEnd } from './timestamp.ts';

export { USUAL_TIMESTAMP_LENGTH } from './timestamp.ts';

const SPACE = 32;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** What `scanHead` read; one object, overwritten by every call (the parser reads it before the next line). */
export interface RecordHead {
    /** Where the timestamp starts, or -1 for none. */
    timeAt: number;
    /**
     * The timestamp, when read: always when `scanHead` was asked to; otherwise only when it is not in the usual
     * 2.x shape, whose end is known without reading it: then it is the `USUAL_TIMESTAMP_LENGTH` characters at
     * `timeAt`, which `parseTimestampAt` reads alone as it would in the line.
     */
    timestamp: LogTimestamp | undefined;
    /** The `[Event]` name (no space in it), or undefined. */
    event: string | undefined;
    /** Where the head ends: after the event's `]`, else after the timestamp and the spaces after it. */
    end: number;
}

export const head: RecordHead = { timeAt: -1, timestamp: undefined, event: undefined, end: 0 };

/**
 * Reads the head of `s` from `from` (just after the level's `]`) up to `lineEnd`, the end of the line in `s` (`s`
 * may be a whole log). With `readTime` the timestamp is always read; without, a usual one is only located.
 */
export function scanHead(s: string, from: number, lineEnd: number, names: RecentNames, readTime: boolean): RecordHead {
    let i = from;
    while (s.charCodeAt(i) === SPACE) {
        i++;
    }
    head.timeAt = -1;
    head.timestamp = undefined;
    head.event = undefined;
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
        const usualEnd = readTime ? -1 : usualShapeEnd(s, i, lineEnd);
        const timestamp = usualEnd < 0 ? parseTimestampAt(lineEnd === s.length ? s : s.slice(0, lineEnd), i) : undefined;
        if (usualEnd >= 0 || timestamp) {
            head.timeAt = i;
            head.timestamp = timestamp;
            i = usualEnd >= 0 ? usualEnd : timestampEnd();
            while (s.charCodeAt(i) === SPACE) {
                i++;
            }
        }
    }
    if (s.charCodeAt(i) === OPEN_BRACKET) {
        // `[Name]` with no space in the name. In a line alone two searches find it; in a whole log a search could run
        // on over many lines, again for every line, so there the name is read to its `]` within the line.
        const close = lineEnd === s.length ? s.indexOf(']', i + 1) : nameEnd(s, i + 1, lineEnd);
        if (close > i + 1) {
            const space = lineEnd === s.length ? s.indexOf(' ', i + 1) : -1;
            if (space < 0 || space > close) {
                head.event = names.get(s, i + 1, close);
                i = close + 1;
            }
        }
    }
    head.end = i;
    return head;
}

/** Index of the `]` ending a name that starts at `from`, when it comes before a space and `lineEnd`; else -1. */
function nameEnd(s: string, from: number, lineEnd: number): number {
    for (let j = from; j < lineEnd; j++) {
        const c = s.charCodeAt(j);
        if (c === CLOSE_BRACKET) {
            return j;
        }
        if (c === SPACE) {
            return -1;
        }
    }
    return -1;
}
