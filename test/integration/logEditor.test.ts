// Inside the real extension host: gateway logs as live read-only documents. A saved log (the seed blog's) gets the
// language, folding, hovers and colours; the sandbox's gateway Deployment is followed while requests go through it,
// and every document change is checked to be an append at the end (or whole lines dropped from the top), at most 10
// a second, with the cursor followed only when it is at the end; closing the editor ends the stream, no questions.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, Languages } from '../../src/constants.ts';
import type { LiveLogDocument } from '../../src/editor/liveDocument.ts';
import { LOG_SCHEME } from '../../src/editor/logEditor.ts';
import type { ExtensionApi } from '../../src/extension.ts';
import { createDeploymentLogSession } from '../../src/logSessions/followSession.ts';
import { BLOG_GATEWAY, gatewayRequest, sandboxEnv, type SandboxEnv } from './sandboxEnv.ts';
import { waitFor as poll } from '../support/waitFor.ts';

const TARGET = BLOG_GATEWAY;

function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 15_000, everyMs = 25): Promise<T> {
  return poll(what, check, { timeoutMs, everyMs });
}

function offsetAt(text: string, position: vscode.Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const nl = text.indexOf('\n', offset);
    assert.ok(nl >= 0, `line ${position.line} is past the end`);
    offset = nl + 1;
  }
  return offset + position.character;
}

/**
 * Replays every change VS Code reports onto a copy of the text, and checks each one is either text inserted at the
 * very end or whole lines deleted from the very top: nothing already shown is rewritten.
 */
class ChangeRecorder implements vscode.Disposable {
  readonly times: number[] = [];
  appends = 0;
  topDeletions = 0;
  /** Every inserted text, in order. */
  readonly inserted: string[] = [];
  private mirror: string;
  private readonly subscription: vscode.Disposable;

  constructor(document: vscode.TextDocument) {
    this.mirror = document.getText();
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.toString() !== document.uri.toString() || event.contentChanges.length === 0) return;
      this.times.push(Date.now());
      // VS Code reports the changes of one edit last-first, each against the text before the edit.
      for (const change of event.contentChanges) {
        const start = offsetAt(this.mirror, change.range.start);
        const end = offsetAt(this.mirror, change.range.end);
        if (change.text.length > 0) {
          assert.ok(change.range.isEmpty && start === this.mirror.length, `an insert at ${start} of ${this.mirror.length}: not an append`);
          assert.equal(change.range.start.character, 0);
          this.appends++;
          this.inserted.push(change.text);
        } else {
          assert.ok(start === 0 && change.range.end.character === 0 && end > 0, `a deletion ${change.range.start.line}..${change.range.end.line}: not whole lines from the top`);
          this.topDeletions++;
        }
        this.mirror = this.mirror.slice(0, start) + change.text + this.mirror.slice(end);
      }
      assert.equal(this.mirror, event.document.getText(), 'the replayed changes give the document text');
    });
  }

  /** The most changes in any one second. */
  maxPerSecond(): number {
    let max = 0;
    for (const t of this.times) max = Math.max(max, this.times.filter((s) => s >= t && s < t + 1000).length);
    return max;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** The parts of vscode-textmate and vscode-oniguruma this test uses (their types are not a dependency of ours). */
interface Oniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (text: string) => unknown;
}
interface Grammar {
  tokenizeLine(line: string, state: unknown): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[]; ruleStack: unknown };
}
interface TextMate {
  INITIAL: unknown;
  parseRawGrammar(content: string, path: string): unknown;
  Registry: new (options: { onigLib: Promise<unknown>; loadGrammar(scope: string): Promise<unknown> }) => { loadGrammar(scope: string): Promise<Grammar | null> };
}

function linesWith(document: vscode.TextDocument, needle: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < document.lineCount; i++) if (document.lineAt(i).text.includes(needle)) out.push(i);
  return out;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('gateway logs in the editor', () => {
  let api: ExtensionApi;
  let extension: vscode.Extension<ExtensionApi>;
  let env: SandboxEnv;
  const seedPath = (): vscode.Uri => vscode.Uri.joinPath(extension.extensionUri, 'test', 'fixtures', 'gateway-logs', 'seed-blog-v1.log');

  before(async () => {
    const found = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(found);
    extension = found;
    api = await extension.activate();
    assert.ok(api, 'activation failed');
    env = sandboxEnv();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('a saved log', () => {
    let document: vscode.TextDocument;

    before(async () => {
      await vscode.commands.executeCommand(Commands.openLogsInEditor, seedPath());
      const editor = await waitFor('the log editor', () => vscode.window.activeTextEditor?.document.uri.scheme === LOG_SCHEME && vscode.window.activeTextEditor);
      document = editor.document;
    });

    it('opens as a read-only apim-gateway-log document that never asks to be saved', async () => {
      assert.equal(document.languageId, Languages.gatewayLog);
      assert.equal(document.getText(), readFileSync(seedPath().fsPath, 'utf8'));
      assert.equal(document.isDirty, false);
      assert.equal(document.isUntitled, false);
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor);
      // The user cannot type into it: the read-only editor drops edits made as if typed.
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'typed '));
      assert.ok(!document.lineAt(0).text.startsWith('typed '));
      assert.equal(document.isDirty, false);
    });

    it('folds the banner and each multi-line request record with its lastError', async () => {
      const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri);
      const banner = ranges.find((r) => r.start === 0);
      assert.ok(banner && banner.kind === vscode.FoldingRangeKind.Comment && banner.end === linesWith(document, 'commit: a1434b5')[0], JSON.stringify(banner));
      const [first] = linesWith(document, '752afbf2-7a10-4655-b1b0-6b8221ea612d');
      assert.ok(first !== undefined);
      assert.ok(ranges.some((r) => r.start === first && r.end === first + 6), `no range for the record at ${first}: ${JSON.stringify(ranges.slice(-4))}`);
    });

    it('explains OperationNotFound and the 404 under the cursor', async () => {
      const reasonLine = linesWith(document, '"reason": "OperationNotFound"')[0] ?? assert.fail('no reason line');
      const column = document.lineAt(reasonLine).text.indexOf('OperationNotFound') + 4;
      const reason = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(reasonLine, column)));
      assert.match(reason, /OperationNotFound — no API operation matched/);
      assert.match(reason, /URL schemes \(`protocols`\)/);
      assert.match(reason, /assigned to this gateway/);
      assert.match(reason, /Here: source `configuration`, section `backend`/);

      const recordLine = linesWith(document, '752afbf2-7a10-4655-b1b0-6b8221ea612d')[0] ?? assert.fail('no record');
      const statusColumn = document.lineAt(recordLine).text.indexOf('responseCode: 404') + 'responseCode: '.length + 1;
      const status = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(recordLine, statusColumn)));
      assert.match(status, /404 Not Found/);
      assert.match(status, /no `backendResponseCode`/);

      const field = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(recordLine, document.lineAt(recordLine).text.indexOf('totalTime') + 2)));
      assert.match(field, /totalTime \(ms\)/);
    });

    it("colours it with the contributed grammar, tokenised by this VS Code's own TextMate engine", async () => {
      const manifest = extension.packageJSON as { contributes: { grammars: { language: string; scopeName: string; path: string }[] } };
      const contributed = manifest.contributes.grammars.find((g) => g.language === Languages.gatewayLog);
      assert.ok(contributed);
      // vscode-textmate and vscode-oniguruma ship inside VS Code (the same copies the workbench tokenises with).
      const load = createRequire(path.join(vscode.env.appRoot, 'package.json'));
      const tm = load('vscode-textmate') as TextMate;
      const onig = load('vscode-oniguruma') as Oniguruma;
      const wasm = readFileSync(path.join(path.dirname(load.resolve('vscode-oniguruma')), 'onig.wasm'));
      await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
      const registry = new tm.Registry({
        onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
        loadGrammar: async () => tm.parseRawGrammar(readFileSync(path.join(extension.extensionPath, contributed.path), 'utf8'), contributed.path),
      });
      const grammar = await registry.loadGrammar(contributed.scopeName);
      assert.ok(grammar, 'the grammar loads');
      let state: unknown = tm.INITIAL;
      const scopes = new Map<string, string[]>();
      for (let i = 0; i < document.lineCount; i++) {
        const text = document.lineAt(i).text;
        const result = grammar.tokenizeLine(text, state);
        state = result.ruleStack;
        for (const token of result.tokens) scopes.set(text.slice(token.startIndex, token.endIndex), token.scopes);
      }
      const scopeOf = (token: string): string => (scopes.get(token) ?? assert.fail(`no token ${token}`)).join(' ');
      assert.match(scopeOf('404'), /markup\.deleted\.status\.4xx/);
      assert.match(scopeOf('OperationNotFound'), /keyword\.other\.error-reason/);
      assert.match(scopeOf('Warn'), /markup\.deleted\.level\.warn/);
      assert.match(scopeOf('Info'), /markup\.inserted\.level\.info/);
      assert.match(scopeOf('ComponentStarting'), /entity\.name\.type\.event/);
      assert.match(scopeOf('752afbf2-7a10-4655-b1b0-6b8221ea612d'), /constant\.language\.guid/);
      assert.match(scopeOf('2021-06-3T03:25:37.815'), /constant\.numeric\.timestamp\.gateway/);
      assert.match(scopeOf('False'), /markup\.deleted\.request-failed/);
      assert.ok([...scopes.values()].some((s) => s.some((x) => x.startsWith('comment.block.banner'))), 'the banner is a comment');
      assert.ok([...scopes.values()].some((s) => s.some((x) => x.startsWith('markup.underline.link'))), 'URLs are links');
    });
  });

  describe('a .apimlog file on disk', () => {
    let file: vscode.Uri;
    let document: vscode.TextDocument;

    before(async () => {
      // What `kubectl logs --prefix --timestamps deployment/…` writes, saved under the language's extension.
      const stamp = '2026-11-27T15:15:11.704000000Z';
      const text = readFileSync(seedPath().fsPath, 'utf8')
        .split('\n')
        .slice(0, -1)
        .map((line) => `[pod/rb-arc-aks-apimgw-5f7c9/azure-api-management-gateway] ${stamp} ${line}\n`)
        .join('');
      const dir = mkdtempSync(path.join(os.tmpdir(), 'arc-apim-editor-'));
      file = vscode.Uri.file(path.join(dir, 'gateway.apimlog'));
      writeFileSync(file.fsPath, text);
      document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
    });

    after(() => {
      rmSync(path.dirname(file.fsPath), { recursive: true, force: true });
    });

    it('gets the language from its extension, and folding and hovers from its text', async () => {
      assert.equal(document.languageId, Languages.gatewayLog);
      const [first] = linesWith(document, '752afbf2-7a10-4655-b1b0-6b8221ea612d');
      assert.ok(first !== undefined);
      const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri);
      assert.ok(ranges.some((r) => r.start === first && r.end === first + 6), 'the record folds with its lastError');
      const reasonLine = linesWith(document, '"reason": "OperationNotFound"')[0] ?? assert.fail('no reason line');
      const column = document.lineAt(reasonLine).text.indexOf('OperationNotFound') + 2;
      const reason = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(reasonLine, column)));
      assert.match(reason, /Here: source `configuration`, section `backend`/, 'the hover found the record behind the prefixed line');
      const pod = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(reasonLine, 6)));
      assert.match(pod, /Pod.*rb-arc-aks-apimgw-5f7c9/);
    });
  });

  describe('a gateway followed live', () => {
    let live: LiveLogDocument;
    let document: vscode.TextDocument;
    let requestsBefore: number;
    let tagBase: string;

    before(async () => {
      requestsBefore = api.kubernetes.openRequests;
      tagBase = `editor${Date.now()}`;
      live = (await vscode.commands.executeCommand<LiveLogDocument | undefined>(Commands.openLogsInEditor, TARGET)) ?? assert.fail('the command returned no document');
      document = await waitFor('the document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === live.uri.toString()));
      await waitFor('the start-up log', () => linesWith(document, '[TenantStarted]').length > 0 || linesWith(document, '[ConfigInitialSyncCompleted]').length > 0);
    });

    it('appends request records in order at the end and never rewrites a line', async () => {
      assert.equal(document.languageId, Languages.gatewayLog);
      const recorder = new ChangeRecorder(document);
      const before = document.getText();
      try {
        const count = 80;
        for (let i = 0; i < count; i++) assert.equal(await gatewayRequest(env, `${tagBase}-${i}`), 404);
        await waitFor(`${count} request records in the document`, () => linesWith(document, `param1=${tagBase}-`).length >= count && live.settled, 20_000);
        const after = document.getText();
        assert.ok(after.startsWith(before), 'what was shown before is still there, unchanged');
        const order = linesWith(document, `param1=${tagBase}-`).map((line) => Number(/param1=\S+?-(\d+)\b/.exec(document.lineAt(line).text)?.[1]));
        assert.deepEqual(order, [...order].sort((a, b) => a - b), 'records in the order they were sent');
        assert.equal(new Set(order).size, count, 'each record once');
        assert.ok(recorder.appends > 0);
        assert.equal(recorder.topDeletions, 0);
        assert.ok(recorder.maxPerSecond() <= 10, `${recorder.maxPerSecond()} updates in one second`);
        assert.equal(document.isDirty, false);
        // Hovers work on the live document (from its own model): the 404 of a record just appended.
        const line = linesWith(document, `param1=${tagBase}-0`)[0] ?? assert.fail();
        const column = document.lineAt(line).text.indexOf('responseCode: 404') + 'responseCode: '.length + 1;
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
        assert.match(hoverText(hovers), /404 Not Found/);
      } finally {
        recorder.dispose();
      }
    });

    it('updates at most 10 times a second while the session appends far more often', async () => {
      // The same follow, told to hand over every entry at once: the source now fires much faster than 10 times a second.
      const session = await createDeploymentLogSession(TARGET, { clients: api.kubernetes }, { maxEntries: 10_000, batchMs: 1, idleFlushMs: 5 });
      const appendTimes: number[] = [];
      session.onDidAppend(() => appendTimes.push(Date.now()));
      const fast = await api.logEditor.open(session, { ownsSession: true });
      const fastDocument = await waitFor('the document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === fast.uri.toString()));
      await waitFor('the start-up log', () => fast.settled && fast.stats().entries > 0);
      const recorder = new ChangeRecorder(fastDocument);
      try {
        const tag = `rate${Date.now()}`;
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < 200) await gatewayRequest(env, `${tag}-${next++}`);
        };
        await Promise.all([worker(), worker(), worker(), worker(), worker(), worker()]);
        await waitFor('200 records', () => linesWith(fastDocument, `param1=${tag}-`).length === 200 && fast.settled, 20_000);
        const sourcePerSecond = Math.max(...appendTimes.map((t) => appendTimes.filter((s) => s >= t && s < t + 1000).length));
        assert.ok(sourcePerSecond > 20, `the session appended only ${sourcePerSecond} times in its busiest second`);
        assert.ok(recorder.maxPerSecond() <= 10, `${recorder.maxPerSecond()} document updates in one second`);
        assert.equal(recorder.topDeletions, 0);
      } finally {
        recorder.dispose();
        await vscode.window.showTextDocument(fastDocument);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await waitFor('the document to be let go', () => api.logEditor.liveDocument(fast.uri) === undefined, 5000);
      }
    });

    it('follows the end only while the cursor is there', async () => {
      let editor = await vscode.window.showTextDocument(document);
      const last = (): number => document.lineCount - 1;
      // Establish following here rather than rely on where earlier tests left the cursor: at the end, through one
      // update while visible.
      const toEnd = new vscode.Position(last(), 0);
      editor.selection = new vscode.Selection(toEnd, toEnd);
      editor.revealRange(new vscode.Range(toEnd, toEnd));
      const linesFirst = document.lineCount;
      for (let i = 0; i < 3; i++) await gatewayRequest(env, `${tagBase}-seen-${i}`);
      await waitFor('records appended while visible', () => document.lineCount > linesFirst && live.settled && editor.selection.active.line === last());
      // In the background while another document is in front, it keeps growing; shown again, it catches up.
      const cover = await vscode.workspace.openTextDocument({ content: 'in front of the log' });
      await vscode.window.showTextDocument(cover);
      const linesHidden = document.lineCount;
      for (let i = 0; i < 5; i++) await gatewayRequest(env, `${tagBase}-hidden-${i}`);
      await waitFor('records appended in the background', () => document.lineCount > linesHidden && live.settled);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      editor = await vscode.window.showTextDocument(document);
      await waitFor('the cursor at the end', () => editor.selection.active.line === last() && editor.visibleRanges.some((r) => r.end.line >= last() - 1), 15_000);

      editor.selection = new vscode.Selection(0, 0, 0, 0);
      editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
      await waitFor('the top in view', () => editor.visibleRanges[0]?.start.line === 0);
      const linesBefore = document.lineCount;
      for (let i = 0; i < 5; i++) await gatewayRequest(env, `${tagBase}-up-${i}`);
      await waitFor('more records', () => document.lineCount > linesBefore && live.settled);
      assert.equal(editor.selection.active.line, 0, 'the cursor stayed where the user put it');
      assert.equal(editor.visibleRanges[0]?.start.line, 0, 'the view did not jump to the end');

      const end = new vscode.Position(last(), 0);
      editor.selection = new vscode.Selection(end, end);
      editor.revealRange(new vscode.Range(end, end));
      await waitFor('the end in view', () => editor.visibleRanges.some((r) => r.end.line >= last() - 1));
      const linesThen = document.lineCount;
      for (let i = 0; i < 5; i++) await gatewayRequest(env, `${tagBase}-end-${i}`);
      await waitFor('records appended and followed', () => document.lineCount > linesThen && live.settled && editor.selection.active.line === last());
    });

    it('ends the stream when its editor closes, without asking to save', async () => {
      assert.ok(api.kubernetes.openRequests > requestsBefore, 'following holds a log stream open');
      await vscode.window.showTextDocument(document);
      assert.equal(document.isDirty, false);
      // A "save changes?" dialog would keep this command from finishing.
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitFor('the document to be let go', () => api.logEditor.liveDocument(live.uri) === undefined, 5000);
      await waitFor('no open request left', () => api.kubernetes.openRequests <= requestsBefore, 5000);
    });
  });

  it('drops the oldest entries from the top in one edit, and says so once', async () => {
    const session = await createDeploymentLogSession(TARGET, { clients: api.kubernetes }, { maxEntries: 10_000 });
    const live = await api.logEditor.open(session, { ownsSession: true, maxEntries: 150 });
    const document = await waitFor('the document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === live.uri.toString()));
    await waitFor('the start-up log', () => live.settled && live.stats().entries > 0);
    const recorder = new ChangeRecorder(document);
    try {
      const tag = `bound${Date.now()}`;
      for (let i = 0; i < 250; i++) await gatewayRequest(env, `${tag}-${i}`);
      await waitFor('the last record', () => linesWith(document, `param1=${tag}-249`).length === 1 && live.settled, 20_000);
      const stats = live.stats();
      assert.ok(stats.entries <= 150 && stats.entries >= 135, `${stats.entries} entries kept`);
      assert.ok(stats.droppedEntries > 0);
      assert.ok(recorder.topDeletions > 0, 'the top was dropped while following');
      assert.ok(recorder.topDeletions <= Math.ceil(250 / 15) + 1, `${recorder.topDeletions} top deletions: one per 10% of the bound, not one per batch`);
      const notices = recorder.inserted.join('').split('\n').filter((l) => l.startsWith('# ') && l.includes('arcApimGateway.logs.maxEntries'));
      assert.equal(notices.length, 1, 'one notice');
      assert.equal(document.isDirty, false);
    } finally {
      recorder.dispose();
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitFor('the document to be let go', () => api.logEditor.liveDocument(live.uri) === undefined, 5000);
    }
  });
});
