// Lines out of a stream of chunks, in linear work and bounded memory. Each chunk is scanned once for newlines; the
// unfinished line is kept as a list of pieces, never re-joined or re-scanned until its newline arrives. A line longer
// than the maximum keeps its first `maxLength` characters and ends with a visible marker saying how much was cut:
// never dropped, never held whole. Pure (no Node, no `vscode`).

/** `arcApimGateway.logs.maxLineLength`'s default: 1 MiB of characters. */
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

/** What ends a cut line; `lineCutMarker` makes it, tests and the README quote it. */
export function lineCutMarker(cut: number, max: number): string {
  return `… [line cut: ${cut} characters over the ${max}-character maximum (setting arcApimGateway.logs.maxLineLength)]`;
}

export class LineAssembler {
  private readonly max: number;
  private pieces: string[] = [];
  private held = 0;
  private cut = 0;

  constructor(maxLength = DEFAULT_MAX_LINE_LENGTH) {
    this.max = Math.max(1, Math.floor(maxLength));
  }

  /** The whole lines this chunk completes (without their `\n`); the rest waits for the next chunk. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      this.hold(chunk, start, nl);
      lines.push(this.finish());
      start = nl + 1;
    }
    this.hold(chunk, start, chunk.length);
    return lines;
  }

  /** Whether an unterminated line is waiting. */
  get pending(): boolean {
    return this.held > 0 || this.cut > 0;
  }

  /** The unterminated line as it stands (the stream ended), and forgets it. */
  flush(): string | undefined {
    return this.pending ? this.finish() : undefined;
  }

  /** Forgets an unterminated line (a resumed stream reads it again). */
  clear(): void {
    this.pieces = [];
    this.held = 0;
    this.cut = 0;
  }

  private hold(chunk: string, from: number, to: number): void {
    if (to <= from) return;
    const room = this.max - this.held;
    const take = Math.min(room, to - from);
    if (take > 0) {
      this.pieces.push(from === 0 && take === chunk.length ? chunk : chunk.slice(from, from + take));
      this.held += take;
    }
    this.cut += to - from - Math.max(0, take);
  }

  private finish(): string {
    const text = this.pieces.length === 1 ? (this.pieces[0] ?? '') : this.pieces.join('');
    const line = this.cut > 0 ? `${text}${lineCutMarker(this.cut, this.max)}` : text;
    this.clear();
    return line;
  }
}
