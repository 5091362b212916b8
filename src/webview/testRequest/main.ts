// The Test Request view: the request form, the result (status, headers, body, record, findings with fix buttons) and
// the requests sent since VS Code started. Everything from responses, logs and ARM is set with textContent (view.ts,
// form.ts). The unsent form survives the webview being reloaded (hidden, then shown) through the webview state.
import { isTestRequestToWebview, type HistoryEntryView, type TestRequestForm, type TestRequestToWebview } from '../../contract/testRequest.ts';
import { el } from '../shared/dom.ts';
import { hostApi, onHostMessage } from '../shared/vscodeApi.ts';
import { RequestForm } from './form.ts';
import { resultView, type ViewNode } from './view.ts';

interface Draft {
  readonly gateway: string;
  readonly form: TestRequestForm;
}

const root = document.getElementById('root') ?? document.body;
const status = el('div', { className: 'busy', attrs: { role: 'status' } });
const content = el('div', { className: 'content' });
const historyList = el('ol', { className: 'history-list' });
const historySection = el('section', { className: 'history' }, [el('h3', { text: 'Sent since VS Code started' }), historyList]);
let gatewayKey = '';
let firstInit = true;
let selectedHistory: number | undefined;

const form = new RequestForm({
  send: (values) => {
    status.textContent = 'Sending…';
    status.className = 'busy';
    setBusy(true);
    hostApi().postMessage({ type: 'testRequest/send', form: values });
  },
  cancel: () => hostApi().postMessage({ type: 'testRequest/cancel' }),
  copyKey: (subscription) => hostApi().postMessage({ type: 'testRequest/copyKey', subscription }),
  changed: (values) => hostApi().setState({ gateway: gatewayKey, form: values } satisfies Draft),
});
root.append(el('section', { className: 'request' }, [el('h2', { className: 'title', text: 'Send Test Request' }), form.element]), status, content, historySection);

function build(node: ViewNode): HTMLElement {
  const element = el(node.tag, { ...(node.className ? { className: node.className } : {}), ...(node.text !== undefined ? { text: node.text } : {}), ...(node.tag === 'button' ? { attrs: { type: 'button' } } : {}) }, (node.children ?? []).map(build));
  const action = node.action;
  if (action) {
    element.addEventListener('click', () => {
      status.textContent = 'Working…';
      setBusy(true);
      hostApi().postMessage(action.kind === 'retry' ? { type: 'testRequest/retry' } : { type: 'testRequest/fix', finding: action.finding, fix: action.fix });
    });
  }
  return element;
}

function setBusy(busy: boolean, cancellable = false): void {
  for (const b of content.querySelectorAll('button')) b.disabled = busy;
  form.setBusy(busy, cancellable);
}

function renderHistory(entries: readonly HistoryEntryView[]): void {
  historySection.hidden = entries.length === 0;
  historyList.replaceChildren(
    ...entries.map((e) => {
      const time = new Date(e.sentAt);
      const item = el('button', { className: `history-item ${e.ok ? 'ok' : 'fail'}`, attrs: { type: 'button', title: `${e.transport} · ${e.gateway}`, 'aria-current': String(e.id === selectedHistory), 'data-id': String(e.id) } }, [
        el('span', { className: 'outcome', text: e.outcome }),
        el('span', { className: 'what', text: `${e.method} ${e.path}` }),
        el('span', { className: 'when', text: Number.isNaN(time.getTime()) ? e.sentAt : time.toLocaleTimeString() }),
        el('span', { className: 'where', text: e.gateway }),
      ]);
      item.addEventListener('click', () => {
        selectedHistory = e.id;
        hostApi().postMessage({ type: 'testRequest/showHistory', id: e.id });
      });
      return el('li', {}, [item]);
    }),
  );
}

function onMessage(message: TestRequestToWebview): void {
  switch (message.type) {
    case 'testRequest/init': {
      gatewayKey = `${message.context.gateway.context}/${message.context.gateway.namespace}/${message.context.gateway.deployment}`;
      const draft = hostApi().getState() as Draft | undefined;
      // After a reload the user's unsent edits win; a later init (a fix changed the API) brings the host's values.
      form.init(message.context, firstInit && draft?.gateway === gatewayKey && draft.form ? draft.form : message.form);
      firstInit = false;
      return;
    }
    case 'testRequest/form':
      form.setValues(message.form);
      hostApi().setState({ gateway: gatewayKey, form: message.form } satisfies Draft);
      return;
    case 'testRequest/busy':
      status.textContent = message.text;
      status.className = 'busy';
      setBusy(true, message.cancellable ?? false);
      return;
    case 'testRequest/error':
      status.textContent = message.text;
      status.className = message.text === 'Cancelled.' || message.text.startsWith('Key copied') ? 'busy' : 'busy error';
      setBusy(false);
      if (message.field) form.showFieldError(message.field, message.text);
      return;
    case 'testRequest/history':
      renderHistory(message.entries);
      return;
    case 'testRequest/result':
      status.textContent = '';
      status.className = 'busy';
      selectedHistory = message.historyId;
      content.replaceChildren(...resultView(message.result, message.attempt, message.live ?? true).map(build));
      setBusy(false);
      // The answer is below a long form: bring its status and the reason into view.
      content.scrollIntoView({ block: 'start', behavior: 'instant' });
      for (const item of historyList.querySelectorAll<HTMLElement>('.history-item')) item.setAttribute('aria-current', String(item.dataset['id'] === String(selectedHistory)));
      return;
  }
}

onHostMessage(isTestRequestToWebview, onMessage);
hostApi().postMessage({ type: 'ready' });
