// The details pane: every field of one entry, its lastError / errors as indented JSON, and its lines as written,
// with copy buttons. Details come from the host on request (rows do not carry them); all of it is set as text.
import { entryLineText, type EntryDetails, type ExplanationMessage, type FindingView, type LogRow } from '../../contract/gatewayLogs.ts';
import { button, el } from '../shared/dom.ts';
import { formatIsoTime } from './format.ts';

export interface DetailsEvents {
  onClose(): void;
  onCopy(text: string): void;
  /** "Why did this fail?" on the entry shown. */
  onExplain(seq: number): void;
  /** Open the record's request in Send Test Request (offered with a diagnosis when the host can). */
  onResend(seq: number): void;
}

/** Answers kept for rows opened again; a few are plenty (the host diagnoses again when asked). */
const MAX_KEPT_EXPLANATIONS = 50;

export class DetailsPane {
  readonly element: HTMLElement;
  private readonly heading: HTMLSpanElement;
  private readonly body: HTMLDivElement;
  private readonly events: DetailsEvents;
  private seq: number | undefined;
  /** Where the explanation of the entry shown goes; undefined when the entry is not a failed request. */
  private explanationBox: HTMLElement | undefined;
  private explainButton: HTMLButtonElement | undefined;
  private readonly explanations = new Map<number, ExplanationMessage>();

  constructor(events: DetailsEvents) {
    this.events = events;
    this.heading = el('span', { className: 'details-title' });
    this.body = el('div', { className: 'details-body' });
    this.element = el('aside', { className: 'details', attrs: { 'aria-label': 'Entry details', tabindex: '-1' } }, [
      el('div', { className: 'details-bar' }, [this.heading, button('Close', 'Close the details (Escape)', () => events.onClose(), 'btn close')]),
      this.body,
    ]);
    this.element.hidden = true;
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        events.onClose();
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  get shownSeq(): number | undefined {
    return this.isOpen ? this.seq : undefined;
  }

  /** Opens on a row while its details are fetched. */
  showLoading(row: LogRow): void {
    this.seq = row.seq;
    this.element.hidden = false;
    this.heading.textContent = headingFor(row);
    this.body.replaceChildren(el('p', { className: 'muted', text: 'Loading…' }));
  }

  show(row: LogRow | undefined, details: EntryDetails | undefined, seq: number): void {
    if (seq !== this.seq || !this.isOpen) return;
    if (!details) {
      this.body.replaceChildren(el('p', { className: 'muted', text: 'This entry has left the session’s buffer; its details are no longer available.' }));
      return;
    }
    const copy = (label: string, title: string, text: () => string): HTMLButtonElement => button(label, title, () => this.events.onCopy(text()));
    const rawText = details.raw.join('\n');
    const actions = el('div', { className: 'details-actions' }, [
      copy('Copy lines', 'Copy the entry’s lines as written', () => rawText),
      copy('Copy as JSON', 'Copy the entry’s fields as a JSON object', () => JSON.stringify(Object.fromEntries(details.fields), null, 2)),
    ]);
    if (row?.correlationId) actions.append(copy('Copy correlation id', 'Copy the request’s correlationId', () => row.correlationId ?? ''));
    this.explanationBox = undefined;
    this.explainButton = undefined;
    const failed = details.kind === 'request' && (row?.failed === true || (row?.status ?? 0) >= 400 || details.lastErrorJson !== undefined);
    if (failed) {
      const explain = button('Why did this fail?', 'Diagnose this request from its record and the gateway’s configuration', () => this.events.onExplain(seq), 'btn explain');
      this.explainButton = explain;
      actions.prepend(explain);
      this.explanationBox = el('section', { className: 'explanation', attrs: { 'aria-live': 'polite' } });
      this.explanationBox.hidden = true;
    }

    const summary: [string, string][] = [['Line', entryLineText(details.line, details.lineWindow)], ['Kind', details.kind], ['Format', details.format]];
    if (details.level) summary.push(['Level', details.level]);
    if (details.timestamp) summary.push(['Timestamp', details.timestamp]);
    if (details.kubeletTime) summary.push(['Kubelet time', details.kubeletTime]);
    if (row?.time !== undefined) summary.push(['Shown time', `${formatIsoTime(row.time)} (${row.timeSource})`]);
    if (details.pod) summary.push(['Pod', details.pod]);

    const sections: Node[] = [actions, ...(this.explanationBox ? [this.explanationBox] : []), table('Entry', summary)];
    if (details.lastErrorJson) sections.push(jsonBlock('lastError', details.lastErrorJson, () => this.events.onCopy(details.lastErrorJson ?? '')));
    if (details.errorsJson) sections.push(jsonBlock('errors', details.errorsJson, () => this.events.onCopy(details.errorsJson ?? '')));
    if (details.fields.length > 0) sections.push(table('Fields', details.fields));
    if (details.notes.length > 0) sections.push(el('h3', { text: 'Parser notes' }), el('ul', {}, details.notes.map((n) => el('li', { text: n }))));
    sections.push(el('h3', { text: `Lines (${details.raw.length})` }), el('pre', { className: 'raw', text: rawText }));
    this.body.replaceChildren(...sections);
    const known = this.explanations.get(seq);
    if (known) this.renderExplanation(known);
  }

  /** An answer to "Why did this fail?": kept, and shown when it is about the entry on screen. */
  showExplanation(message: ExplanationMessage): void {
    this.explanations.delete(message.seq);
    this.explanations.set(message.seq, message);
    if (this.explanations.size > MAX_KEPT_EXPLANATIONS) this.explanations.delete(this.explanations.keys().next().value as number);
    if (message.seq === this.seq && this.isOpen) this.renderExplanation(message);
  }

  private renderExplanation(message: ExplanationMessage): void {
    const box = this.explanationBox;
    if (!box) return;
    box.hidden = false;
    const busy = message.state === 'busy';
    box.setAttribute('aria-busy', String(busy));
    if (this.explainButton) this.explainButton.disabled = busy;
    const heading = el('h3', { text: 'Why did this fail?' });
    switch (message.state) {
      case 'busy':
        box.replaceChildren(heading, el('p', { className: 'muted busy', text: message.message }));
        return;
      case 'error':
        box.replaceChildren(heading, el('p', { className: 'error', text: message.message }));
        return;
      case 'done': {
        const parts: Node[] = [heading];
        if (message.note) parts.push(el('p', { className: 'muted note', text: message.note }));
        if (message.findings.length === 0) parts.push(el('p', { className: 'muted', text: 'Nothing in this record or the gateway’s configuration explains it.' }));
        parts.push(...message.findings.map(findingNode));
        if (message.canResend) {
          const seq = message.seq;
          parts.push(button('Send again in Send Test Request…', 'Open this request in the Test Request view, where the fixes can be applied and the request resent', () => this.events.onResend(seq), 'btn resend'));
        }
        box.replaceChildren(...parts);
        return;
      }
    }
  }

  close(): void {
    this.element.hidden = true;
    this.seq = undefined;
    this.explanationBox = undefined;
    this.explainButton = undefined;
  }
}

function headingFor(row: LogRow): string {
  if (row.kind === 'request') return [row.method, row.path, row.status].filter((p) => p !== undefined).join(' ') || 'Request';
  return row.event ?? (row.kind === 'text' ? 'Text' : 'Event');
}

function findingNode(finding: FindingView): HTMLElement {
  const parts: Node[] = [
    el('h4', { className: 'finding-title' }, [el('span', { text: finding.title }), el('code', { className: 'finding-code', text: finding.code })]),
    el('p', { className: 'finding-explanation', text: finding.explanation }),
  ];
  if (finding.evidence.length > 0) {
    const rows = finding.evidence.map((e) => el('tr', {}, [el('th', { text: e.label, attrs: { title: e.label } }), el('td', { text: e.value })]));
    parts.push(el('table', { className: 'kv evidence' }, [el('tbody', {}, rows)]));
  }
  if (finding.fixes.length > 0) {
    parts.push(el('p', { className: 'fixes-label', text: 'Fixes' }), el('ul', { className: 'fixes' }, finding.fixes.map((f) => el('li', { text: f }))));
  }
  return el('div', { className: `finding sev-${finding.severity}`, attrs: { 'data-code': finding.code } }, parts);
}

function table(title: string, pairs: readonly (readonly [string, string])[]): HTMLElement {
  const rows = pairs.map(([key, value]) => el('tr', {}, [el('th', { text: key, attrs: { title: key } }), el('td', { text: value })]));
  return el('section', {}, [el('h3', { text: title }), el('table', { className: 'kv' }, [el('tbody', {}, rows)])]);
}

function jsonBlock(title: string, json: string, copy: () => void): HTMLElement {
  return el('section', { className: 'json' }, [
    el('h3', {}, [document.createTextNode(title), button('Copy', `Copy ${title}`, copy, 'btn small')]),
    el('pre', { className: `json ${title}`, text: json }),
  ]);
}
