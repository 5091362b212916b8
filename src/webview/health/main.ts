// The Gateway Health view: the overall state, then every check (passed, failed, unknown) with its summary, and the
// findings of failed ones with their evidence and fix buttons. Everything from the cluster, the log and ARM is set
// with textContent (el()); fixes go back as indices into the report shown.
import { isHealthToWebview, type HealthReportMessage } from '../../contract/health.ts';
import type { HealthCheck, HealthFinding } from '../../health/types.ts';
import { el } from '../shared/dom.ts';
import { hostApi, onHostMessage } from '../shared/vscodeApi.ts';

const root = document.getElementById('root') ?? document.body;
const heading = el('h2', { className: 'overall', text: 'Gateway health' });
const target = el('div', { className: 'target' });
const recheck = el('button', { className: 'btn', text: 'Check Again', attrs: { type: 'button', title: 'Read the gateway again and run every check' } });
const status = el('div', { className: 'busy', attrs: { role: 'status', 'aria-live': 'polite' } });
const problem = el('div', { className: 'problem', attrs: { role: 'alert' } });
const notes = el('ul', { className: 'notes' });
const checks = el('ol', { className: 'checks', attrs: { 'aria-label': 'Checks' } });
root.append(el('header', {}, [heading, target, recheck]), status, problem, notes, checks);
recheck.addEventListener('click', () => hostApi().postMessage({ type: 'health/recheck' }));

const OVERALL: Record<string, string> = { healthy: 'Healthy', degraded: 'Degraded', failed: 'Failing', unknown: 'Not known' };
const STATUS: Record<HealthCheck['status'], string> = { passed: '✓ passed', failed: '✗ failed', unknown: '? not known' };

function evidence(items: readonly { label: string; value: string }[]): HTMLElement {
  return el('table', { className: 'kv' }, [el('tbody', {}, items.map((e) => el('tr', {}, [el('th', { text: e.label }), el('td', { text: e.value })])))]);
}

function finding(f: HealthFinding, index: number): HTMLElement {
  const buttons = f.fixes.map((fix, i) => {
    const b = el('button', { className: 'btn', text: fix.label, attrs: { type: 'button', 'data-fix': fix.id } });
    b.addEventListener('click', () => hostApi().postMessage({ type: 'health/fix', finding: index, fix: i }));
    return b;
  });
  return el('div', { className: `finding ${f.severity}`, attrs: { 'data-code': f.code } }, [
    el('div', { className: 'title', text: `${f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Note'}: ${f.title}` }),
    el('p', { text: f.explanation }),
    evidence(f.evidence),
    el('div', { className: 'fixes' }, buttons),
  ]);
}

function render(message: HealthReportMessage): void {
  const report = message.report;
  heading.textContent = `${OVERALL[report.overall] ?? report.overall}`;
  heading.className = `overall ${report.overall}`;
  target.textContent = `${message.target} · checked ${new Date(message.checkedAt).toLocaleTimeString()}`;
  notes.replaceChildren(...message.notes.map((n) => el('li', { text: n })));
  problem.textContent = '';
  checks.replaceChildren(
    ...report.checks.map((c) =>
      el('li', { className: `check ${c.status}`, attrs: { 'data-check': c.id, 'data-status': c.status } }, [
        el('div', { className: 'check-head' }, [el('span', { className: 'mark', text: STATUS[c.status] }), el('span', { className: 'name', text: c.title })]),
        el('div', { className: 'summary', text: c.summary }),
        ...(c.status === 'passed' && c.evidence.length > 0 ? [evidence(c.evidence)] : []),
        // Messages cross as JSON, so a finding shared by two checks arrives as two copies: found by code and title.
        ...c.findings.map((f) => finding(f, report.findings.findIndex((x) => x.code === f.code && x.title === f.title))),
      ]),
    ),
  );
}

onHostMessage(isHealthToWebview, (message) => {
  switch (message.type) {
    case 'health/report':
      render(message);
      break;
    case 'health/busy':
      status.textContent = message.message;
      for (const b of root.querySelectorAll('button')) b.disabled = message.message !== '';
      break;
    case 'health/error':
      problem.textContent = message.message;
      break;
  }
});
hostApi().postMessage({ type: 'ready' });
