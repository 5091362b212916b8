// The Gateway Health view: one panel per gateway Deployment, showing every check of the last run with its evidence
// and fix buttons. Checking and fixing come in as a driver from the command (src/commands/checkGatewayHealth.ts);
// the panel knows nothing of the cluster or Azure. One action at a time; closing the tab aborts it.
import * as vscode from 'vscode';
import type { HealthToHost, HealthToWebview } from '../contract/health.ts';
import { isHealthToHost } from '../contract/health.ts';
import type { HealthFix, HealthReport } from '../health/types.ts';
import type { Logger } from '../extensionLog.ts';
import { Disposable } from '../util/disposable.ts';
import { Emitter, type Event } from '../util/event.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { PanelShell } from './panelShell.ts';

export interface HealthRun {
  readonly report: HealthReport;
  readonly notes: readonly string[];
}

export interface HealthDriver {
  check(signal: AbortSignal): Promise<HealthRun>;
  /** Acts on a fix (asking first where it changes something); says whether to check again afterwards. */
  applyFix(fix: HealthFix, signal: AbortSignal): Promise<{ recheck: boolean }>;
}

/** What the command returns: tests drive the view through it as the buttons would. */
export interface HealthHandle {
  readonly key: string;
  readonly report: HealthReport | undefined;
  /** Resolves when the current check / fix is over (with its failure message, if any). */
  idle(): Promise<string | undefined>;
  recheck(): Promise<string | undefined>;
  fix(finding: number, fix: number): Promise<string | undefined>;
  reveal(): void;
  readonly closed: boolean;
  dispose(): void;
}

export interface HealthPanelOptions {
  readonly extensionUri: vscode.Uri;
  readonly key: string;
  /** `Deployment apim/gw (context)`. */
  readonly label: string;
  readonly title: string;
  readonly driver: HealthDriver;
  readonly log: Logger;
}

export class HealthPanel extends Disposable implements HealthHandle {
  readonly key: string;
  private readonly label: string;
  private readonly shell: PanelShell<HealthToWebview, HealthToHost>;
  private readonly driver: HealthDriver;
  private readonly log: Logger;
  private readonly closing = new AbortController();
  private readonly changed = new Emitter<HealthReport>();
  /** Every finished check: the tree's health badge listens. */
  readonly onDidCheck: Event<HealthReport> = this.changed.event;
  private readonly disposedEmitter = new Emitter<void>();
  readonly onDidDispose: Event<void> = this.disposedEmitter.event;
  private current: Promise<string | undefined> = Promise.resolve(undefined);
  private last: { run: HealthRun; at: string } | undefined;
  private busyText: string | undefined;

  constructor(options: HealthPanelOptions) {
    super();
    this.key = options.key;
    this.label = options.label;
    this.driver = options.driver;
    this.log = options.log;
    this.shell = this.register(new PanelShell<HealthToWebview, HealthToHost>({
      viewType: 'arcApimGateway.health',
      title: options.title,
      extensionUri: options.extensionUri,
      script: 'health',
      styles: ['health.css'],
      isMessage: isHealthToHost,
    }));
    this.register(this.changed);
    this.register(this.shell.onDidClose(() => this.dispose()));
    this.register(this.shell.onDidReceiveMessage((message) => {
      if (message.type === 'health/recheck') void this.recheck();
      else void this.fix(message.finding, message.fix);
    }));
    this.register(this.shell.onDidBecomeReady(() => this.postAll()));
  }

  get report(): HealthReport | undefined {
    return this.last?.run.report;
  }

  get closed(): boolean {
    return this.isDisposed;
  }

  reveal(): void {
    this.shell.panel.reveal();
  }

  idle(): Promise<string | undefined> {
    return this.current;
  }

  recheck(): Promise<string | undefined> {
    return this.run('Checking…', async (signal) => {
      const run = await this.driver.check(signal);
      this.last = { run, at: new Date().toISOString() };
      this.changed.fire(run.report);
    });
  }

  fix(finding: number, fix: number): Promise<string | undefined> {
    const chosen = this.last?.run.report.findings[finding]?.fixes[fix];
    if (!chosen) {
      const message = 'That fix is no longer offered; check again.';
      this.shell.post({ type: 'health/error', message });
      return Promise.resolve(message);
    }
    return this.run(`${chosen.label}…`, async (signal) => {
      const outcome = await this.driver.applyFix(chosen, signal);
      if (outcome.recheck && !signal.aborted) {
        this.busyText = 'Checking…';
        this.postAll();
        const run = await this.driver.check(signal);
        this.last = { run, at: new Date().toISOString() };
        this.changed.fire(run.report);
      }
    });
  }

  private run(text: string, work: (signal: AbortSignal) => Promise<void>): Promise<string | undefined> {
    const next = this.current.then(async () => {
      if (this.isDisposed) return 'closed';
      this.busyText = text;
      this.postAll();
      try {
        await work(this.closing.signal);
        return undefined;
      } catch (error) {
        if (error instanceof vscode.CancellationError || this.closing.signal.aborted) return 'cancelled';
        const message = safeErrorMessage(error);
        this.log.warn(`health of ${this.label}: ${message}`);
        this.shell.post({ type: 'health/error', message });
        return message;
      } finally {
        this.busyText = undefined;
        this.postAll();
      }
    });
    this.current = next;
    return next;
  }

  private postAll(): void {
    if (this.last) this.shell.post({ type: 'health/report', target: this.label, checkedAt: this.last.at, report: this.last.run.report, notes: this.last.run.notes });
    this.shell.post({ type: 'health/busy', message: this.busyText ?? '' });
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.closing.abort();
    super.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }
}

/** One Gateway Health view per Deployment, and the last overall state of every gateway checked (the tree's badge). */
/** Pod changes come in bursts (a rollout): one re-check per burst, after it settles. */
const RECHECK_AFTER_MS = 3_000;

export class HealthPanels extends Disposable {
  private readonly panels = new Map<string, HealthPanel>();
  private readonly redraws = new Map<string, () => void>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly states = new Map<string, { overall: HealthReport['overall']; problems: number }>();
  private readonly stateChanged = this.register(new Emitter<string>());
  /** A gateway's overall state changed (its key). */
  readonly onDidChangeState: Event<string> = this.stateChanged.event;

  get(key: string): HealthPanel | undefined {
    const panel = this.panels.get(key);
    return panel && !panel.closed ? panel : undefined;
  }

  /** `healthy`, `degraded (2)`… for the tree, when this Deployment was checked since VS Code started. */
  stateOf(key: string): { overall: HealthReport['overall']; problems: number } | undefined {
    return this.states.get(key);
  }

  record(key: string, report: HealthReport): void {
    const problems = report.findings.filter((f) => f.severity !== 'info').length;
    const before = this.states.get(key);
    if (before?.overall === report.overall && before.problems === problems) return;
    this.states.set(key, { overall: report.overall, problems });
    this.stateChanged.fire(key);
    this.redraws.get(key)?.();
  }

  /** The tree's badge for a Deployment; `redraw` is called when it changes (the newest caller's). */
  badge(key: string, redraw: () => void): { overall: HealthReport['overall']; problems: number } | undefined {
    this.redraws.set(key, redraw);
    return this.states.get(key);
  }

  /** The Deployment's pods changed: a gateway whose health view is open is checked again once they settle. */
  podsChanged(key: string): void {
    if (!this.get(key) || this.timers.has(key) || this.isDisposed) return;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.get(key)?.recheck();
    }, RECHECK_AFTER_MS));
  }

  open(options: HealthPanelOptions): HealthPanel {
    this.get(options.key)?.dispose();
    const panel = new HealthPanel(options);
    this.panels.set(options.key, panel);
    panel.onDidCheck((report) => this.record(options.key, report));
    panel.onDidDispose(() => {
      if (this.panels.get(options.key) === panel) this.panels.delete(options.key);
    });
    return panel;
  }

  override dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
    this.redraws.clear();
    super.dispose();
  }
}
