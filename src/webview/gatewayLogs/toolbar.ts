// The toolbar: follow / pause / clear, and the filters. Holds no state of its own beyond its controls: main.ts owns
// the filter and tells the toolbar what to show.
import type { LogLevel } from '../../gatewayLogs/entry.ts';
import type { StatusClass } from '../../gatewayLogs/request.ts';
import { button, el, setPressed, setText, toggle } from '../shared/dom.ts';
import type { LogFilter } from './filter.ts';

export interface ToolbarEvents {
  onFollow(follow: boolean): void;
  onPause(paused: boolean): void;
  onClear(): void;
  /** `immediate` false: the user is typing; apply after a pause. */
  onFilter(filter: LogFilter, immediate: boolean): void;
  /** Escape in the filter box: back to the table. */
  onLeaveFilter(): void;
}

const LEVEL_CHOICES: readonly [string, LogLevel | ''][] = [
  ['All levels', ''],
  ['Debug and above', 'debug'],
  ['Info and above', 'info'],
  ['Warn and above', 'warn'],
  ['Error and above', 'error'],
];
const CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx'];

export class Toolbar {
  readonly element: HTMLDivElement;
  readonly filterInput: HTMLInputElement;
  private readonly follow: HTMLButtonElement;
  private readonly pause: HTMLButtonElement;
  private readonly pausedBadge: HTMLSpanElement;
  private readonly level: HTMLSelectElement;
  private readonly failures: HTMLInputElement;
  private readonly api: HTMLSelectElement;
  private readonly pod: HTMLSelectElement;
  private readonly count: HTMLSpanElement;
  private readonly events: ToolbarEvents;
  private filter: LogFilter;

  constructor(events: ToolbarEvents, initial: LogFilter) {
    this.events = events;
    this.filter = initial;
    this.follow = toggle('Follow', 'Keep the newest entry in view (End)', (on) => events.onFollow(on));
    this.pause = toggle('Pause', 'Stop showing new entries; they are still collected', (on) => events.onPause(on));
    this.pausedBadge = el('span', { className: 'badge', attrs: { 'aria-live': 'polite' } });
    this.pausedBadge.hidden = true;
    const clear = button('Clear', 'Remove every entry received so far from this view', () => events.onClear());

    this.filterInput = el('input', {
      className: 'filter',
      attrs: { type: 'search', placeholder: 'Filter: text, path, correlation id…  (/)', 'aria-label': 'Filter text', spellcheck: 'false' },
    });
    this.filterInput.value = initial.text;
    this.filterInput.addEventListener('input', () => this.change({ text: this.filterInput.value }, false));
    this.filterInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.change({ text: this.filterInput.value }, true);
      if (event.key === 'Escape') {
        event.preventDefault();
        events.onLeaveFilter();
      }
    });

    this.level = el('select', { attrs: { 'aria-label': 'Minimum level' } }, LEVEL_CHOICES.map(([label, value]) => option(label, value)));
    this.level.value = initial.minLevel ?? '';
    this.level.addEventListener('change', () => {
      const value = this.level.value;
      this.change({ minLevel: value === '' ? undefined : (value as LogLevel) }, true);
    });

    const classes = new Map<StatusClass, HTMLButtonElement>();
    for (const cls of CLASSES) {
      const chip = toggle(cls, `Only requests answered ${cls}`, () => {
        const chosen = CLASSES.filter((c) => classes.get(c)?.getAttribute('aria-pressed') === 'true');
        this.change({ statusClasses: chosen }, true);
      });
      chip.classList.add('chip', `c${cls[0] ?? ''}`);
      setPressed(chip, initial.statusClasses.includes(cls));
      classes.set(cls, chip);
    }

    this.failures = el('input', { attrs: { type: 'checkbox', id: 'failures-only' } });
    this.failures.checked = initial.failuresOnly;
    this.failures.addEventListener('change', () => this.change({ failuresOnly: this.failures.checked }, true));
    const failuresLabel = el('label', { className: 'check', attrs: { for: 'failures-only', title: 'Only requests the gateway did not complete with 2xx/3xx' } }, [
      this.failures,
      document.createTextNode('Failures only'),
    ]);

    this.api = el('select', { attrs: { 'aria-label': 'API' } }, [option('All APIs', '')]);
    this.api.addEventListener('change', () => this.change({ api: this.api.value || undefined }, true));
    this.pod = el('select', { attrs: { 'aria-label': 'Pod' } }, [option('All pods', '')]);
    this.pod.addEventListener('change', () => this.change({ pod: this.pod.value || undefined }, true));
    this.count = el('span', { className: 'count', attrs: { 'aria-live': 'polite' } });

    this.element = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Log view' } }, [
      el('span', { className: 'group live-only' }, [this.follow, this.pause, this.pausedBadge]),
      clear,
      this.filterInput,
      this.level,
      el('span', { className: 'group chips', attrs: { role: 'group', 'aria-label': 'Status class' } }, [...classes.values()]),
      failuresLabel,
      this.api,
      this.pod,
      this.count,
    ]);
  }

  setLive(live: boolean): void {
    this.element.classList.toggle('not-live', !live);
  }

  setFollow(follow: boolean): void {
    setPressed(this.follow, follow);
  }

  setPaused(paused: boolean, waiting: number): void {
    setPressed(this.pause, paused);
    setText(this.pause, paused ? 'Resume' : 'Pause');
    this.pausedBadge.hidden = !paused;
    setText(this.pausedBadge, `${waiting.toLocaleString('en-US')} new`);
  }

  setCount(shown: number, total: number): void {
    setText(this.count, shown === total ? `${total.toLocaleString('en-US')} entries` : `${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`);
  }

  /** The choices of the API and pod menus (what has been seen so far); the current choice stays even if it is gone. */
  setNames(apis: readonly string[], pods: readonly string[]): void {
    fillOptions(this.api, 'All APIs', apis, this.filter.api);
    fillOptions(this.pod, 'All pods', pods, this.filter.pod);
    this.pod.hidden = pods.length === 0 && this.filter.pod === undefined;
  }

  private change(patch: Partial<LogFilter>, immediate: boolean): void {
    this.filter = { ...this.filter, ...patch };
    this.events.onFilter(this.filter, immediate);
  }
}

function option(label: string, value: string): HTMLOptionElement {
  const node = el('option', { text: label });
  node.value = value;
  return node;
}

function fillOptions(select: HTMLSelectElement, allLabel: string, names: readonly string[], current: string | undefined): void {
  const wanted = current !== undefined && !names.includes(current) ? [...names, current] : names;
  const existing = [...select.options].slice(1).map((o) => o.value);
  if (existing.length === wanted.length && existing.every((v, i) => v === wanted[i])) return;
  select.replaceChildren(option(allLabel, ''), ...wanted.map((name) => option(name, name)));
  select.value = current ?? '';
}
