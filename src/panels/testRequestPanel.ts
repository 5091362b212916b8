// The Test Request view: one panel per gateway Deployment, holding its form, the last result and the session's
// history. Sending, fixing and the ARM side are its controller's (src/requests/controller.ts), reached through the
// TestRequestController interface. One action at a time; Cancel (or closing the tab) aborts it — a curl pod is
// deleted, a proxied call dropped.
import * as vscode from 'vscode';
import type { HistoryEntryView, TestRequestForm, TestRequestFormContext, TestRequestResult, TestRequestToHost, TestRequestToWebview } from '../contract/testRequest.ts';
import { isTestRequestToHost } from '../contract/testRequest.ts';
import type { Logger } from '../extensionLog.ts';
import type { TestRequestController } from '../requests/controller.ts';
import type { RequestHistory } from '../requests/history.ts';
import { InvalidFormError } from '../requests/invalidForm.ts';
import type { RunOutcome } from '../requests/run.ts';
import { Disposable } from '../util/disposable.ts';
import { Emitter, type Event } from '../util/event.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { PanelShell } from './panelShell.ts';
import { testRequestResult } from './testRequestResult.ts';

/** What the command returns: tests drive the view through it as the buttons would. */
export interface TestRequestHandle {
  readonly context: TestRequestFormContext;
  readonly form: TestRequestForm;
  readonly result: TestRequestResult | undefined;
  readonly outcome: RunOutcome | undefined;
  readonly attempts: number;
  readonly history: readonly HistoryEntryView[];
  /** Resolves when the current send / fix is over (with its failure message, if any). */
  idle(): Promise<string | undefined>;
  /** The Send button, with some values changed first. */
  send(changes?: Partial<TestRequestForm>): Promise<string | undefined>;
  retry(): Promise<string | undefined>;
  fix(finding: number, fix: number): Promise<string | undefined>;
  cancel(): void;
  readonly closed: boolean;
  dispose(): void;
}

export interface TestRequestPanelOptions {
  readonly extensionUri: vscode.Uri;
  readonly controller: TestRequestController;
  readonly history: RequestHistory;
  readonly log: Logger;
}

export class TestRequestPanel extends Disposable implements TestRequestHandle {
  readonly key: string;
  private readonly label: string;
  private readonly shell: PanelShell<TestRequestToWebview, TestRequestToHost>;
  private readonly driver: TestRequestController;
  private readonly store: RequestHistory;
  private readonly log: Logger;
  private readonly disposedEmitter = new Emitter<void>();
  readonly onDidDispose: Event<void> = this.disposedEmitter.event;
  private readonly closing = new AbortController();
  private action: AbortController | undefined;
  private current: Promise<string | undefined> = Promise.resolve(undefined);
  private busy = false;
  context: TestRequestFormContext;
  form: TestRequestForm;
  outcome: RunOutcome | undefined;
  private outcomeId: number | undefined;
  attempts = 0;

  constructor(options: TestRequestPanelOptions) {
    super();
    this.key = options.controller.key;
    this.label = options.controller.label;
    this.driver = options.controller;
    this.store = options.history;
    this.log = options.log;
    this.context = options.controller.context();
    this.form = options.controller.initialForm;
    this.shell = this.register(
      new PanelShell<TestRequestToWebview, TestRequestToHost>({
        viewType: 'arcApimGateway.testRequest',
        title: `Test: ${this.context.gateway.deployment}`,
        extensionUri: options.extensionUri,
        script: 'testRequest',
        styles: ['testRequest.css'],
        isMessage: isTestRequestToHost,
      }),
    );
    this.register(this.shell.onDidClose(() => this.dispose()));
    this.register(this.shell.onDidReceiveMessage((message) => this.onMessage(message)));
    // A reloaded webview (hidden, then shown) gets everything again.
    this.register(this.shell.onDidBecomeReady(() => this.postAll()));
    this.register(this.store.onDidChange(() => this.shell.post({ type: 'testRequest/history', entries: this.store.views() })));
  }

  /** The last outcome as the view shows it. */
  result: TestRequestResult | undefined;

  get closed(): boolean {
    return this.isDisposed;
  }

  get history(): readonly HistoryEntryView[] {
    return this.store.views();
  }

  reveal(): void {
    this.shell.panel.reveal();
  }

  /** New values from outside (the command run again with another API or path): the form shows them. */
  setForm(form: TestRequestForm): void {
    this.form = form;
    this.shell.post({ type: 'testRequest/form', form });
  }

  idle(): Promise<string | undefined> {
    return this.current;
  }

  send(changes: Partial<TestRequestForm> = {}): Promise<string | undefined> {
    const form = { ...this.form, ...changes };
    return this.exclusive('Sending the request and looking for the gateway’s record…', async (signal) => {
      if (Object.keys(changes).length) this.setForm(form);
      await this.sendNow(form, signal);
    });
  }

  retry(): Promise<string | undefined> {
    return this.send();
  }

  fix(findingIndex: number, fixIndex: number): Promise<string | undefined> {
    const fix = this.outcome?.findings[findingIndex]?.fixes[fixIndex];
    if (!fix) return Promise.resolve('That fix is no longer offered');
    return this.exclusive(`${fix.label}…`, async (signal) => {
      const done = await this.driver.applyFix(fix, this.form, signal);
      if (done.context) {
        this.context = done.context;
        this.shell.post({ type: 'testRequest/init', context: this.context, form: done.form ?? this.form });
      }
      if (done.form) this.setForm(done.form);
      if (done.resend) await this.sendNow(this.form, signal);
      else this.postResult();
    });
  }

  cancel(): void {
    this.action?.abort();
  }

  private onMessage(message: TestRequestToHost): void {
    switch (message.type) {
      case 'testRequest/send':
        void this.send(message.form);
        return;
      case 'testRequest/retry':
        void this.retry();
        return;
      case 'testRequest/fix':
        void this.fix(message.finding, message.fix);
        return;
      case 'testRequest/cancel':
        this.cancel();
        return;
      case 'testRequest/showHistory': {
        const entry = this.store.get(message.id);
        if (!entry) return;
        // Fixes act on the latest result of this view only; an older one is shown to read (and load into the form).
        this.shell.post({ type: 'testRequest/result', result: entry.result, attempt: 0, historyId: entry.id, live: entry.id === this.outcomeId });
        if (entry.gatewayKey === this.key) this.setForm(entry.form);
        return;
      }
      case 'testRequest/copyKey':
        this.driver.copyKey(message.subscription).then(
          () => this.shell.post({ type: 'testRequest/error', text: 'Key copied to the clipboard.' }),
          (error: unknown) => this.shell.post({ type: 'testRequest/error', text: safeErrorMessage(error) }),
        );
        return;
    }
  }

  private async sendNow(form: TestRequestForm, signal: AbortSignal): Promise<void> {
    this.form = form;
    this.shell.post({ type: 'testRequest/busy', text: 'Sending the request and looking for the gateway’s record…', cancellable: true });
    this.outcome = await this.driver.send(form, signal, (text) => this.shell.post({ type: 'testRequest/busy', text, cancellable: true }));
    const result = testRequestResult(this.outcome);
    this.result = result;
    this.attempts++;
    const context = this.driver.context();
    if (context !== this.context) {
      this.context = context;
      this.shell.post({ type: 'testRequest/init', context, form: this.form });
    }
    this.outcomeId = this.store.add({ gatewayKey: this.key, gatewayLabel: this.label, form, result }).id;
    this.postResult();
  }

  private postResult(): void {
    if (this.result) this.shell.post({ type: 'testRequest/result', result: this.result, attempt: this.attempts, ...(this.outcomeId !== undefined ? { historyId: this.outcomeId } : {}), live: true });
  }

  private postAll(): void {
    this.shell.post({ type: 'testRequest/init', context: this.context, form: this.form });
    this.shell.post({ type: 'testRequest/history', entries: this.store.views() });
    this.postResult();
  }

  /** One action at a time; failures are shown in the view (and returned), cancellation is quiet. */
  private exclusive(label: string, work: (signal: AbortSignal) => Promise<void>): Promise<string | undefined> {
    if (this.busy) return this.current;
    this.busy = true;
    const action = new AbortController();
    this.action = action;
    const signal = AbortSignal.any([action.signal, this.closing.signal]);
    this.shell.post({ type: 'testRequest/busy', text: label, cancellable: true });
    this.current = (async () => {
      try {
        await work(signal);
        return undefined;
      } catch (error) {
        if (signal.aborted || error instanceof vscode.CancellationError) {
          this.postResult();
          if (!this.isDisposed) this.shell.post({ type: 'testRequest/error', text: 'Cancelled.' });
          return 'cancelled';
        }
        const text = safeErrorMessage(error);
        if (error instanceof InvalidFormError) {
          this.shell.post({ type: 'testRequest/error', text, field: error.field });
          return text;
        }
        this.log.error('test request failed', error);
        this.shell.post({ type: 'testRequest/error', text });
        return text;
      } finally {
        this.busy = false;
        if (this.action === action) this.action = undefined;
      }
    })();
    return this.current;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.closing.abort();
    super.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }
}

/** The open Test Request views, one per gateway Deployment, and the history they share. */
export class TestRequestPanels extends Disposable {
  readonly history: RequestHistory;
  private readonly panels = new Map<string, TestRequestPanel>();

  constructor(history: RequestHistory) {
    super();
    this.history = history;
  }

  get(key: string): TestRequestPanel | undefined {
    const panel = this.panels.get(key);
    return panel && !panel.closed ? panel : undefined;
  }

  open(options: Omit<TestRequestPanelOptions, 'history'>): TestRequestPanel {
    const key = options.controller.key;
    this.get(key)?.dispose();
    const panel = new TestRequestPanel({ ...options, history: this.history });
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    return panel;
  }

  override dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
    this.history.dispose();
    super.dispose();
  }
}
