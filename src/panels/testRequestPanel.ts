// The Test Request view: one panel per test request. It owns the panel shell and the request's state; sending,
// fixing and retrying come in as functions from the command (src/commands/sendTestRequest.ts), which knows the
// pickers, confirmations and ARM. Closing the tab cancels whatever is running (a curl pod is deleted).
import * as vscode from 'vscode';
import type { TestRequestResult, TestRequestToHost, TestRequestToWebview } from '../contract/testRequest.ts';
import { isTestRequestToHost } from '../contract/testRequest.ts';
import type { Fix } from '../diagnosis/types.ts';
import type { Logger } from '../logging.ts';
import type { RunOutcome } from '../requests/run.ts';
import { Disposable } from '../util/disposable.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { PanelShell } from './panelShell.ts';

export interface TestRequestDriver {
  /** Sends the current request and gathers record and findings. */
  run(signal: AbortSignal): Promise<RunOutcome>;
  /** Acts on a fix after asking; resolves true when the request should be sent again. */
  applyFix(fix: Fix, signal: AbortSignal): Promise<boolean>;
}

/** What the command returns: tests drive the view through it as the buttons would. */
export interface TestRequestHandle {
  readonly result: TestRequestResult | undefined;
  readonly outcome: RunOutcome | undefined;
  readonly attempts: number;
  /** Resolves when the current send / fix is over (with its failure message, if any). */
  idle(): Promise<string | undefined>;
  retry(): Promise<string | undefined>;
  fix(finding: number, fix: number): Promise<string | undefined>;
  readonly closed: boolean;
  dispose(): void;
}

export class TestRequestPanel extends Disposable implements TestRequestHandle {
  private readonly shell: PanelShell<TestRequestToWebview, TestRequestToHost>;
  private readonly driver: TestRequestDriver;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private current: Promise<string | undefined> = Promise.resolve(undefined);
  private busy = false;
  outcome: RunOutcome | undefined;
  attempts = 0;

  constructor(extensionUri: vscode.Uri, title: string, driver: TestRequestDriver, log: Logger) {
    super();
    this.driver = driver;
    this.log = log;
    this.shell = this.register(
      new PanelShell<TestRequestToWebview, TestRequestToHost>({ viewType: 'arcApimGateway.testRequest', title, extensionUri, script: 'testRequest', styles: ['testRequest.css'], isMessage: isTestRequestToHost }),
    );
    this.register(this.shell.onDidClose(() => this.dispose()));
    this.register(
      this.shell.onDidReceiveMessage((message) => {
        if (message.type === 'testRequest/retry') void this.retry();
        else void this.fix(message.finding, message.fix);
      }),
    );
    // A reloaded webview (hidden, then shown) gets the last result again.
    this.register(this.shell.onDidBecomeReady(() => this.postResult()));
  }

  get result(): TestRequestResult | undefined {
    return this.outcome?.result;
  }

  get closed(): boolean {
    return this.isDisposed;
  }

  idle(): Promise<string | undefined> {
    return this.current;
  }

  retry(): Promise<string | undefined> {
    return this.exclusive('Sending…', async () => {
      await this.send();
    });
  }

  fix(findingIndex: number, fixIndex: number): Promise<string | undefined> {
    const fix = this.outcome?.findings[findingIndex]?.fixes[fixIndex];
    if (!fix) return Promise.resolve('That fix is no longer offered');
    return this.exclusive(`${fix.label}…`, async () => {
      const resend = await this.driver.applyFix(fix, this.abort.signal);
      if (resend) await this.send();
      else this.postResult();
    });
  }

  private async send(): Promise<void> {
    this.shell.post({ type: 'testRequest/busy', text: 'Sending the request and looking for the gateway’s record…' });
    this.outcome = await this.driver.run(this.abort.signal);
    this.attempts++;
    this.postResult();
  }

  private postResult(): void {
    if (this.outcome) this.shell.post({ type: 'testRequest/result', result: this.outcome.result, attempt: this.attempts });
  }

  /** One action at a time; failures are shown in the view (and returned), cancellation is quiet. */
  private exclusive(label: string, work: () => Promise<void>): Promise<string | undefined> {
    if (this.busy) return this.current;
    this.busy = true;
    this.shell.post({ type: 'testRequest/busy', text: label });
    this.current = (async () => {
      try {
        await work();
        return undefined;
      } catch (error) {
        if (this.abort.signal.aborted || error instanceof vscode.CancellationError) {
          this.postResult();
          if (!this.isDisposed) this.shell.post({ type: 'testRequest/error', text: 'Cancelled.' });
          return 'cancelled';
        }
        const text = safeErrorMessage(error);
        this.log.error('test request failed', error);
        this.shell.post({ type: 'testRequest/error', text });
        return text;
      } finally {
        this.busy = false;
      }
    })();
    return this.current;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.abort.abort();
    super.dispose();
  }
}
