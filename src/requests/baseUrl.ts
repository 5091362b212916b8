// The address the direct transport calls: `http(s)://host[:port]`, checked before anything is sent. Pure (the form's
// webview checks it as the user types, the host again before sending).

export type BaseUrlCheck = { ok: true; url: string } | { ok: false; error: string };

/** Rules: http or https; a host; port 1–65535; no user:password, path, query or fragment (the request adds those). */
export function validateBaseUrl(text: string): BaseUrlCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'Enter the gateway’s address, e.g. http://10.0.0.5:5000' };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return { ok: false, error: 'Give the address as http://host[:port] or https://host[:port]' };
  if (scheme !== 'http' && scheme !== 'https') return { ok: false, error: `The URL must be http or https, not ${scheme}` };
  // The port is checked before URL parsing, which only says "Invalid URL" for 70000.
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(trimmed)?.[1] ?? '';
  if (authority.includes('@')) return { ok: false, error: 'The URL must not contain a user name or password' };
  const port = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(authority)?.[1];
  if (port !== undefined && port !== '' && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)) {
    return { ok: false, error: `The port must be a number from 1 to 65535, not ${port}` };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, error: authority === '' ? 'The URL needs a host' : `Not a valid URL: ${trimmed}` };
  }
  if (url.hostname === '') return { ok: false, error: 'The URL needs a host' };
  if (url.pathname !== '/' && url.pathname !== '') return { ok: false, error: `The URL must not have a path (${url.pathname}): the request's own path is appended` };
  if (url.search !== '' || trimmed.includes('?')) return { ok: false, error: 'The URL must not have a query: the request\'s own query is sent' };
  if (url.hash !== '' || trimmed.includes('#')) return { ok: false, error: 'The URL must not have a fragment' };
  return { ok: true, url: `${url.protocol}//${url.host}` };
}
