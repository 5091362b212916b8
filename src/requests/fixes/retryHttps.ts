// Resend over HTTPS to the Service's https port (the request went to an http port of an HTTPS-only API).
import { defineFix } from './types.ts';

export const retryHttps = defineFix({
  id: 'retry-https',
  changes: [],
  label: 'Resend over HTTPS',
  resends: true,
  prepare: (fix, form, scope) => {
    const url = new URL(fix.url);
    const port = Number(url.port || 443);
    const service = scope.context().services.find((s) => s.name === form.service);
    if (!service?.ports.some((p) => p.port === port && p.scheme === 'https')) throw new Error(`The Service ${form.service} has no https port ${port}`);
    return { url, port };
  },
  confirm: (_fix, _form, { url, port }) => ({ id: 'retryHttps', message: `Resend over HTTPS to port ${port}?`, detail: `Sends the same request to ${url.origin}${url.pathname}${url.search}.`, action: 'Resend' }),
  apply: (_fix, form, { port }) => {
    const directUrl = form.transport === 'direct' ? form.directUrl.replace(/^http:/i, 'https:').replace(/:\d+$/, `:${port}`) : form.directUrl;
    return Promise.resolve({ form: { ...form, port, directUrl } });
  },
});
