// curl as the curlimages/curl image runs it: the options people type in `kubectl run curl … -- curl …`, the exact
// output (body; `-i` status line and CRLF headers; `-v` trace on stderr; the progress meter that a non-tty stderr
// shows), and curl's exit codes, because the extension and its users read these pod logs.
import { STATUS_CODES } from 'node:http';
import type { ContainerContext } from '../containers.ts';
import { abortable, networkCode, parseUrl, sleep, Stopped, type Stdio } from './process.ts';

export const defaultCurlVersion = '8.11.1';

interface Options {
  url?: string;
  method?: string;
  headers: string[];
  data?: string;
  include: boolean;
  head: boolean;
  verbose: boolean;
  silent: boolean;
  showError: boolean;
  fail: boolean;
  insecure: boolean;
  location: boolean;
  output?: string;
  writeOut?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  userAgent?: string;
  user?: string;
}

class UsageError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

const withValue = new Set(['-X', '--request', '-H', '--header', '-d', '--data', '--data-raw', '--data-binary', '--data-ascii',
  '-o', '--output', '-w', '--write-out', '-m', '--max-time', '--connect-timeout', '-A', '--user-agent', '-u', '--user',
  '-e', '--referer', '--retry', '-b', '--cookie', '--resolve', '--cacert', '--cert', '--key']);

function parseArgs(args: readonly string[]): Options {
  const o: Options = {
    headers: [], include: false, head: false, verbose: false, silent: false, showError: false, fail: false,
    insecure: false, location: false,
  };
  const apply = (flag: string, value: string | undefined) => {
    const need = () => {
      if (value === undefined) throw new UsageError(2, `curl: option ${flag}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information`);
      return value;
    };
    switch (flag) {
      case '-X': case '--request': o.method = need(); break;
      case '-H': case '--header': o.headers.push(need()); break;
      case '-d': case '--data': case '--data-ascii': case '--data-binary': case '--data-raw': {
        const v = need();
        o.data = o.data === undefined ? v : `${o.data}&${v}`;
        break;
      }
      case '-o': case '--output': o.output = need(); break;
      case '-w': case '--write-out': o.writeOut = need(); break;
      case '-m': case '--max-time': o.maxTimeMs = Number(need()) * 1000; break;
      case '--connect-timeout': o.connectTimeoutMs = Number(need()) * 1000; break;
      case '-A': case '--user-agent': o.userAgent = need(); break;
      case '-u': case '--user': o.user = need(); break;
      case '-e': case '--referer': o.headers.push(`Referer: ${need()}`); break;
      case '-b': case '--cookie': o.headers.push(`Cookie: ${need()}`); break;
      case '--retry': case '--resolve': case '--cacert': case '--cert': case '--key': need(); break;
      case '-i': case '--include': o.include = true; break;
      case '-I': case '--head': o.head = true; break;
      case '-v': case '--verbose': o.verbose = true; break;
      case '-s': case '--silent': o.silent = true; break;
      case '-S': case '--show-error': o.showError = true; break;
      case '-f': case '--fail': o.fail = true; break;
      case '-k': case '--insecure': o.insecure = true; break;
      case '-L': case '--location': o.location = true; break;
      case '--http1.1': case '-4': case '--ipv4': case '--compressed': case '-N': case '--no-buffer': case '--fail-with-body': break;
      default:
        throw new UsageError(2, `curl: option ${flag}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information`);
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0 && withValue.has(a.slice(0, eq))) apply(a.slice(0, eq), a.slice(eq + 1));
      else apply(a, withValue.has(a) ? args[++i] : undefined);
    } else if (a.startsWith('-') && a.length > 1) {
      // Short options combine (-sSv) and take their value attached or as the next word (-XPOST, -X POST).
      for (let j = 1; j < a.length; j++) {
        const flag = `-${a[j]}`;
        if (withValue.has(flag)) {
          const rest = a.slice(j + 1);
          apply(flag, rest !== '' ? rest : args[++i]);
          break;
        }
        apply(flag, undefined);
      }
    } else if (o.url === undefined) {
      o.url = a;
    }
  }
  return o;
}

/** curl's max5data: sizes in a 5-character column. */
function size5(n: number): string {
  if (n < 100000) return String(Math.round(n)).padStart(5);
  if (n < 10000 * 1024) return `${String(Math.floor(n / 1024)).padStart(4)}k`;
  return `${String(Math.floor(n / 1024 / 1024)).padStart(4)}M`;
}

const meterHeader = '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n'
  + '                                 Dload  Upload   Total   Spent    Left  Speed\n';

function meterLine(total: number, received: number, sent: number, elapsedMs: number): string {
  const pct = (part: number, whole: number) => String(whole > 0 ? Math.floor((part * 100) / whole) : 0).padStart(3);
  const speed = elapsedMs > 0 ? (received * 1000) / elapsedMs : 0;
  const up = elapsedMs > 0 ? (sent * 1000) / elapsedMs : 0;
  return `\r${pct(received + sent, total)} ${size5(total)}  ${pct(received, total - sent)} ${size5(received)}  ${pct(sent, sent)} ${size5(sent)}  `
    + `${size5(speed)}  ${size5(up)} --:--:-- --:--:-- --:--:-- ${size5(speed)}`;
}

function writeOut(format: string, vars: Record<string, string>): string {
  return format
    .replace(/%\{([a-z_]+)\}/g, (whole, name: string) => vars[name] ?? whole)
    .replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\t/g, '\t');
}

export async function curlMain(args: readonly string[], ctx: ContainerContext, io: Stdio, version = defaultCurlVersion): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) { io.stderr(`${e.message}\n`); return e.code; }
    throw e;
  }
  const started = Date.now();
  const fail = (code: number, message: string): number => {
    if (!o.silent || o.showError) io.stderr(`curl: (${code}) ${message}\n`);
    if (o.writeOut) io.stdout(writeOut(o.writeOut, { http_code: '000', response_code: '000', exitcode: String(code), errormsg: message }));
    return code;
  };
  if (o.url === undefined) {
    io.stderr("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const url = parseUrl(o.url);
  if (!url) return fail(3, 'URL rejected: Malformed input to a URL function');
  if (url.scheme !== 'http' && url.scheme !== 'https') return fail(1, `Protocol "${url.scheme}" not supported`);
  const meter = !o.silent;
  if (meter) io.stderr(`${meterHeader}\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0`);
  const meterDone = (received: number, sent: number) => {
    if (meter) io.stderr(`${meterLine(received + sent, received, sent, Date.now() - started)}\n`);
  };

  let addresses: string[];
  try {
    addresses = ctx.resolve ? await abortable(ctx.resolve(url.host), ctx.signal) : [url.host];
  } catch (e) {
    if (e instanceof Stopped) throw e;
    return fail(6, `Could not resolve host: ${url.host}`);
  }
  const ip = addresses[0] ?? url.host;
  if (o.verbose) {
    io.stderr(`* Host ${url.host}:${url.port} was resolved.\n* IPv6: (none)\n* IPv4: ${addresses.join(', ')}\n*   Trying ${ip}:${url.port}...\n`);
  }
  if (url.scheme === 'https' && !o.insecure) {
    // Every in-cluster serving certificate here is self-signed, so verification fails right after connecting.
    if (o.verbose) io.stderr(`* Connected to ${url.host} (${ip}) port ${url.port}\n* ALPN: curl offers h2,http/1.1\n* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n*  CAfile: /etc/ssl/certs/ca-certificates.crt\n*  CApath: none\n* TLSv1.3 (IN), TLS handshake, Server hello (2):\n* TLSv1.3 (OUT), TLS alert, unknown CA (560):\n* SSL certificate problem: self-signed certificate\n* closing connection #0\n`);
    const code = fail(60, 'SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.');
    return code;
  }

  const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
  const hostHeader = (url.scheme === 'https' ? url.port === 443 : url.port === 80) ? url.host : `${url.host}:${url.port}`;
  const headers: [string, string][] = [['Host', hostHeader], ['User-Agent', o.userAgent ?? `curl/${version}`], ['Accept', '*/*']];
  if (o.user) headers.push(['Authorization', `Basic ${Buffer.from(o.user).toString('base64')}`]);
  const body = Buffer.from(o.data ?? '', 'utf8');
  if (o.data !== undefined) {
    headers.push(['Content-Length', String(body.length)]);
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  }
  for (const h of o.headers) {
    const colon = h.indexOf(':');
    if (colon <= 0) continue;
    const name = h.slice(0, colon).trim();
    const value = h.slice(colon + 1).trim();
    const existing = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    // `-H 'Name:'` removes a header curl would send; a value replaces it.
    if (existing >= 0) headers.splice(existing, 1);
    if (value !== '' || !h.trimEnd().endsWith(':')) headers.push([name, value]);
  }

  const limitMs = o.maxTimeMs ?? o.connectTimeoutMs;
  const deadline = limitMs === undefined ? undefined : sleep(limitMs, ctx.signal).then(() => { throw new TimeoutReached(); });
  deadline?.catch(() => undefined);
  let response;
  try {
    let currentMethod = method;
    let target = url;
    for (let hops = 0; ; hops++) {
      const request = {
        scheme: target.scheme as 'http' | 'https',
        method: currentMethod,
        path: target.path,
        headers: Object.fromEntries(headers.filter(([n]) => n.toLowerCase() !== 'host').map(([n, v]) => [n.toLowerCase(), v])),
        body: currentMethod === method ? body : Buffer.alloc(0),
      };
      const attempt = abortable(ctx.fetch(target.host, target.port, request), ctx.signal);
      response = deadline === undefined ? await attempt : await Promise.race([attempt, deadline]);
      const location = Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'location')?.[1];
      if (!o.location || ![301, 302, 303, 307, 308].includes(response.status) || !location) break;
      if (hops >= 50) return fail(47, 'Maximum (50) redirects followed');
      const next = /^[a-z]+:\/\//i.test(location) ? parseUrl(location) : { ...target, path: location.startsWith('/') ? location : `${target.path.replace(/[^/]*$/, '')}${location}` };
      if (!next) return fail(3, 'URL rejected: Malformed input to a URL function');
      if (o.include || o.head) io.stdout(`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\n${Object.entries(response.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
      if (o.verbose) io.stderr(`* Issue another request to this URL: '${location}'\n`);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === 'POST')) currentMethod = 'GET';
      target = next;
    }
  } catch (e) {
    if (e instanceof Stopped) throw e;
    // On failure curl leaves the meter line unfinished; its error message follows on the same line.
    const elapsed = Date.now() - started;
    if (e instanceof TimeoutReached) {
      return fail(28, o.maxTimeMs !== undefined
        ? `Connection timed out after ${elapsed} milliseconds`
        : `Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: Timeout was reached`);
    }
    const code = networkCode(e);
    if (code === 'ENOTFOUND') return fail(6, `Could not resolve host: ${url.host}`);
    if (code === 'ECONNREFUSED') {
      if (o.verbose) io.stderr(`* connect to ${ip} port ${url.port} from ${ctx.podIP} port ${40000 + Math.floor(Math.random() * 20000)} failed: Connection refused\n* Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: Couldn't connect to server\n* closing connection #0\n`);
      return fail(7, `Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: Couldn't connect to server`);
    }
    if (code === 'ETIMEDOUT') return fail(28, `Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: Couldn't connect to server`);
    return fail(56, 'Recv failure: Connection reset by peer');
  }

  const reason = STATUS_CODES[response.status] ?? '';
  const statusLine = `HTTP/1.1 ${response.status} ${reason}`.trimEnd();
  const headerLines = Object.entries(response.headers).map(([k, v]) => `${k}: ${v}`);
  if (o.verbose) {
    io.stderr(`* Connected to ${url.host} (${ip}) port ${url.port}\n* using HTTP/1.x\n`);
    io.stderr(`> ${method} ${url.path} HTTP/1.1\r\n${headers.map(([n, v]) => `> ${n}: ${v}\r\n`).join('')}> \r\n`);
    if (body.length) io.stderr(`} [${body.length} bytes data]\n`);
    io.stderr(`* upload completely sent off: ${body.length} bytes\n`.replace(/^\* upload completely sent off: 0 bytes\n$/, '* Request completely sent off\n'));
    io.stderr(`< ${statusLine}\r\n${headerLines.map((l) => `< ${l}\r\n`).join('')}< \r\n`);
  }
  if (o.fail && response.status >= 400) {
    if (o.verbose) io.stderr(`* The requested URL returned error: ${response.status}\n* closing connection #0\n`);
    return fail(22, `The requested URL returned error: ${response.status}`);
  }
  const toStdout = o.output === undefined || o.output === '-';
  let out = '';
  if (o.include || o.head) out += `${statusLine}\r\n${headerLines.map((l) => `${l}\r\n`).join('')}\r\n`;
  if (!o.head) {
    if (o.verbose && response.body.length) io.stderr(`{ [${response.body.length} bytes data]\n`);
    out += response.body.toString('utf8');
  }
  if (toStdout && out) io.stdout(out);
  if (meter) meterDone(response.body.length, body.length);
  if (o.verbose) io.stderr(`* Connection #0 to host ${url.host} left intact\n`);
  if (o.writeOut) {
    io.stdout(writeOut(o.writeOut, {
      http_code: String(response.status).padStart(3, '0'),
      response_code: String(response.status).padStart(3, '0'),
      size_download: String(response.body.length),
      size_upload: String(body.length),
      url_effective: o.url,
      content_type: response.headers['content-type'] ?? Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '',
      time_total: ((Date.now() - started) / 1000).toFixed(6),
      method,
      exitcode: '0',
      remote_ip: ip,
      remote_port: String(url.port),
    }));
  }
  return 0;
}

class TimeoutReached extends Error {}
