// The rules every test request obeys, named, so that a request can only ever reach the gateway it was meant for.
// Pure (no Node, no `vscode`): the Test Request webview runs them as the user types (through form.ts), the host runs
// them again on Send, and each transport runs `checkOutgoing` once more just before it sends.
//
// Why the path rules: the service proxy sends to the API server's `…/namespaces/<ns>/services/<svc>:<port>/proxy<path>` with the
// user's kubeconfig credentials. A URL parser (Node's, Go's) removes `.` and `..` segments — also written `%2e`, in
// any case — and treats `\` like `/`, so a path such as `/../../../../` + `api/v1/secrets` would leave the proxy prefix and
// reach the API server itself. An operation's URL template, its parameter defaults and its method come from ARM, so
// anyone who may edit an API definition could aim a click on Send at any cluster path. Such paths are refused here
// rather than "cleaned": a cleaned path is not the request the user asked for.

export type RuleCheck = { ok: true } | { ok: false; rule: string; error: string };

const OK: RuleCheck = { ok: true };
const fail = (rule: string, error: string): RuleCheck => ({ ok: false, rule, error });

/** RFC 9110 §5.6.2 `token`: what a method and a header name are made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Longer than any method a gateway routes on; a 10,000-character "method" is a mistake or an attack. */
export const METHOD_MAX = 32;
/**
 * Methods refused whatever the API says. CONNECT asks the server in between (the API server's proxy, a load balancer)
 * to open a tunnel rather than to forward a request. TRACE echoes the request back, headers included, so the
 * subscription key would come back in a response body shown in the view; APIM gateways refuse it for APIs anyway.
 */
export const REFUSED_METHODS: readonly string[] = ['CONNECT', 'TRACE'];

/** A string a URL encoder can encode: no lone half of a UTF-16 surrogate pair (encodeURIComponent throws URIError). */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** `encodeURIComponent` that cannot throw: callers check `hasLoneSurrogate` first, this is the belt to that brace. */
export function encodeComponent(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

export function checkMethod(method: string): RuleCheck {
  if (method === '') return fail('method-token', 'Enter an HTTP method (rule: a method is an RFC 9110 token, e.g. GET)');
  if (method.length > METHOD_MAX) return fail('method-length', `The method has ${method.length} characters (rule: a method has at most ${METHOD_MAX})`);
  if (!TOKEN.test(method)) return fail('method-token', `"${printable(method)}" is not an HTTP method (rule: a method is an RFC 9110 token: letters, digits and !#$%&'*+.^_\`|~- only)`);
  if (REFUSED_METHODS.includes(method.toUpperCase())) {
    return fail('method-refused', `${method.toUpperCase()} is not sent (rule: no CONNECT or TRACE: CONNECT opens a tunnel through whatever is in between, TRACE echoes the subscription key back)`);
  }
  return OK;
}

export function checkHeaderName(name: string): RuleCheck {
  if (!TOKEN.test(name)) return fail('header-name-token', `"${printable(name)}" is not a valid header name (rule: an RFC 9110 token: letters, digits and !#$%&'*+.^_\`|~- only)`);
  return OK;
}

/** RFC 9110 §5.5 field values: visible characters, spaces and tabs, and Latin-1 (obs-text); nothing Node would refuse. */
export function checkHeaderValue(name: string, value: string): RuleCheck {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const control = /[\u0000-\u0008\u000A-\u001F\u007F]/.exec(value);
  if (control) return fail('header-value-control', `Header ${name}: the value contains the control character U+${hex(control[0])} (rule: no control characters or line breaks in a header value)`);
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const wide = /[^\u0000-\u00FF]/u.exec(value);
  if (wide) return fail('header-value-latin1', `Header ${name}: "${printable(wide[0])}" cannot be sent in a header (rule: header values are Latin-1; percent-encode other characters)`);
  return OK;
}

/** Any text that goes into a URL: well-formed UTF-16 and no control characters. */
export function checkUrlText(what: string, text: string): RuleCheck {
  if (hasLoneSurrogate(text)) return fail('lone-surrogate', `${what} contains half of a surrogate pair (rule: text must be valid Unicode to be encoded in a URL)`);
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const control = /[\u0000-\u001F\u007F]/.exec(text);
  if (control) return fail('url-control', `${what} contains the control character U+${hex(control[0])} (rule: no control characters in a URL)`);
  return OK;
}

/**
 * Decodes `%XX` escapes once; an escape that is not valid UTF-8 or not an escape stays as written. Enough to see
 * what a server that decodes once (or twice) would see.
 */
function decodeOnce(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * The path part (before `?`) of a request: starts with `/`; no segment that is `.` or `..` in any spelling (raw, `%2e`,
 * upper or lower case, double-encoded); no `\` and no `/` or `\` hidden inside a segment (`%2f`, `%5c`), which a
 * server in between may decode into a separator; no control characters, spaces or `#`.
 */
export function checkPath(pathAndQuery: string): RuleCheck {
  const text = checkUrlText('The path', pathAndQuery);
  if (!text.ok) return text;
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  if (!path.startsWith('/')) return fail('path-absolute', 'The path starts with / (rule: an absolute path, the API suffix then the operation: /echo/resource)');
  if (/\s/.test(pathAndQuery)) return fail('path-no-space', 'The path must not contain spaces (rule: no white space in a URL; encode a space as %20)');
  if (pathAndQuery.includes('#')) return fail('path-no-fragment', 'The path must not contain # (rule: a fragment is never sent)');
  if (path.includes('\\')) return fail('path-no-backslash', 'The path must not contain \\ (rule: URL parsers read \\ as /, so it could leave the gateway’s Service)');
  for (const segment of path.slice(1).split('/')) {
    let seen = segment;
    // Three rounds: a server that decodes once more than expected still sees no separator and no dot segment.
    for (let round = 0; round < 3; round++) {
      if (seen === '.' || seen === '..') return fail('path-no-dot-segment', `The path has a "${segment}" segment (rule: no . or .. segments, in any spelling such as %2e: they would leave the gateway’s Service)`);
      if (round > 0 && /[/\\]/.test(seen)) return fail('path-no-encoded-separator', `The path segment "${segment}" hides a / or \\ (rule: no %2f or %5c inside a segment: a server in between may decode it into a separator)`);
      const next = decodeOnce(seen);
      if (next === seen) break;
      seen = next;
    }
  }
  return OK;
}

/**
 * A URL template value: one segment for `{p}` (so no `/`), several for `{*p}`; either way no `.` or `..` segment,
 * which no encoding can hide from a URL parser.
 */
export function checkTemplateValue(name: string, value: string, wildcard: boolean): RuleCheck {
  const text = checkUrlText(`{${name}}`, value);
  if (!text.ok) return text;
  if (!wildcard && /[/\\]|%2f|%5c/i.test(value)) return fail('template-one-segment', `{${name}} = "${printable(value)}" holds a / or \\ (rule: {${name}} is one path segment; only a {*${name}} template parameter takes several)`);
  const segments = wildcard ? value.split('/') : [value];
  for (const segment of segments) {
    if (segment === '.' || segment === '..' || /^(\.|%2e){1,2}$/i.test(segment)) {
      return fail('template-no-dot-segment', `{${name}} = "${value}" would be a "${segment}" segment (rule: a template value cannot add or remove path segments)`);
    }
  }
  return OK;
}

/** Where `{name}` sits in a URL template: one path segment, the rest of the path (`{*name}`), or the query. */
export function templatePlace(template: string, name: string): 'segment' | 'wildcard' | 'query' {
  const q = template.indexOf('?');
  const path = q < 0 ? template : template.slice(0, q);
  if (path.includes(`{*${name}}`)) return 'wildcard';
  return path.includes(`{${name}}`) ? 'segment' : 'query';
}

/** `checkTemplateValue` for a parameter of `template`: query values are only checked as URL text. */
export function checkTemplateParam(template: string, name: string, value: string): RuleCheck {
  const place = templatePlace(template, name);
  return place === 'query' ? checkUrlText(`{${name}}`, value) : checkTemplateValue(name, value, place === 'wildcard');
}

/**
 * What each transport checks just before it sends (the last check that does not depend on the transport): the method
 * and the path rules above, and every header.
 */
export function checkOutgoing(request: { readonly method: string; readonly pathAndQuery: string; readonly headers: readonly (readonly [string, string])[] }): RuleCheck {
  const method = checkMethod(request.method);
  if (!method.ok) return method;
  const path = checkPath(request.pathAndQuery);
  if (!path.ok) return path;
  for (const [name, value] of request.headers) {
    const n = checkHeaderName(name);
    if (!n.ok) return n;
    const v = checkHeaderValue(name, value);
    if (!v.ok) return v;
  }
  return OK;
}

/** Refused before anything is sent: the transports throw this; its message names the rule. */
export class RequestRuleError extends Error {
  readonly rule: string;
  constructor(check: { rule: string; error: string }) {
    super(`Not sent: ${check.error}`);
    this.name = 'RequestRuleError';
    this.rule = check.rule;
  }
}

/** `checkOutgoing`, throwing `RequestRuleError`: the first line of each transport's `send`. */
export function assertOutgoing(request: Parameters<typeof checkOutgoing>[0]): void {
  const checked = checkOutgoing(request);
  if (!checked.ok) throw new RequestRuleError(checked);
}

/** IPv4 link-local (169.254.0.0/16, where clouds serve instance metadata) and IPv6 link-local (fe80::/10). */
export function linkLocalReason(hostname: string): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (/^169\.254\.\d{1,3}\.\d{1,3}$/.test(host)) {
    return `${host} is a link-local address (169.254.0.0/16)${host === '169.254.169.254' ? ', the cloud instance metadata service' : ''}: a request there can read this machine’s cloud credentials, not a gateway`;
  }
  if (/^fe[89ab][0-9a-f]?:/.test(host)) return `${host} is an IPv6 link-local address (fe80::/10): it reaches this machine’s own network segment, not a gateway`;
  if (host === 'fd00:ec2::254') return `${host} is the AWS instance metadata service (IPv6)`;
  if (host === 'metadata.google.internal' || host === 'metadata' || host === 'instance-data' || host === 'instance-data.ec2.internal') return `${host} is a cloud instance metadata service name, not a gateway`;
  return undefined;
}

function hex(ch: string): string {
  return (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

/** Shown inside a message: control characters and lone surrogates as `\u…`, long values cut. */
function printable(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return cut.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/g, (c) => `\\u${hex(c)}`);
}
