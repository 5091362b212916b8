// A small POSIX-sh subset and busybox applets, enough for what pods in this project's tests and docs run:
// `sleep N`, `wget -q -O- URL`, `sh -c "…"` with `;`, `&&`, `||`, `while …; do …; done`, `echo`, `exec`, `$VAR`,
// `curl …` where the image has curl, and `sh` that waits while stdin is open.
import type { ContainerContext } from '../containers.ts';
import { curlMain } from './curl.ts';
import { abortable, networkCode, parseUrl, sleep, Stopped, type Stdio } from './process.ts';

export interface ShellImage {
  /** Applets/binaries the image has besides the shell builtins. */
  curl?: string;
}

/** Split a command line into words, honouring quotes and backslashes, expanding $VAR/${VAR}. */
export function words(line: string, env: Readonly<Record<string, string>>, lastStatus: number): string[] {
  const out: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  const expand = (i: number): [string, number] => {
    const rest = line.slice(i + 1);
    let m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest);
    if (m) return [env[m[1]!] ?? '', i + 1 + m[0].length];
    m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (m) return [env[m[0]] ?? '', i + 1 + m[0].length];
    if (rest.startsWith('?')) return [String(lastStatus), i + 2];
    return ['$', i + 1];
  };
  for (let i = 0; i < line.length;) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
      i++;
    } else if (quote === '"') {
      if (c === '"') { quote = undefined; i++; }
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) { current += line[i + 1]; i += 2; }
      else if (c === '$') { const [v, next] = expand(i); current += v; i = next; }
      else { current += c; i++; }
    } else if (c === "'" || c === '"') {
      quote = c; inWord = true; i++;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[i + 1]; inWord = true; i += 2;
    } else if (c === '$') {
      const [v, next] = expand(i); current += v; inWord = true; i = next;
    } else if (/\s/.test(c)) {
      if (inWord) { out.push(current); current = ''; inWord = false; }
      i++;
    } else {
      current += c; inWord = true; i++;
    }
  }
  if (inWord) out.push(current);
  return out;
}

type Node =
  | { kind: 'simple'; text: string }
  | { kind: 'while'; condition: Node[]; body: Node[]; until: boolean }
  | { kind: 'and' | 'or'; left: Node; right: Node };

/** Split at top-level separators (`;`, newline, `&&`, `||`), outside quotes. */
function tokens(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (quote) {
      current += c;
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") { quote = c; current += c; continue; }
    if (c === '\\' && i + 1 < script.length) { current += c + script[++i]; continue; }
    if (c === ';' || c === '\n') { out.push(current, ';'); current = ''; continue; }
    if ((c === '&' || c === '|') && script[i + 1] === c) { out.push(current, c + c); current = ''; i++; continue; }
    if (c === '#' && current.trim() === '') { while (i < script.length && script[i] !== '\n') i++; i--; continue; }
    current += c;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

function parse(script: string): Node[] {
  const list = tokens(script);
  let pos = 0;
  const parseList = (terminators: string[]): Node[] => {
    const nodes: Node[] = [];
    while (pos < list.length) {
      const t = list[pos]!;
      const first = t.split(/\s+/)[0]!;
      if (terminators.includes(first)) return nodes;
      if (t === ';') { pos++; continue; }
      let node = parseCommand();
      while (list[pos] === '&&' || list[pos] === '||') {
        const op = list[pos++] === '&&' ? 'and' : 'or';
        node = { kind: op, left: node, right: parseCommand() };
      }
      nodes.push(node);
    }
    return nodes;
  };
  const parseCommand = (): Node => {
    const t = list[pos]!;
    const m = /^(while|until)\s+(.*)$/s.exec(t);
    if (m) {
      list[pos] = m[2]!;
      const condition = parseList(['do']);
      const doToken = list[pos] ?? '';
      const afterDo = doToken.replace(/^do\b\s*/, '');
      if (afterDo) list[pos] = afterDo; else pos++;
      const body = parseList(['done']);
      pos++;
      return { kind: 'while', condition, body, until: m[1] === 'until' };
    }
    pos++;
    return { kind: 'simple', text: t };
  };
  return parseList([]);
}

export class Shell {
  private readonly ctx: ContainerContext;
  private readonly io: Stdio;
  private readonly image: ShellImage;
  private readonly env: Record<string, string>;
  private status = 0;

  constructor(ctx: ContainerContext, io: Stdio, image: ShellImage) {
    this.ctx = ctx;
    this.io = io;
    this.image = image;
    this.env = { ...ctx.env };
  }

  async runScript(script: string): Promise<number> {
    try {
      return await this.runList(parse(script));
    } catch (e) {
      if (e instanceof ExitShell) return e.code;
      throw e;
    }
  }

  private async runList(nodes: Node[]): Promise<number> {
    for (const node of nodes) this.status = await this.runNode(node);
    return this.status;
  }

  private async runNode(node: Node): Promise<number> {
    switch (node.kind) {
      case 'simple': return this.status = await this.command(words(node.text, this.env, this.status));
      case 'and': { const l = await this.runNode(node.left); return l === 0 ? this.runNode(node.right) : l; }
      case 'or': { const l = await this.runNode(node.left); return l !== 0 ? this.runNode(node.right) : l; }
      case 'while': {
        let last = 0;
        for (;;) {
          const c = await this.runList(node.condition);
          if ((c === 0) === node.until) return last;
          last = await this.runList(node.body);
          // A loop that never waits would starve the event loop, unlike a real process that only burns CPU.
          await new Promise((resolve) => setImmediate(resolve));
          if (this.ctx.signal.aborted) throw new Stopped();
        }
      }
    }
  }

  /** Run one command (a builtin or an applet) and return its exit status. */
  async command(argv: string[]): Promise<number> {
    if (argv.length === 0) return 0;
    const assignments: Record<string, string> = {};
    while (argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]!)) {
      const a = argv.shift()!;
      const eq = a.indexOf('=');
      assignments[a.slice(0, eq)] = a.slice(eq + 1);
    }
    if (argv.length === 0) { Object.assign(this.env, assignments); return 0; }
    const [name, ...args] = argv as [string, ...string[]];
    const base = name.split('/').pop()!;
    switch (base) {
      case 'true': case ':': return 0;
      case 'false': return 1;
      case 'exit': throw new ExitShell(args[0] !== undefined ? Number(args[0]) & 255 : this.status);
      // The command replaces the shell: its exit status is the shell's and nothing after it runs.
      case 'exec': if (args.length === 0) return 0; throw new ExitShell(await this.command(args));
      case 'echo': {
        const noNewline = args[0] === '-n';
        this.io.stdout(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
        return 0;
      }
      case 'sleep': {
        const s = args[0] ?? '';
        const seconds = s === 'infinity' ? Infinity : Number(s.replace(/s$/, ''));
        if (!Number.isFinite(seconds) && seconds !== Infinity) { this.io.stderr(`sleep: invalid number '${s}'\n`); return 1; }
        if (seconds === Infinity) await new Promise<never>((_r, reject) => this.ctx.signal.addEventListener('abort', () => reject(new Stopped()), { once: true }));
        await sleep(seconds * 1000, this.ctx.signal);
        return 0;
      }
      case 'hostname': this.io.stdout(`${this.ctx.podName}\n`); return 0;
      case 'env': case 'printenv': {
        if (base === 'printenv' && args[0]) {
          const v = this.env[args[0]];
          if (v === undefined) return 1;
          this.io.stdout(`${v}\n`);
          return 0;
        }
        this.io.stdout(Object.entries(this.env).map(([k, v]) => `${k}=${v}\n`).join(''));
        return 0;
      }
      case 'date': this.io.stdout(`${new Date().toUTCString().replace('GMT', 'UTC')}\n`); return 0;
      case 'sh': return this.sh(args);
      case 'wget': return this.wget(args);
      case 'curl':
        if (this.image.curl) return curlMain(args, { ...this.ctx, env: { ...this.env, ...assignments } }, this.io, this.image.curl);
        break;
    }
    this.io.stderr(`sh: ${name}: not found\n`);
    return 127;
  }

  async sh(args: string[]): Promise<number> {
    if (args[0] === '-c') {
      if (args[1] === undefined) { this.io.stderr('sh: -c requires an argument\n'); return 2; }
      const child = new Shell(this.ctx, this.io, this.image);
      Object.assign(child.env, this.env);
      return child.runScript(args[1]);
    }
    if (args.length > 0 && !args[0]!.startsWith('-')) {
      this.io.stderr(`sh: can't open '${args[0]}': No such file or directory\n`);
      return 2;
    }
    // An interactive shell reads stdin: with stdin open (kubectl run -i) it waits, without it sees EOF at once.
    if (this.ctx.stdin) {
      await new Promise<never>((_r, reject) => this.ctx.signal.addEventListener('abort', () => reject(new Stopped()), { once: true }));
    }
    return 0;
  }

  /** busybox wget. */
  async wget(args: string[]): Promise<number> {
    let quiet = false;
    let output: string | undefined;
    let timeoutMs: number | undefined;
    let postData: string | undefined;
    let url: string | undefined;
    let spider = false;
    let userAgent = 'Wget';
    const headers: Record<string, string> = {};
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-q' || a === '--quiet') quiet = true;
      else if (a === '-O') output = args[++i];
      else if (a.startsWith('-O')) output = a.slice(2);
      else if (a === '-T' || a === '--timeout') timeoutMs = Number(args[++i]) * 1000;
      else if (a.startsWith('--timeout=')) timeoutMs = Number(a.slice(10)) * 1000;
      else if (a === '--post-data') postData = args[++i];
      else if (a.startsWith('--post-data=')) postData = a.slice(12);
      else if (a === '--header') { const h = args[++i] ?? ''; const c = h.indexOf(':'); if (c > 0) headers[h.slice(0, c).trim().toLowerCase()] = h.slice(c + 1).trim(); }
      else if (a === '-U' || a === '--user-agent') userAgent = args[++i] ?? userAgent;
      else if (a === '--spider') spider = true;
      else if (a === '-qO-' || a === '-qO') { quiet = true; output = a === '-qO-' ? '-' : args[++i]; }
      else if (a.startsWith('-') && a !== '-') { this.io.stderr(`wget: unrecognized option '${a}'\n`); return 1; }
      else url ??= a;
    }
    if (!url) { this.io.stderr('BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n'); return 1; }
    const target = parseUrl(url);
    if (!target || (target.scheme !== 'http' && target.scheme !== 'https')) { this.io.stderr(`wget: not an http or ftp url: ${url}\n`); return 1; }
    let ips: string[];
    try {
      ips = this.ctx.resolve ? await abortable(this.ctx.resolve(target.host), this.ctx.signal) : [target.host];
    } catch (e) {
      if (e instanceof Stopped) throw e;
      this.io.stderr(`wget: bad address '${target.host}'\n`);
      return 1;
    }
    const hostPort = `${target.host}:${target.port}`;
    if (!quiet) this.io.stderr(`Connecting to ${hostPort} (${ips[0]}:${target.port})\n`);
    const request = {
      scheme: target.scheme as 'http' | 'https',
      method: spider ? 'HEAD' : postData !== undefined ? 'POST' : 'GET',
      path: target.path,
      headers: {
        'user-agent': userAgent, connection: 'close',
        ...(postData !== undefined ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(postData)) } : {}),
        ...headers,
      },
      body: Buffer.from(postData ?? ''),
    };
    let response;
    try {
      const attempt = abortable(this.ctx.fetch(target.host, target.port, request), this.ctx.signal);
      response = timeoutMs === undefined ? await attempt
        : await Promise.race([attempt, sleep(timeoutMs, this.ctx.signal).then(() => { throw new WgetTimeout(); })]);
    } catch (e) {
      if (e instanceof Stopped) throw e;
      if (e instanceof WgetTimeout) { this.io.stderr('wget: download timed out\n'); return 1; }
      const code = networkCode(e);
      if (code === 'ENOTFOUND') { this.io.stderr(`wget: bad address '${target.host}'\n`); return 1; }
      if (code === 'ECONNREFUSED') { this.io.stderr(`wget: can't connect to remote host (${ips[0]}): Connection refused\n`); return 1; }
      if (code === 'ETIMEDOUT') { this.io.stderr(`wget: can't connect to remote host (${ips[0]}): Connection timed out\n`); return 1; }
      this.io.stderr('wget: error getting response: Connection reset by peer\n');
      return 1;
    }
    if (response.status >= 400) {
      const reason = (await import('node:http')).STATUS_CODES[response.status] ?? '';
      this.io.stderr(`wget: server returned error: HTTP/1.1 ${response.status} ${reason}\n`);
      return 1;
    }
    if (spider) { if (!quiet) this.io.stderr('remote file exists\n'); return 0; }
    const name = output ?? (target.path.split('/').pop() || 'index.html');
    const toStdout = name === '-';
    if (!quiet) this.io.stderr(toStdout ? 'writing to stdout\n' : `saving to '${name}'\n`);
    if (toStdout) this.io.stdout(response.body.toString('utf8'));
    if (!quiet) {
      const label = (toStdout ? '-' : name).padEnd(20).slice(0, 20);
      this.io.stderr(`${label} 100% |********************************| ${String(response.body.length).padStart(5)}  0:00:00 ETA\n`);
      this.io.stderr(toStdout ? 'written to stdout\n' : `'${name}' saved\n`);
    }
    return 0;
  }
}

class ExitShell extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

class WgetTimeout extends Error {}
