// The Test Request view: shows one result (status, headers, body, record, findings) and sends fix / retry clicks to
// the host. Everything from the response is set with textContent (see view.ts).
import { isTestRequestToWebview, type TestRequestToWebview } from '../../contract/testRequest.ts';
import { el } from '../shared/dom.ts';
import { hostApi, onHostMessage } from '../shared/vscodeApi.ts';
import { resultView, type ViewNode } from './view.ts';

const root = document.getElementById('root') ?? document.body;
const status = el('div', { className: 'busy', attrs: { role: 'status' } });
const content = el('div', { className: 'content' });
root.append(status, content);

function build(node: ViewNode): HTMLElement {
  const element = el(node.tag, { ...(node.className ? { className: node.className } : {}), ...(node.text !== undefined ? { text: node.text } : {}), ...(node.tag === 'button' ? { attrs: { type: 'button' } } : {}) }, (node.children ?? []).map(build));
  const action = node.action;
  if (action) {
    element.addEventListener('click', () => {
      status.textContent = 'Working…';
      for (const b of content.querySelectorAll('button')) b.disabled = true;
      hostApi().postMessage(action.kind === 'retry' ? { type: 'testRequest/retry' } : { type: 'testRequest/fix', finding: action.finding, fix: action.fix });
    });
  }
  return element;
}

function onMessage(message: TestRequestToWebview): void {
  if (message.type === 'testRequest/busy') {
    status.textContent = message.text;
    for (const b of content.querySelectorAll('button')) b.disabled = true;
    return;
  }
  if (message.type === 'testRequest/error') {
    status.textContent = message.text;
    for (const b of content.querySelectorAll('button')) b.disabled = false;
    return;
  }
  status.textContent = '';
  content.replaceChildren(...resultView(message.result, message.attempt).map(build));
}

onHostMessage(isTestRequestToWebview, onMessage);
hostApi().postMessage({ type: 'ready' });
