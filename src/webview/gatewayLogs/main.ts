// The Gateway Logs webview. Rows arrive from the host in acknowledged batches; they are stored (bounded), filtered
// incrementally into the view, and the virtual table draws what is on screen once per animation frame at most.
// Log content is only ever set as text (see ../shared/dom.ts); no markup is built from data anywhere in this view.
import type { EntryDetails, GatewayLogsToWebview, LogRow, PodStatus, ResetMessage, SessionNotice } from '../../contract/gatewayLogs.ts';
import { isGatewayLogsWire, unpackAppend } from '../../contract/gatewayLogs.ts';
import { el, setText } from '../shared/dom.ts';
import { hostApi, onHostMessage } from '../shared/vscodeApi.ts';
import { RequestChart } from './chart.ts';
import { DetailsPane } from './details.ts';
import { EMPTY_FILTER, LEVEL_RANK, compileBulkFilter, compileFilter, type LogFilter } from './filter.ts';
import { formatCount, formatIsoTime } from './format.ts';
import { FilteredView, RowStore } from './store.ts';
import { VirtualTable } from './table.ts';
import { Toolbar } from './toolbar.ts';

/**
 * Optional instrumentation for the benchmarks (bench/webview.ts, bench/tail.ts): a page that defines this object
 * before the script loads gets called back; in VS Code it does not exist and costs one check per event.
 */
interface Probe {
  /** A filter's rows are chosen, the table drawn and the count shown, `ms` after the filter changed. */
  filtered?(ms: number, rows: number): void;
  /** The chart shows a changed filter's rows too, `ms` after it changed (the chart follows in a task of its own). */
  charted?(ms: number): void;
  /**
   * A frame drew rows: the newest drawn (called when it is newer than the last, or when rows were inserted among
   * older ones since: a late entry is on screen, or would be if scrolled to, from the first such frame after it was
   * stored).
   */
  painted?(newestSeq: number, wallTime: number): void;
  /** The rows of append `batch` are stored. */
  stored?(batch: number, wallTime: number): void;
}
const probe = (globalThis as { __gatewayLogsProbe?: Probe }).__gatewayLogsProbe;

/** What survives the webview being hidden and shown again (VS Code keeps it for the panel). */
interface SavedState {
  readonly filter: LogFilter;
  readonly follow?: boolean;
}

const CHART_INTERVAL_MS = 1000;
const TEXT_FILTER_DELAY_MS = 150;
const MAX_NOTICES = 50;

class GatewayLogsView {
  private store = new RowStore(50_000);
  private view = new FilteredView();
  private filter: LogFilter;
  private follow: boolean | undefined;
  private paused = false;
  /** While paused, the newest seq the view may show. */
  private pausedAt = Number.POSITIVE_INFINITY;
  private arrivedWhilePaused = 0;
  private droppedBefore = 0;
  private skipped = 0;
  /** The store's eviction count when the user last cleared: rows let go before a clear are not reported after it. */
  private evictedAtClear = 0;
  private live = true;
  private ended = false;
  private title = '';
  private pods: readonly PodStatus[] = [];
  private notices: SessionNotice[] = [];
  private namesVersion = -1;
  private frame = 0;
  private chartTimer: ReturnType<typeof setTimeout> | undefined;
  private lastChartAt = 0;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPaintedSeq = -1;
  /** Rows were inserted among older ones since the last frame reported to the probe. */
  private insertedUnpainted = false;
  /** When the filter the chart has yet to show was applied (for the benchmark probe). */
  private filterStartedAt: number | undefined;

  private readonly toolbar: Toolbar;
  private readonly table: VirtualTable;
  private readonly details: DetailsPane;
  private readonly chart: RequestChart;
  private readonly titleText = el('span', { className: 'title' });
  private readonly stateText = el('span', { className: 'state' });
  private readonly droppedNote = el('span', { className: 'dropped', attrs: { role: 'status' } });
  private readonly podList = el('span', { className: 'pods', attrs: { 'aria-label': 'Pods' } });
  private readonly noticeBox = el('details', { className: 'notices' });
  private readonly root: HTMLElement;

  constructor(root: HTMLElement) {
    this.root = root;
    const saved = readState();
    this.filter = saved?.filter ?? EMPTY_FILTER;
    this.follow = saved?.follow;
    this.toolbar = new Toolbar(
      {
        onFollow: (on) => this.setFollow(on),
        onPause: (on) => this.setPaused(on),
        onClear: () => this.clear(),
        onFilter: (filter, immediate) => this.changeFilter(filter, immediate),
        onLeaveFilter: () => this.table.element.focus(),
      },
      this.filter,
    );
    this.table = new VirtualTable({
      onSelect: (row) => {
        if (row && this.details.isOpen) this.openDetails(row);
      },
      onOpen: (row) => this.openDetails(row),
      onUserScroll: (atEnd) => {
        if (this.live && !this.paused && atEnd !== this.follow) this.setFollow(atEnd);
      },
      onEscape: () => {
        if (this.details.isOpen) this.closeDetails();
        else this.table.setSelectedSeq(undefined);
      },
    });
    this.table.setRenderListener((_first, end) => this.reportPaint(end));
    this.details = new DetailsPane({
      onClose: () => this.closeDetails(),
      onCopy: (text) => hostApi().postMessage({ type: 'gatewayLogs/copy', text }),
      onExplain: (seq) => {
        this.details.showExplanation({ type: 'gatewayLogs/explanation', seq, state: 'busy', message: 'Diagnosing…' });
        hostApi().postMessage({ type: 'gatewayLogs/explain', seq });
      },
      onResend: (seq) => hostApi().postMessage({ type: 'gatewayLogs/resend', seq }),
    });
    this.chart = new RequestChart();
    const status = el('div', { className: 'status' }, [this.titleText, this.stateText, this.podList, this.droppedNote, this.noticeBox]);
    root.replaceChildren(this.toolbar.element, status, this.chart.element, el('div', { className: 'main' }, [this.table.element, this.details.element]));
    document.addEventListener('keydown', (event) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
      event.preventDefault();
      this.toolbar.filterInput.focus();
      this.toolbar.filterInput.select();
    });
    this.updateStatus();
  }

  handle(message: GatewayLogsToWebview): void {
    switch (message.type) {
      case 'gatewayLogs/reset':
        this.reset(message);
        return;
      case 'gatewayLogs/append':
        this.append(message.rows, message.skipped);
        probe?.stored?.(message.batch, performance.timeOrigin + performance.now());
        // Acknowledged once stored: that, not painting, is what lets the host send more.
        hostApi().postMessage({ type: 'gatewayLogs/ack', batch: message.batch, rows: message.rows.length });
        return;
      case 'gatewayLogs/pods':
        this.pods = message.pods;
        this.table.podNames.seed(message.pods.map((p) => p.pod));
        this.updateStatus();
        return;
      case 'gatewayLogs/notice':
        this.notices.unshift(message.notice);
        this.notices.length = Math.min(this.notices.length, MAX_NOTICES);
        this.updateStatus();
        return;
      case 'gatewayLogs/ended':
        this.ended = true;
        this.updateStatus();
        return;
      case 'gatewayLogs/details':
        this.showDetails(message.seq, message.details);
        return;
      case 'gatewayLogs/explanation':
        this.details.showExplanation(message);
        return;
      case 'gatewayLogs/cleared':
        this.store.clearThrough(message.throughSeq);
        this.scheduleRefresh();
        return;
    }
  }

  private reset(message: ResetMessage): void {
    this.store = new RowStore(message.settings.maxEntries);
    this.view = new FilteredView();
    this.view.rebuild(this.store, compileFilter(this.filter));
    this.table.setSource(this.view);
    this.live = message.live;
    this.ended = message.ended;
    this.title = message.title;
    this.pods = message.pods;
    this.table.podNames.seed(message.pods.map((p) => p.pod));
    this.droppedBefore = message.droppedBefore;
    this.skipped = 0;
    this.evictedAtClear = 0;
    this.notices = [];
    this.paused = false;
    this.pausedAt = Number.POSITIVE_INFINITY;
    this.arrivedWhilePaused = 0;
    // A live tail starts at the newest entry; a file starts at its first line.
    this.follow = this.live ? (this.follow ?? true) : false;
    this.toolbar.setLive(this.live);
    this.toolbar.setFollow(this.follow);
    this.toolbar.setPaused(false, 0);
    this.closeDetails();
    this.table.setSelectedSeq(undefined);
    this.table.scrollToStart();
    this.lastPaintedSeq = -1;
    this.scheduleRefresh();
  }

  private append(rows: readonly LogRow[], skipped: number): void {
    if (probe?.painted) {
      const newest = this.store.last()?.seq ?? -1;
      if (rows.some((row) => row.seq < newest)) this.insertedUnpainted = true;
    }
    this.store.append(rows);
    this.skipped += skipped;
    if (this.paused) this.arrivedWhilePaused += rows.length;
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.refresh();
    });
  }

  /** Brings the view up to date with the store and draws: one per animation frame, however many batches came. */
  private refresh(): void {
    const following = this.follow === true && !this.paused;
    const anchor = following ? undefined : this.table.topAnchor();
    if (!this.paused) {
      this.view.trimTo(this.store);
      this.view.extend(this.store);
    }
    this.table.invalidate();
    if (following) this.table.scrollToEnd();
    // Someone reading older rows while the oldest are let go, or late entries are placed above: the rows they read
    // stay where they are.
    else if (anchor) this.table.restoreTop(anchor);
    else this.table.render();
    this.updateStatus();
    this.scheduleChart(false);
  }

  private changeFilter(filter: LogFilter, immediate: boolean): void {
    this.filter = filter;
    if (this.filterTimer) clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => {
      this.filterTimer = undefined;
      this.applyFilter();
    }, immediate ? 0 : TEXT_FILTER_DELAY_MS);
    saveState({ filter: this.filter, follow: this.follow });
  }

  private applyFilter(): void {
    const started = performance.now();
    const selected = this.table.selectedSeq;
    this.view.rebuild(this.store, compileFilter(this.filter), this.paused ? this.pausedAt : Number.POSITIVE_INFINITY, compileBulkFilter(this.filter));
    this.table.setSource(this.view);
    if (this.follow && !this.paused) {
      this.table.scrollToEnd();
    } else if (selected !== undefined && this.view.indexOfSeq(selected) >= 0) {
      this.table.select(this.view.indexOfSeq(selected), 'nearest');
    } else {
      this.table.scrollToStart();
    }
    this.updateStatus();
    probe?.filtered?.(performance.now() - started, this.view.length);
    this.filterStartedAt = started;
    this.scheduleChart(true);
  }

  private setFollow(follow: boolean): void {
    this.follow = follow;
    this.toolbar.setFollow(follow);
    saveState({ filter: this.filter, follow });
    if (follow && !this.paused) this.table.scrollToEnd();
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.pausedAt = paused ? (this.view.newestScannedSeq >= 0 ? this.view.newestScannedSeq : (this.store.last()?.seq ?? -1)) : Number.POSITIVE_INFINITY;
    this.arrivedWhilePaused = 0;
    this.toolbar.setPaused(paused, 0);
    if (!paused) this.scheduleRefresh();
  }

  private clear(): void {
    hostApi().postMessage({ type: 'gatewayLogs/clear' });
    this.store.clearThrough(this.store.last()?.seq ?? -1);
    this.view.clear();
    this.droppedBefore = 0;
    this.skipped = 0;
    this.evictedAtClear = this.store.evicted;
    this.arrivedWhilePaused = 0;
    this.closeDetails();
    this.table.setSelectedSeq(undefined);
    this.table.invalidate();
    this.table.scrollToStart();
    this.updateStatus();
    this.scheduleChart(true);
  }

  private openDetails(row: LogRow): void {
    if (this.details.shownSeq === row.seq) return;
    this.details.showLoading(row);
    this.root.classList.add('with-details');
    hostApi().postMessage({ type: 'gatewayLogs/requestDetails', seq: row.seq });
  }

  private showDetails(seq: number, details: EntryDetails | undefined): void {
    const index = this.store.lowerBound(seq);
    const row = this.store.at(index)?.seq === seq ? this.store.at(index) : undefined;
    this.details.show(row, details, seq);
  }

  private closeDetails(): void {
    const wasOpen = this.details.isOpen;
    this.details.close();
    this.root.classList.remove('with-details');
    if (wasOpen) this.table.element.focus({ preventScroll: true });
  }

  private scheduleChart(now: boolean): void {
    if (this.chartTimer !== undefined) {
      if (!now) return;
      clearTimeout(this.chartTimer);
    }
    // Off the frame that painted the rows: the chart reads every row of the view, the table only the visible ones.
    const wait = now ? 0 : Math.max(0, this.lastChartAt + CHART_INTERVAL_MS - performance.now());
    this.chartTimer = setTimeout(() => {
      this.chartTimer = undefined;
      this.lastChartAt = performance.now();
      this.chart.update(this.view);
      if (this.filterStartedAt !== undefined) probe?.charted?.(performance.now() - this.filterStartedAt);
      this.filterStartedAt = undefined;
    }, wait);
  }

  private updateStatus(): void {
    setText(this.titleText, this.title);
    setText(this.stateText, this.live ? (this.ended ? 'stream ended' : this.paused ? 'paused' : 'live') : 'file');
    this.stateText.className = `state ${this.live ? (this.ended ? 'ended' : this.paused ? 'paused' : 'live') : 'file'}`;
    const dropped = this.droppedBefore + this.skipped + this.store.evicted - this.evictedAtClear;
    this.droppedNote.hidden = dropped === 0;
    setText(
      this.droppedNote,
      `${formatCount(dropped)} older ${dropped === 1 ? 'entry' : 'entries'} dropped (the view keeps the newest ${formatCount(this.store.maxEntries)}: setting arcApimGateway.logs.maxEntries)`,
    );
    this.toolbar.setCount(this.view.length, this.store.length);
    if (this.paused) this.toolbar.setPaused(true, this.arrivedWhilePaused);
    if (this.namesVersion !== this.store.namesVersion) {
      this.namesVersion = this.store.namesVersion;
      const pods = new Set(this.store.pods());
      for (const p of this.pods) pods.add(p.pod);
      this.toolbar.setNames(this.store.apis(), [...pods].sort());
    }
    this.root.classList.toggle('no-pods', this.pods.length === 0 && this.store.pods().length === 0);
    this.renderPods();
    this.renderNotices();
  }

  private renderPods(): void {
    const key = this.pods.map((p) => `${p.pod}:${p.state}:${p.restartCount ?? 0}:${p.message ?? ''}`).join('|');
    if (this.podList.dataset.key === key) return;
    this.podList.dataset.key = key;
    this.podList.replaceChildren(
      ...this.pods.map((p) => {
        const restarts = p.restartCount ? ` ↻${p.restartCount}` : '';
        return el('span', {
          className: `pod-chip st-${p.state}`,
          text: `${p.pod} · ${p.state}${restarts}`,
          attrs: { title: p.message ? `${p.pod}: ${p.state} — ${p.message}` : `${p.pod}: ${p.state}` },
        });
      }),
    );
  }

  private renderNotices(): void {
    const count = String(this.notices.length);
    if (this.noticeBox.dataset.count === count) return;
    this.noticeBox.dataset.count = count;
    this.noticeBox.hidden = this.notices.length === 0;
    const latest = this.notices[0];
    const summary = el('summary', { text: latest ? `${this.notices.length} notice${this.notices.length === 1 ? '' : 's'} · latest: ${latest.text}` : '' });
    const list = el(
      'ul',
      {},
      this.notices.map((n) => el('li', { text: `${formatIsoTime(n.time)}${n.pod ? ` ${n.pod}` : ''}: ${n.text}` })),
    );
    this.noticeBox.replaceChildren(summary, list);
  }

  private reportPaint(end: number): void {
    if (!probe?.painted) return;
    const newest = this.view.at(end - 1)?.seq ?? -1;
    if (newest > this.lastPaintedSeq || (this.insertedUnpainted && newest >= 0)) {
      this.lastPaintedSeq = Math.max(this.lastPaintedSeq, newest);
      this.insertedUnpainted = false;
      probe.painted(this.lastPaintedSeq, performance.timeOrigin + performance.now());
    }
  }
}

function readState(): SavedState | undefined {
  const state = hostApi().getState();
  if (typeof state !== 'object' || state === null) return undefined;
  const filter = (state as { filter?: unknown }).filter;
  if (typeof filter !== 'object' || filter === null) return undefined;
  const f = filter as Partial<LogFilter>;
  const follow = (state as { follow?: unknown }).follow;
  return {
    filter: {
      ...EMPTY_FILTER,
      ...(typeof f.text === 'string' ? { text: f.text } : {}),
      ...(typeof f.failuresOnly === 'boolean' ? { failuresOnly: f.failuresOnly } : {}),
      ...(typeof f.minLevel === 'string' && Object.hasOwn(LEVEL_RANK, f.minLevel) ? { minLevel: f.minLevel } : {}),
      ...(Array.isArray(f.statusClasses) ? { statusClasses: f.statusClasses.filter((c) => ['2xx', '3xx', '4xx', '5xx'].includes(c)) } : {}),
      ...(typeof f.api === 'string' ? { api: f.api } : {}),
      ...(typeof f.pod === 'string' ? { pod: f.pod } : {}),
    },
    ...(typeof follow === 'boolean' ? { follow } : {}),
  };
}

function saveState(state: SavedState): void {
  hostApi().setState(state);
}

const root = document.getElementById('root');
if (root) {
  const view = new GatewayLogsView(root);
  onHostMessage(isGatewayLogsWire, (message) => {
    // Appends come packed into columns (see packAppend); one that does not unpack into valid rows is ignored.
    const unpacked = message.type === 'gatewayLogs/appendPacked' ? unpackAppend(message) : message;
    if (unpacked) view.handle(unpacked);
  });
  hostApi().postMessage({ type: 'ready' });
}
