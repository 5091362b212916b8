// The running token's expiry of every gateway Deployment the tree shows, read from the cluster (the signature dropped
// at once, src/kubernetes/gatewayToken.ts) and kept for a minute; a status-bar item while any of them expires within
// N days (setting `arcApimGateway.tokenExpiryWarningDays`, default 7), and a notification with "Rotate now" at most
// once a day per gateway Deployment. Labels come from the one expiry label (src/diagnosis/expiry.ts).
import * as vscode from 'vscode';
import { Commands, Settings } from '../constants.ts';
import { describeTokenExpiry, expiresWithin } from '../diagnosis/expiry.ts';
import type { KubeContextClient } from '../kubernetes/client.ts';
import { readTokenFacts } from '../kubernetes/gatewayToken.ts';
import type { Logger } from '../extensionLog.ts';
import { Disposable } from '../util/disposable.ts';
import { readDeployment } from '../kubernetes/resources.ts';

export const EXPIRY_WARNING_DAYS_SETTING = 'tokenExpiryWarningDays';
const NOTIFIED_KEY = 'arcApimGateway.tokenExpiryNotified';
const TTL_MS = 60_000;
const DAY_MS = 86_400_000;

export interface DeploymentKey {
  readonly context: string;
  readonly namespace: string;
  readonly deployment: string;
}

interface Known {
  readonly key: DeploymentKey;
  readonly gatewayName: string;
  readonly expiresAt: Date;
  readonly readAt: number;
}

const id = (k: DeploymentKey): string => `${k.context}/${k.namespace}/${k.deployment}`;

export class TokenExpiryWatch extends Disposable {
  private readonly known = new Map<string, Known>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly status: vscode.StatusBarItem;
  private readonly state: vscode.Memento;
  private readonly log: Logger;
  private readonly now: () => Date;
  private shown = false;

  constructor(state: vscode.Memento, log: Logger, now: () => Date = () => new Date()) {
    super();
    this.state = state;
    this.log = log;
    this.now = now;
    this.status = this.register(vscode.window.createStatusBarItem('arcApimGateway.tokenExpiry', vscode.StatusBarAlignment.Left, 50));
    this.status.name = 'Gateway token expiry';
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${EXPIRY_WARNING_DAYS_SETTING}`)) this.update();
    }));
  }

  warningDays(): number {
    const days = vscode.workspace.getConfiguration(Settings.section).get<number>(EXPIRY_WARNING_DAYS_SETTING, 7);
    return Number.isFinite(days) && days >= 0 ? days : 7;
  }

  /** "token expires in 30 days" for a Deployment whose token was read, else undefined. */
  label(key: DeploymentKey): string | undefined {
    const k = this.known.get(id(key));
    return k ? `token ${describeTokenExpiry(k.expiresAt, this.now())}` : undefined;
  }

  /** The status-bar text while shown (tests read it). */
  statusText(): string | undefined {
    return this.shown ? this.status.text : undefined;
  }

  expiry(key: DeploymentKey): Date | undefined {
    return this.known.get(id(key))?.expiresAt;
  }

  /** Reads the Deployment's running token when not read in the last minute; `changed` runs when it was. */
  refresh(client: KubeContextClient, key: DeploymentKey, changed: () => void, force = false): void {
    const k = id(key);
    const known = this.known.get(k);
    if ((!force && known && Date.now() - known.readAt < TTL_MS) || this.pending.has(k)) return;
    const work = readDeployment(client, key.namespace, key.deployment)
      .then((deployment) => readTokenFacts(client, deployment))
      .then((facts) => {
        if (!facts) return;
        const before = known?.expiresAt.getTime();
        this.known.set(k, { key, gatewayName: facts.gatewayId, expiresAt: facts.expiresAt, readAt: Date.now() });
        this.update();
        if (before !== facts.expiresAt.getTime()) changed();
      })
      .catch((error: unknown) => this.log.debug(`reading the token of ${k}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.pending.delete(k));
    this.pending.set(k, work);
  }

  /** Forgets a Deployment (deleted, or its token just rotated and must be read again). */
  forget(key: DeploymentKey): void {
    this.known.delete(id(key));
    this.update();
  }

  private update(): void {
    const now = this.now();
    const days = this.warningDays();
    const soon = [...this.known.values()].filter((k) => expiresWithin(k.expiresAt, now, days)).sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
    const first = soon[0];
    if (!first) {
      this.status.hide();
      this.shown = false;
      return;
    }
    this.status.text = `$(warning) Gateway token ${describeTokenExpiry(first.expiresAt, now)}`;
    this.status.tooltip = soon.map((k) => `${k.gatewayName} (${k.key.deployment} in ${k.key.namespace}, ${k.key.context}): ${describeTokenExpiry(k.expiresAt, now)}`).join('\n');
    this.status.backgroundColor = new vscode.ThemeColor(first.expiresAt.getTime() <= now.getTime() ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.status.command = { title: 'Rotate Gateway Token…', command: Commands.rotateGatewayToken, arguments: [{ ...first.key }] };
    this.status.show();
    this.shown = true;
    for (const k of soon) void this.notify(k, now);
  }

  private async notify(k: Known, now: Date): Promise<void> {
    const notified = this.state.get<Record<string, string>>(NOTIFIED_KEY) ?? {};
    const last = notified[id(k.key)];
    if (last && now.getTime() - new Date(last).getTime() < DAY_MS) return;
    await this.state.update(NOTIFIED_KEY, { ...notified, [id(k.key)]: now.toISOString() });
    const choice = await vscode.window.showWarningMessage(
      `The token of gateway ${k.gatewayName} (Deployment ${k.key.deployment} in ${k.key.namespace}) ${describeTokenExpiry(k.expiresAt, now)}. An expired token leaves the gateway answering every request with an empty 200 once it restarts.`,
      'Rotate now',
    );
    if (choice === 'Rotate now') void vscode.commands.executeCommand(Commands.rotateGatewayToken, { ...k.key });
  }
}
