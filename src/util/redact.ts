// The one place secrets are masked before text leaves the host: for a webview (rows, details, search text), the log
// editor's document and hovers, the clipboard, the extension's own log, error messages and notifications. Code
// should not pass secrets here in the first place; this is the last line of defence, so it errs towards masking.
// Pure (no Node, no `vscode`): the row builder, the document model and the logger all call it.
//
// Two ways a secret is recognised:
// - by the name it is given (`Ocp-Apim-Subscription-Key: …`, `"subscriptionKey":"…"`, `x-api-key=…`,
//   `Authorization: Bearer …`, `sig=…`, `GatewayKey …`, a `SharedAccessSignature …` string): names are compared
//   without case and without separators, so `subscription-key`, `subscription_key` and `subscriptionKey` are one name;
// - by its shape, whatever it is called: a gateway token `<gatewayId>&<yyyyMMddHHmm>&<signature>`, as written,
//   URL-encoded, or base64-encoded.

export const MASK = '***';

/** Names whose value is a secret, compared after `normalizeName`. */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  'ocpapimsubscriptionkey',
  'subscriptionkey',
  'apikey',
  'xapikey',
  'authorization',
  'proxyauthorization',
  'sig',
  'signature',
  'primarykey',
  'secondarykey',
  'authkey',
  'authtoken',
  'accesstoken',
  'token',
  'gatewaykey',
  'gatewaytoken',
  'password',
  'clientsecret',
  'sharedaccesssignature',
  'configserviceauth',
]);

/** `Ocp-Apim-Subscription-Key`, `subscription_key`, `auth.token` → `ocpapimsubscriptionkey`, `subscriptionkey`, `authtoken`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Whether a field, header or setting of this name holds a secret (its whole value is masked). */
export function isSecretName(name: string): boolean {
  const n = normalizeName(name);
  if (SECRET_NAMES.has(n)) return true;
  // `request.headers.ocp-apim-subscription-key`, `x-ms-subscription-key`: a dotted path or a prefixed header.
  return /(subscriptionkey|apikey|authorization|password|clientsecret|accesstoken|gatewaykey)$/.test(n);
}

/**
 * A name in text, written with any case and separators: subscription-key, subscriptionKey, Ocp_Apim_Subscription_Key,
 * x-api-key, Authorization, sig, … (the `token`, `password`, `key` families too). Matched before `:` or `=`, optionally
 * quoted (also JSON-escaped quotes inside a JSON string).
 */
const SEP = '[-_.]?';
const NAME = [
  `(?:ocp${SEP}apim${SEP})?subscription${SEP}key`,
  `(?:x${SEP})?api${SEP}key`,
  `(?:proxy${SEP})?authorization`,
  `primary${SEP}key`,
  `secondary${SEP}key`,
  `auth${SEP}(?:key|token)`,
  `access${SEP}token`,
  `gateway${SEP}(?:key|token)`,
  `client${SEP}secret`,
  'password',
  'token',
  'sig',
].join('|');
/** White space, a separator and a quote, also percent-encoded (a header written into a URL). */
const WS = String.raw`(?:\s|%20)`;
const QUOTE = String.raw`(?:\\?["']|%22)?`;
/** `name` `"` `:`/`=` `"` then an optional scheme word (`Bearer`, `GatewayKey`, …), then the value. */
const NAMED_VALUE = new RegExp(
  String.raw`((?<=^|[^A-Za-z0-9]|%[0-9A-Fa-f]{2})(?:${NAME})(?![A-Za-z0-9])${QUOTE}${WS}*(?:[:=]|%3[AaDd])${WS}*${QUOTE}${WS}*(?:(?:Bearer|Basic|GatewayKey|SharedAccessSignature|Digest)${WS}+)?)(?!\*\*\*)[^\s"'\\,&;})\]<>]+`,
  'gi',
);

/** `GatewayKey <token>` and `SharedAccessSignature <…>` wherever they appear, named or not. */
const SCHEMED = /((?:GatewayKey|SharedAccessSignature|Bearer)(?:\s|%20)+)(?!\*\*\*)[^\s"'\\,;})\]<>]{4,}/gi;

/** SAS parts in a query or a SAS string: `sig=`, `sn=`/`se=` next to them. */
const SAS_PART = /((?:^|[?&\s"']|%26|%3F)(?:sig|sn|se|skn)(?:=|%3D))(?!\*\*\*)(?:(?!%26)[^&\s"'\\,;}\]<>])+/gi;

/** A gateway token as written: `<gatewayId>&<yyyyMMddHHmm>&<base64 signature>`. */
const TOKEN_PLAIN = /[^\s&"'<>*#+:?=/\\]{1,80}&\d{12}&[A-Za-z0-9+/=_-]{16,}/g;
/** URL-encoded (`&` → %26, `+` → %2B, `/` → %2F, `=` → %3D). */
const TOKEN_URLENCODED = /[^\s&"'<>*#+:?=/\\%]{1,80}%26\d{12}%26(?:[A-Za-z0-9_-]|%2[BbFf]|%3[Dd]){16,}/g;
/**
 * What each token pattern cannot match without: scanned for first (a literal start, so it runs at memchr speed), so
 * the patterns above, which try up to 80 characters at every position, only run on text that may hold a token.
 */
const TOKEN_PLAIN_CORE = /&\d{12}&/;
const TOKEN_URLENCODED_CORE = /%26\d{12}%26/;
/** Every name NAMED_VALUE knows contains one of these. */
const NAME_CORE = /key|authorization|token|secret|password|sig/i;
/** Base64 runs long enough to hold a token (`/[A-Za-z0-9+/_-]{32,}={0,2}/g`, see replaceBase64Runs); decoded to check. */

/** 6-bit values of the base64 alphabet, both `+ /` and the URL-safe `- _`; -1 for anything else. */
const BASE64_VALUE = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (BASE64_VALUE[c.charCodeAt(0)] = i));
BASE64_VALUE[45] = 62;
BASE64_VALUE[95] = 63;
let decoded = new Uint8Array(256);

/**
 * Whether a base64 run (standard or URL-safe, padded or not) decodes to text holding a gateway token or a secret's
 * scheme: what `atob` (after `-_` → `+/` and padding to a multiple of 4) then `/&\d{12}&/` and
 * `/GatewayKey|SharedAccessSignature|subscription-?key/i` answer, without building the strings. Every row of a large
 * log has a correlation id and a host name that are such runs, and atob checks each character by a linear search.
 */
export function decodesToToken(run: string): boolean {
  // atob's rules (WHATWG forgiving-base64): at most two `=`, only at the end (the padding included); after them are
  // dropped, a length of 4k+1 is not base64.
  let n = run.length;
  while (n > 0 && run.charCodeAt(n - 1) === 61) n--;
  const padded = Math.ceil(run.length / 4) * 4;
  if (padded - n > 2 || n % 4 === 1) return false;
  const bytes = (n * 6) >>> 3;
  if (decoded.length < bytes) decoded = new Uint8Array(bytes * 2);
  const out = decoded;
  let acc = 0;
  let bits = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = run.charCodeAt(i);
    const v = c < 128 ? (BASE64_VALUE[c] as number) : -1;
    if (v < 0) return false;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[k++] = (acc >>> bits) & 0xff;
    }
  }
  return hasTokenBytes(out, k);
}

const TOKEN_WORDS = ['gatewaykey', 'sharedaccesssignature', 'subscriptionkey', 'subscription-key'].map((w) => Uint8Array.from(w, (c) => c.charCodeAt(0)));

/** `/&\d{12}&/` or `/GatewayKey|SharedAccessSignature|subscription-?key/i` in the first `length` bytes (read as Latin-1). */
function hasTokenBytes(bytes: Uint8Array, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const b = bytes[i] as number;
    if (b === 38 && i + 13 < length && bytes[i + 13] === 38) {
      let digits = 0;
      while (digits < 12 && (bytes[i + 1 + digits] as number) >= 48 && (bytes[i + 1 + digits] as number) <= 57) digits++;
      if (digits === 12) return true;
    }
    // ASCII letters fold to lower case (a non-ASCII byte never matches an ASCII letter under `/i` without `u`).
    const lower = b >= 65 && b <= 90 ? b + 32 : b;
    if (lower !== 103 && lower !== 115) continue;
    words: for (const word of TOKEN_WORDS) {
      if (word[0] !== lower || i + word.length > length) continue;
      for (let j = 1; j < word.length; j++) {
        const x = bytes[i + j] as number;
        if ((x >= 65 && x <= 90 ? x + 32 : x) !== word[j]) continue words;
      }
      return true;
    }
  }
  return false;
}

/**
 * What any of the patterns above needs somewhere in the text: each name holds one of the words, so do the schemes
 * (`GatewayKey`, `SharedAccessSignature`, `Bearer`), a SAS part is `sig|sn|se|skn` before `=`, a token has
 * `&<12 digits>&`. Most log lines hold none: one scan for them instead of five (`redactEveryPattern` is the same answer).
 */
const ANY_CORE = /key|authorization|token|secret|password|sig|bearer|(?:sn|se|skn)(?:=|%3d)|&\d{12}&|%26\d{12}%26/i;

export function redact(text: string): string {
  if (text === '') return text;
  return ANY_CORE.test(text) ? redactEveryPattern(text) : maskBase64Tokens(text);
}

/** `redact` without the first scan that rules most text out (exported for the test that they agree). */
export function redactEveryPattern(text: string): string {
  // Whole tokens first (a name's value stops at `&`, a token does not); then names, keeping a scheme word
  // (`Authorization: Bearer ***`), which SCHEMED then finds masked already.
  let out = TOKEN_URLENCODED_CORE.test(text) ? text.replace(TOKEN_URLENCODED, MASK) : text;
  if (TOKEN_PLAIN_CORE.test(out)) out = out.replace(TOKEN_PLAIN, MASK);
  if (NAME_CORE.test(out)) out = out.replace(NAMED_VALUE, `$1${MASK}`);
  out = out.replace(SCHEMED, `$1${MASK}`);
  out = out.replace(SAS_PART, `$1${MASK}`);
  return maskBase64Tokens(out);
}

/** Base64 runs that decode to a token (whole, or from a `/` on: `/echo/<base64 token>` is one run) are masked. */
function maskBase64Tokens(text: string): string {
  return replaceBase64Runs(text, maskBase64Run);
}

/**
 * The last answers of `maskBase64Run`: a log repeats the same long runs on every line (the gateway's host name in each
 * request URL), and decoding one is most of what masking a line costs. Bounded; holds nothing that leaves the host.
 */
const recentRuns = new Map<string, string>();

function maskBase64Run(run: string): string {
  let masked = recentRuns.get(run);
  if (masked === undefined) {
    if (recentRuns.size >= 256) recentRuns.clear();
    recentRuns.set(run, (masked = maskBase64RunNow(run)));
  }
  return masked;
}

function maskBase64RunNow(run: string): string {
  if (decodesToToken(run)) return MASK;
  // `/` is a base64 character: `/echo/<base64 token>` is one run, so try from each `/` as well.
  for (let i = run.indexOf('/'); i >= 0 && run.length - i > 32; i = run.indexOf('/', i + 1)) {
    if (decodesToToken(run.slice(i + 1))) return `${run.slice(0, i + 1)}${MASK}`;
  }
  return run;
}

/** 1 for `A-Z a-z 0-9 + / _ -`: the characters base64 (standard and URL-safe) is written with. */
const BASE64_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') BASE64_CHAR[c.charCodeAt(0)] = 1;
const isBase64Char = (c: number): boolean => c < 128 && BASE64_CHAR[c] === 1;

/**
 * `text.replace(/[A-Za-z0-9+/_-]{32,}={0,2}/g, replace)` in one pass. The regex tries every start position of a shorter run again (a
 * run of n word characters costs n²/2), which made it most of the cost of masking a log line; the first match of the
 * regex is always a whole maximal run of 32 or more plus up to two `=`, which is what this finds. Only every 32nd
 * character is looked at first (any 32 characters in a row hold one of them): where it is a base64 character, its run
 * is measured both ways; most of a log line is short words and is never read.
 */
export function replaceBase64Runs(text: string, replace: (run: string) => string): string {
  let out = '';
  let copied = 0;
  const n = text.length;
  // Every run of 32 or more that starts at or after `from` holds one of from + 31, from + 63, …
  let probe = 31;
  while (probe < n) {
    if (!isBase64Char(text.charCodeAt(probe))) {
      probe += 32;
      continue;
    }
    let start = probe;
    while (start > copied && isBase64Char(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < n && isBase64Char(text.charCodeAt(end))) end++;
    if (end - start >= 32) {
      let stop = end;
      while (stop < n && stop - end < 2 && text.charCodeAt(stop) === 61) stop++;
      const run = text.slice(start, stop);
      const replaced = replace(run);
      // A run left as it is is not copied: most lines keep every run, and then the text itself is the answer.
      if (replaced !== run) {
        out += text.slice(copied, start) + replaced;
        copied = stop;
      }
      end = stop;
    }
    probe = end + 31;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A named value (a parsed field, a header): masked whole when its name is a secret's, else `redact`ed. */
export function redactField(name: string, value: string): string {
  if (isSecretName(name) && value !== '') return MASK;
  return redact(value);
}
