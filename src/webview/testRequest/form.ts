// The request form: API and operation (from ARM) or a typed path, method, template parameters, query, headers, body,
// subscription, and where it goes (Service, port, transport). Values live in one object; every change re-renders
// the dependent parts and re-checks the values with the same pure rules the host applies on Send (src/requests/form.ts).
// Built with el()/textContent only: API names and descriptions come from ARM and are shown as text.
import type { FormApi, FormTransport, TestRequestForm, TestRequestFormContext } from '../../contract/testRequest.ts';
import { defaultPort, findApi, findOperation, formHints, formToRequest, METHODS, previewPath, subscriptionScopeText, subscriptionsFor, subscriptionTitle } from '../../requests/form.ts';
import { button, el } from '../shared/dom.ts';

export interface FormCallbacks {
  send(form: TestRequestForm): void;
  cancel(): void;
  copyKey(subscription: string): void;
  /** The values changed (kept as a draft across reloads). */
  changed(form: TestRequestForm): void;
}

const TYPED = '\u0000typed';

export class RequestForm {
  readonly element: HTMLElement;
  private context: TestRequestFormContext | undefined;
  private form: TestRequestForm | undefined;
  private readonly callbacks: FormCallbacks;
  private readonly fields: HTMLElement;
  private readonly preview = el('div', { className: 'preview', attrs: { 'aria-live': 'polite', 'data-role': 'preview' } });
  private readonly hints = el('ul', { className: 'hints' });
  private readonly problem = el('div', { className: 'problem', attrs: { role: 'alert', id: 'form-problem' } });
  private readonly sendButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private busy = false;
  private fieldError: { field: string; text: string } | undefined;

  constructor(callbacks: FormCallbacks) {
    this.callbacks = callbacks;
    this.fields = el('div', { className: 'fields' });
    this.sendButton = button('Send', 'Send the request (Ctrl+Enter)', () => this.submit(), 'btn primary send');
    this.cancelButton = button('Cancel', 'Stop the request in flight', () => callbacks.cancel(), 'btn secondary cancel');
    this.cancelButton.hidden = true;
    // A div, not a <form>: the webview runs without allow-forms, and Send is ours to handle.
    this.element = el('div', { className: 'request-form', attrs: { role: 'form', 'aria-label': 'Test request' } }, [this.fields, this.preview, this.hints, this.problem, el('div', { className: 'actions' }, [this.sendButton, this.cancelButton])]);
    this.element.addEventListener('keydown', (e) => {
      // Enter in a one-line field sends, as in a form; Ctrl/Cmd+Enter sends from anywhere (the body too).
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || (e.target instanceof HTMLInputElement && e.target.type === 'text'))) {
        e.preventDefault();
        this.submit();
      }
    });
  }

  get values(): TestRequestForm | undefined {
    return this.form;
  }

  init(context: TestRequestFormContext, form: TestRequestForm): void {
    this.context = context;
    this.form = form;
    this.fieldError = undefined;
    this.render();
  }

  setValues(form: TestRequestForm): void {
    this.form = form;
    this.fieldError = undefined;
    this.render();
  }

  setBusy(busy: boolean, cancellable = false): void {
    this.busy = busy;
    this.sendButton.disabled = busy;
    this.cancelButton.hidden = !(busy && cancellable);
  }

  /** The host refused a value: show it at its field. */
  showFieldError(field: string, text: string): void {
    this.fieldError = { field, text };
    this.render();
    this.element.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`)?.focus();
  }

  private update(changes: Partial<TestRequestForm>, rerender = true): void {
    if (!this.form) return;
    this.form = { ...this.form, ...changes };
    this.fieldError = undefined;
    this.callbacks.changed(this.form);
    if (rerender) this.render();
    else this.refreshDerived();
  }

  private submit(): void {
    if (!this.form || !this.context || this.busy) return;
    const checked = formToRequest(this.form, this.context);
    if (!checked.ok) {
      this.showFieldError(checked.field, checked.error);
      return;
    }
    this.callbacks.send(this.form);
  }

  private render(): void {
    const ctx = this.context;
    const form = this.form;
    if (!ctx || !form) return;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset['field'] : undefined;
    const api = findApi(ctx, form.api);
    const operation = findOperation(api, form.operation);
    const rows: HTMLElement[] = [];
    const g = ctx.gateway;
    rows.push(el('div', { className: 'gateway', text: `Gateway ${g.deployment} · namespace ${g.namespace} · context ${g.context}${ctx.arm ? ` · API Management ${ctx.arm.serviceName} / ${ctx.arm.gatewayName}` : ''}` }));
    if (ctx.armNote) rows.push(el('div', { className: 'note', text: ctx.armNote }));

    // What to call.
    if (ctx.arm) {
      const apiSelect = this.select('api', [[TYPED, 'A path I type'], ...ctx.arm.apis.map((a): [string, string] => [a.name, apiLabel(a)])], form.api ?? TYPED, (value) => {
        if (value === TYPED) {
          this.update({ api: undefined, operation: undefined, path: form.path === '/' ? previewPath(form, ctx).split('?')[0] ?? '/' : form.path } as Partial<TestRequestForm>);
          return;
        }
        const next = findApi(ctx, value);
        const op = next?.operations[0];
        const service = ctx.services.find((s) => s.name === form.service);
        this.update({ api: value, operation: op?.name, method: op?.method ?? form.method, params: defaultParams(op?.parameters ?? []), port: defaultPort(service, next) });
      });
      rows.push(this.row('API', apiSelect));
      if (api) {
        const opSelect = this.select('operation', api.operations.map((o): [string, string] => [o.name, `${o.method} ${o.urlTemplate}${o.displayName && o.displayName !== o.name ? ` — ${o.displayName}` : ''}`]), form.operation ?? '', (value) => {
          const op = findOperation(api, value);
          this.update({ operation: value, method: op?.method ?? form.method, params: defaultParams(op?.parameters ?? []) });
        });
        rows.push(this.row('Operation', api.operations.length ? opSelect : el('span', { className: 'note', text: `${api.displayName} has no operations` })));
      }
    }
    const method = this.select('method', METHODS.map((m): [string, string] => [m, m]), METHODS.includes(form.method) ? form.method : 'GET', (value) => this.update({ method: value }, false));
    rows.push(this.row('Method', method));
    if (!api) {
      const path = this.input('path', form.path, '/echo/resource?param1=sample', (value) => this.update({ path: value }, false));
      rows.push(this.row('Path and query', path));
    }
    for (const p of operation?.parameters ?? []) {
      const control = p.values?.length
        ? this.select(`param:${p.name}`, [['', '—'], ...p.values.map((v): [string, string] => [v, v])], form.params[p.name] ?? '', (value) => this.update({ params: { ...form.params, [p.name]: value } }, false))
        : this.input(`param:${p.name}`, form.params[p.name] ?? '', p.description ?? (p.required ? 'required' : 'optional'), (value) => this.update({ params: { ...this.form!.params, [p.name]: value } }, false));
      rows.push(this.row(`{${p.name}}`, control));
    }
    rows.push(this.pairs('Query', 'query', form.query, (query) => this.update({ query }), 'Add query parameter'));
    rows.push(this.pairs('Headers', 'header', form.headers, (headers) => this.update({ headers }), 'Add header'));
    const body = el('textarea', { className: 'body-input', attrs: { 'data-field': 'body', 'aria-label': 'Body', spellcheck: 'false', placeholder: form.method === 'GET' || form.method === 'HEAD' ? `A ${form.method} request has no body` : 'Request body' } });
    body.value = form.body;
    body.rows = 4;
    body.addEventListener('input', () => this.update({ body: body.value }, false));
    rows.push(this.row('Body', body, 'body'));

    // The key.
    if (ctx.arm) {
      const subs = subscriptionsFor(ctx, api);
      const sub = this.select('subscription', [['', 'None'], ...subs.map((s): [string, string] => [s.name, `${subscriptionTitle(s)} (${subscriptionScopeText(s.scope)})`])], form.subscription, (value) => this.update({ subscription: value }));
      const copy = button('Copy key', 'Copy this subscription’s primary key to the clipboard (it is never shown here)', () => {
        if (this.form?.subscription) this.callbacks.copyKey(this.form.subscription);
      }, 'btn secondary copy-key');
      copy.disabled = form.subscription === '';
      rows.push(this.row('Subscription key', el('span', { className: 'inline' }, [sub, copy]), 'subscription'));
    }

    // Where it goes.
    const service = ctx.services.find((s) => s.name === form.service);
    rows.push(
      this.row(
        'Service',
        this.select('service', ctx.services.map((s): [string, string] => [s.name, `${s.name} (${s.type}${s.external.length ? `, ${s.external.join(', ')}` : ''})`]), form.service, (value) => {
          const next = ctx.services.find((s) => s.name === value);
          this.update({ service: value, port: defaultPort(next, api) });
        }),
      ),
    );
    rows.push(
      this.row(
        'Port',
        this.select('port', (service?.ports ?? []).map((p): [string, string] => [String(p.port), `${p.port} ${p.scheme ?? 'scheme unknown'} (${p.label})`]), String(form.port), (value) => {
          const port = Number(value);
          const scheme = service?.ports.find((p) => p.port === port)?.scheme;
          const external = service?.external[0];
          this.update({ port, ...(external && scheme ? { directUrl: `${scheme}://${external}:${port}` } : {}) });
        }),
      ),
    );
    const transports: [FormTransport, string, string][] = [
      ['service-proxy', 'Kubernetes API server service proxy', 'Needs only the kubeconfig; nothing is created in the cluster'],
      ['curl-pod', 'curl pod', 'A short-lived curlimages/curl pod calls the Service from inside the cluster, then is deleted'],
      ['direct', 'Direct URL', 'This machine calls the gateway at an address it can reach (LoadBalancer IP, port-forward)'],
    ];
    const radios = el('div', { className: 'transports', attrs: { role: 'radiogroup', 'aria-label': 'Transport', 'data-field': 'transport' } }, transports.map(([value, label, title]) => {
      const input = el('input', { attrs: { type: 'radio', value, 'data-transport': value, title } });
      input.name = 'transport';
      input.checked = form.transport === value;
      input.addEventListener('change', () => {
        if (input.checked) this.update({ transport: value });
      });
      return el('label', { className: 'radio', attrs: { title } }, [input, document.createTextNode(` ${label}`)]);
    }));
    rows.push(this.row('Transport', radios, 'transport'));
    if (form.transport === 'direct') {
      const url = this.input('directUrl', form.directUrl, 'http://10.0.0.5:5000', (value) => this.update({ directUrl: value }, false));
      const insecure = el('input', { attrs: { type: 'checkbox', 'data-field': 'insecure' } });
      insecure.checked = form.insecure;
      insecure.addEventListener('change', () => this.update({ insecure: insecure.checked }, false));
      rows.push(this.row('Address', el('span', { className: 'inline' }, [url, el('label', { className: 'check', attrs: { title: 'Like curl -k: the gateway’s own certificate is usually self-signed' } }, [insecure, document.createTextNode(' accept an untrusted certificate')])]), 'directUrl'));
      // Link-local and metadata addresses (169.254.169.254) are refused until confirmed here; the refusal says why.
      const linkLocal = el('input', { attrs: { type: 'checkbox', 'data-field': 'allowLinkLocal' } });
      linkLocal.checked = form.allowLinkLocal === true;
      linkLocal.addEventListener('change', () => this.update({ allowLinkLocal: linkLocal.checked }, false));
      rows.push(this.row('', el('label', { className: 'check', attrs: { title: 'A link-local address (169.254.0.0/16, fe80::/10) or a cloud metadata service is not a gateway: requests there can read this machine’s cloud credentials' } }, [linkLocal, document.createTextNode(' send to a link-local or metadata address anyway')]), 'allowLinkLocal'));
    }
    this.fields.replaceChildren(...rows);
    this.refreshDerived();
    if (focused) this.element.querySelector<HTMLElement>(`[data-field="${CSS.escape(focused)}"]`)?.focus();
  }

  /** Preview, hints and the first broken rule: cheap, redone on every keystroke. */
  private refreshDerived(): void {
    const ctx = this.context;
    const form = this.form;
    if (!ctx || !form) return;
    const service = ctx.services.find((s) => s.name === form.service);
    const scheme = service?.ports.find((p) => p.port === form.port)?.scheme ?? 'http';
    const target = form.transport === 'direct' ? form.directUrl.replace(/\/+$/, '') || '(address)' : `${scheme}://${form.service}.${ctx.gateway.namespace}:${form.port}`;
    this.preview.textContent = `${form.method} ${target}${previewPath(form, ctx)}${form.subscription ? '  + Ocp-Apim-Subscription-Key (hidden)' : ''}`;
    this.hints.replaceChildren(...formHints(form, ctx).map((h) => el('li', { text: h })));
    for (const node of this.element.querySelectorAll('[aria-invalid="true"]')) {
      node.removeAttribute('aria-invalid');
      node.removeAttribute('aria-describedby');
    }
    const checked = this.fieldError ? { ok: false as const, ...this.fieldError, error: this.fieldError.text } : formToRequest(form, ctx);
    if (!checked.ok) {
      const field = this.element.querySelector(`[data-field="${CSS.escape(checked.field)}"]`);
      field?.setAttribute('aria-invalid', 'true');
      field?.setAttribute('aria-describedby', 'form-problem');
      this.problem.textContent = checked.error;
    } else this.problem.textContent = '';
  }

  private row(label: string, control: HTMLElement, field?: string): HTMLElement {
    const id = `f-${(field ?? label).replace(/[^a-z0-9]+/gi, '-')}`;
    if (!control.id && (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement)) control.id = id;
    return el('div', { className: 'row' }, [el('label', { className: 'label', text: label, attrs: { for: control.id || id } }), control]);
  }

  private select(field: string, options: readonly (readonly [string, string])[], value: string, onChange: (value: string) => void): HTMLSelectElement {
    const node = el('select', { attrs: { 'data-field': field } }, options.map(([v, text]) => el('option', { text, attrs: { value: v } })));
    node.value = value;
    node.addEventListener('change', () => onChange(node.value));
    return node;
  }

  private input(field: string, value: string, placeholder: string, onInput: (value: string) => void, label?: string): HTMLInputElement {
    const node = el('input', { attrs: { type: 'text', 'data-field': field, placeholder, spellcheck: 'false', ...(label ? { 'aria-label': label } : {}) } });
    node.value = value;
    node.addEventListener('input', () => onInput(node.value));
    return node;
  }

  private pairs(label: string, kind: 'query' | 'header', values: readonly (readonly [string, string])[], set: (values: [string, string][]) => void, addLabel: string): HTMLElement {
    const list = values.map(([n, v]) => [n, v] as [string, string]);
    const lines = list.map((pair, i) => {
      const what = kind === 'query' ? 'Query parameter' : 'Header';
      const name = this.input(`${kind}:${i}`, pair[0], 'name', (value) => {
        list[i] = [value, list[i]?.[1] ?? ''];
        this.update({ [kind === 'query' ? 'query' : 'headers']: list.map((p) => [...p] as [string, string]) } as Partial<TestRequestForm>, false);
      }, `${what} ${i + 1} name`);
      const value = this.input(`${kind}-value:${i}`, pair[1], 'value', (v) => {
        list[i] = [list[i]?.[0] ?? '', v];
        this.update({ [kind === 'query' ? 'query' : 'headers']: list.map((p) => [...p] as [string, string]) } as Partial<TestRequestForm>, false);
      }, `${what} ${i + 1} value`);
      const remove = button('×', `Remove this ${kind === 'query' ? 'query parameter' : 'header'}`, () => set(list.filter((_, j) => j !== i)), 'btn icon remove');
      return el('div', { className: 'pair' }, [name, value, remove]);
    });
    const add = button(`+ ${addLabel}`, addLabel, () => set([...list, ['', '']]), 'btn link add');
    return el('div', { className: 'row' }, [el('span', { className: 'label', text: label }), el('div', { className: 'pairs' }, [...lines, add])]);
  }
}

function apiLabel(a: FormApi): string {
  const flags = [`/${a.path}`, a.protocols.join('+') || 'no protocol', ...(a.subscriptionRequired ? ['key required'] : []), ...(a.assigned === false ? ['not assigned'] : []), ...(!a.isCurrent ? [`revision ${a.revision ?? '?'}`] : [])];
  return `${a.displayName} (${flags.join(' · ')})`;
}

function defaultParams(parameters: readonly { name: string; defaultValue?: string }[]): Record<string, string> {
  return Object.fromEntries(parameters.flatMap((p) => (p.defaultValue !== undefined ? [[p.name, p.defaultValue]] : [])));
}
