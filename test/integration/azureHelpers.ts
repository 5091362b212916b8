// Helpers for the Azure integration tests: scripted wizard answers (the wizards' UI behind the Prompter interface),
// the sandbox's ARM request log and fault knobs, and the cluster behind it.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension.ts';
import type { TreeNode } from '../../src/tree/items.ts';
import type { ConfirmOptions, InputOptions, PickItem, PickOptions, Prompter } from '../../src/wizards/prompter.ts';
import { waitFor as poll } from '../support/waitFor.ts';
import { activatedExtension } from './sandboxEnv.ts';

/** Use the box's pre-filled value. */
export const DEFAULT = Symbol('default');

/** An answer to a pick: an item label, its detail, or a test on the item. */
export type PickAnswer = string | ((item: PickItem<unknown>) => boolean);
export type Answer = string | typeof DEFAULT | boolean | PickAnswer | PickAnswer[];

/** Answers a picker asked again and again (the deploy summary): each time the next label (by prefix), in order. */
export function inOrder(...labels: string[]): (item: PickItem<unknown>) => boolean {
  let next = 0;
  return (item) => {
    const wanted = labels[Math.min(next, labels.length - 1)] ?? '';
    if (!item.label.startsWith(wanted)) return false;
    next++;
    return true;
  };
}

/**
 * Answers questions by their id. A question without an answer is "dismissed" (vscode.CancellationError), as a user
 * pressing Escape. An input that fails its validation is recorded in `refusals` and then dismissed: a user cannot
 * get past an InputBox that shows a rule, so the wizard never sees the value.
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  readonly refusals: Array<{ id: string; value: string; message: string }> = [];
  private readonly answers: Record<string, Answer>;
  private readonly onPrompt: ((id: string) => void | Promise<void>) | undefined;

  /** `onPrompt` runs (and is awaited) when a question is asked, before it is answered. */
  constructor(answers: Record<string, Answer>, onPrompt?: (id: string) => void | Promise<void>) {
    this.answers = answers;
    this.onPrompt = onPrompt;
  }

  private async ask(id: string): Promise<Answer | undefined> {
    this.asked.push(id);
    await this.onPrompt?.(id);
    return this.answers[id];
  }

  async pick<T>(options: PickOptions<T>): Promise<T> {
    const items = await options.items;
    const answer = await this.ask(options.id);
    if (answer === undefined) throw new vscode.CancellationError();
    const found = items.find((item) => matches(item as PickItem<unknown>, answer as PickAnswer));
    assert.ok(found, `${options.id}: no item matches ${String(answer)} among ${items.map((i) => i.label).join(', ')}`);
    return found.value;
  }

  async pickMany<T>(options: PickOptions<T>): Promise<T[]> {
    const items = await options.items;
    const answer = await this.ask(options.id);
    if (answer === undefined) throw new vscode.CancellationError();
    const wanted = (Array.isArray(answer) ? answer : [answer]) as PickAnswer[];
    return wanted.map((w) => {
      const found = items.find((item) => matches(item as PickItem<unknown>, w));
      assert.ok(found, `${options.id}: no item matches ${String(w)} among ${items.map((i) => i.label).join(', ')}`);
      return found.value;
    });
  }

  async input(options: InputOptions): Promise<string> {
    const answer = await this.ask(options.id);
    if (answer === undefined) throw new vscode.CancellationError();
    const value = answer === DEFAULT ? (options.value ?? '') : String(answer);
    const problem = options.validate(value);
    if (problem !== undefined) {
      this.refusals.push({ id: options.id, value, message: problem });
      throw new vscode.CancellationError();
    }
    return value;
  }

  async confirm(options: ConfirmOptions): Promise<boolean> {
    const answer = await this.ask(options.id);
    return answer === true;
  }
}

function matches(item: PickItem<unknown>, answer: PickAnswer): boolean {
  if (typeof answer === 'function') return answer(item);
  return item.label === answer || item.detail === answer;
}

export interface SandboxAzure {
  armEndpoint: string;
  armToken: string;
  subscriptionId: string;
  ca: Buffer;
  kubeApi: string;
  kubeToken: string;
}

export function sandboxAzure(): SandboxAzure {
  const e = process.env;
  assert.ok(e.ARC_APIM_SANDBOX_ARM_ENDPOINT && e.ARC_APIM_SANDBOX_ARM_TOKEN && e.ARC_APIM_SANDBOX_CA_FILE && e.ARC_APIM_SANDBOX_KUBE_API && e.ARC_APIM_SANDBOX_TOKEN, 'the runner passes the sandbox (ARC_APIM_SANDBOX_*)');
  return {
    armEndpoint: e.ARC_APIM_SANDBOX_ARM_ENDPOINT,
    armToken: e.ARC_APIM_SANDBOX_ARM_TOKEN,
    subscriptionId: e.ARC_APIM_SANDBOX_SUBSCRIPTION_ID ?? '',
    ca: readFileSync(e.ARC_APIM_SANDBOX_CA_FILE),
    kubeApi: e.ARC_APIM_SANDBOX_KUBE_API,
    kubeToken: e.ARC_APIM_SANDBOX_TOKEN,
  };
}

/** What an Azure test's before() sets up: the activated extension and the runner's sandbox. */
export async function extensionOnSandbox(): Promise<{ api: ExtensionApi; sandbox: SandboxAzure }> {
  return { api: await activatedExtension(), sandbox: sandboxAzure() };
}

/** The extension's tree read by label, as a user reads it. `api` is read at each call (it is set in before()). */
export interface TreeReader {
  label(node: TreeNode): string;
  /** The child of `parent` (the roots when undefined) labelled `name` (or matching it); fails naming what is there. */
  child(parent: TreeNode | undefined, name: string | RegExp): Promise<TreeNode>;
  /** Runs a command with scripted wizard answers (`onPrompt` sees each prompt's id as it is asked). */
  withAnswers<T>(answers: Record<string, Answer>, run: () => Thenable<T>, onPrompt?: (id: string) => void | Promise<void>): Promise<{ result: T; prompter: ScriptedPrompter }>;
}

export function treeReader(api: () => ExtensionApi): TreeReader {
  const label = (node: TreeNode): string => {
    const l = api().tree.getTreeItem(node).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  return {
    label,
    child: async (parent, name) => {
      const children = await api().tree.getChildren(parent);
      const found = children.find((c) => (typeof name === 'string' ? label(c) === name : name.test(label(c))));
      assert.ok(found, `${String(name)} not among: ${children.map((c) => `${label(c)} [${api().tree.getTreeItem(c).contextValue ?? ''}]`).join(', ')}`);
      return found;
    },
    withAnswers: async (answers, run, onPrompt) => {
      const prompter = new ScriptedPrompter(answers, onPrompt);
      const scope = api().azure.usePrompter(prompter);
      try {
        return { result: await run(), prompter };
      } finally {
        scope.dispose();
      }
    },
  };
}

export function request(base: string, token: string, ca: Buffer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, base), { method, ca, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** The ARM emulator's request log after `since` (no bodies, no secrets). */
export async function armRequests(s: SandboxAzure, since: number): Promise<{ requests: Array<{ seq: number; method: string; path: string; status: number }>; last: number }> {
  const res = await request(s.armEndpoint, s.armToken, s.ca, 'GET', `/sandbox/v1/arm-requests?since=${since}`);
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text) as { requests: Array<{ seq: number; method: string; path: string; status: number }>; last: number };
}

export async function lastArmSeq(s: SandboxAzure): Promise<number> {
  return (await armRequests(s, Number.MAX_SAFE_INTEGER)).last;
}

export async function armFault(s: SandboxAzure, name: string, body: unknown): Promise<void> {
  const res = await request(s.armEndpoint, s.armToken, s.ca, 'POST', `/sandbox/v1/arm-faults/${name}`, body);
  assert.equal(res.status, 200, res.text);
}

export async function kubeGet<T>(s: SandboxAzure, path: string): Promise<T> {
  const res = await request(s.kubeApi, s.kubeToken, s.ca, 'GET', path);
  assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 300)}`);
  return (path.includes('/log') ? res.text : JSON.parse(res.text)) as T;
}

/** The shared polling helper (test/support/waitFor.ts) with the integration tests' defaults; a throwing check is retried. */
export function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  return poll(what, check, { timeoutMs, everyMs, retryErrors: true });
}

/** Every file below `dir` (under 50 MB), for searching what the extension wrote for secrets. */
export function walk(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    try {
      const s = statSync(full);
      return s.isDirectory() ? walk(full) : s.isFile() && s.size < 50 * 1024 * 1024 ? [full] : [];
    } catch {
      return [];
    }
  });
}
