// The Gateway Logs view in the real workbench (code-server in Chromium): a saved log opened with "Open Log File…"
// renders as a virtualised table, filters narrow it, the details pane shows the request's lastError, a hostile URL
// stays text, and the strict CSP is never violated.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { generateTaggedEntries } from '../sandbox/gateway/logGenerator.ts';
import { openWebviewPage, type WebviewPage } from '../../bench/webviewHarness.ts';
import { repoRoot } from '../../scripts/lib/code-server.ts';
import type { WebviewToHost } from '../../src/contract/webviewMessages.ts';
import { parseGatewayLog } from '../../src/gatewayLogs/parser.ts';
import { toEntryDetails, toLogRow } from '../../src/panels/gatewayLogsRows.ts';
import { openGatewaysView, openWorkbench, until, worldWorkbench, type Workbench } from './workbench.ts';

const HOSTILE_ID = '0bad0bad-1337-4bad-abad-0000deadbeef';
const HOSTILE_PATH = '/<img src=x onerror=alert(1)>';
const hostileRequest = [
  `[Info] 2023-08-25T10:56:01.001 [GatewayLogs], isRequestSuccess: False, totalTime: 3, category: GatewayLogs, callerIpAddress: 10.240.0.9, timeGenerated: 2023-08-25T10:56:01.001, region: rb-arc, correlationId: ${HOSTILE_ID}, method: GET, url: http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000${HOSTILE_PATH}, responseCode: 404, responseSize: 169, cache: none, clientProtocol: HTTP/1.1, lastError: {`,
  '  "elapsed": 1,',
  '  "source": "configuration",',
  '  "reason": "OperationNotFound",',
  '  "message": "Unable to match incoming request to an operation.",',
  '  "section": "backend"',
  '}',
];

// Secrets and markup in other fields: a subscription key in a text record's field and in a JSON record (masked in
// the details pane), and a lastError whose source tries to leave its code span in the editor's hover.
const KEY_TEXT = 'e2ekeyAAAA0123456789abcdef0123456789';
const KEY_JSON = 'e2ekeyBBBB0123456789abcdef0123456789';
const HOSTILE_SOURCE = 'x` [run](command:workbench.action.terminal.new) `y <img src=x onerror=alert(4)>';
const hostileFields = [
  `[Info] 2023-08-25T10:56:01.500 [RequestTraced], ocp-apim-subscription-key: ${KEY_TEXT}, note: e2e-keyed <img src=x onerror=alert(2)>, source: Tracer`,
  JSON.stringify({ timestamp: '2023-08-25T10:56:01.600Z', level: 'Info', message: 'e2e-keyed json', subscriptionKey: KEY_JSON, 'Ocp-Apim-Subscription-Key': KEY_JSON }),
  `[Info] 2023-08-25T10:56:01.700 [GatewayLogs], isRequestSuccess: False, totalTime: 3, category: GatewayLogs, timeGenerated: 2023-08-25T10:56:01.700, region: e2e-hover, method: GET, url: http://gw.apim:5000/hover, responseCode: 404, lastError: ${JSON.stringify({ elapsed: 1, source: HOSTILE_SOURCE, reason: 'OperationNotFound', section: 'backend' })}`,
];

/** Types a path into VS Code's own file dialog (a quick input) until it sticks, and accepts it. */
async function chooseFile(page: Page, dialogTitle: string, file: string): Promise<void> {
  const title = page.locator('.quick-input-widget .quick-input-title', { hasText: dialogTitle });
  await title.waitFor({ timeout: 15_000 });
  const input = page.locator('.quick-input-widget input.input');
  for (let accept = 0; await title.isVisible(); accept++) {
    if (accept === 5) throw new Error(`the file dialog did not take the path (it shows "${await input.inputValue()}")`);
    for (let attempt = 0; (await input.inputValue()) !== file; attempt++) {
      if (attempt === 10) throw new Error(`the file dialog kept "${await input.inputValue()}"`);
      await page.waitForTimeout(200);
      await input.fill(file);
    }
    await page.keyboard.press('Enter');
    await title.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
  }
}

/** Runs a palette command by its title; the palette may not list our commands yet right after load, so it retries. */
/** The view in the browser harness, the test playing the host: it keeps what the view sends, and answers its requests for an entry's details from `entries`. */
async function openAnsweringDetails(entries: () => readonly Parameters<typeof toEntryDetails>[0][], fromView: WebviewToHost[]): Promise<WebviewPage> {
  const opened: { page?: WebviewPage } = {};
  opened.page = await openWebviewPage({
    onMessage: (m) => {
      fromView.push(m);
      if (m.type === 'gatewayLogs/requestDetails') {
        const entry = entries().find((e) => e.seq === m.seq);
        opened.page?.post(entry ? { type: 'gatewayLogs/details', seq: m.seq, details: toEntryDetails(entry) } : { type: 'gatewayLogs/details', seq: m.seq });
      }
    },
  });
  return opened.page;
}

async function runCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    if (await row.waitFor({ timeout: 3_000 }).then(() => true, () => false)) {
      await row.click();
      return;
    }
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
  throw new Error(`command "${title}" never appeared in the palette`);
}

describe('workbench: Gateway Logs view', () => {
  let workbench: Workbench;
  let logFile: string;
  let frame: FrameLocator;
  const dialogs: string[] = [];

  before(async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'arc-apim-logs-e2e-'));
    logFile = path.join(folder, 'gateway.log');
    const seed = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'gateway-logs', 'generated', 'v2-text.log'), 'utf8').trimEnd();
    writeFileSync(logFile, `${seed}\n${hostileRequest.join('\n')}\n${hostileFields.join('\n')}\n[Info] 2023-08-25T10:56:02.000 [HeartbeatSent], source: UdpHeartbeatSender\n`);
    workbench = await openWorkbench({ folder, env: { KUBECONFIG: path.join(folder, 'no-kubeconfig') } });
    workbench.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  after(async () => workbench?.close());

  it('opens a log file through the palette and renders only the visible rows', async () => {
    const { page } = workbench;
    await runCommand(page, 'Arc APIM Gateway: Open Log File…');
    // code-server shows VS Code's own file dialog: the same quick input as the palette, so wait for its title (typing
    // into the palette while it closes would lose the path).
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open a gateway log file' }).waitFor({ timeout: 15_000 });
    const input = page.locator('.quick-input-widget input.input');
    const title = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open a gateway log file' });
    // The dialog fills in its folder asynchronously and may do so after a first fill — even after the path seemed
    // to stick and Enter was pressed: fill until the path sticks, accept, and do it again if the dialog stayed open.
    for (let accept = 0; await title.isVisible(); accept++) {
      if (accept === 5) throw new Error(`the file dialog did not take the path (it shows "${await input.inputValue()}")`);
      for (let attempt = 0; (await input.inputValue()) !== logFile; attempt++) {
        if (attempt === 10) throw new Error(`the file dialog kept "${await input.inputValue()}"`);
        await page.waitForTimeout(200);
        await input.fill(logFile);
      }
      await page.keyboard.press('Enter');
      await title.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
    }
    frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await frame
      .locator('.layer .row:not([hidden])')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        await workbench.screenshot('gateway-logs-file-failed');
        throw error;
      });
    // Every entry the parser reads from the file (the start-up banner is one of them, not a row per line).
    const expected = parseGatewayLog(readFileSync(logFile, 'utf8')).length;
    assert.ok(expected > 50, `the file holds the seed blog's log (${expected} entries)`);
    let count = '';
    await until(`all ${expected} entries stored`, async () => (count = (await frame.locator('.count').textContent()) ?? '') === `${expected} entries`, 30_000)
      .catch((error: unknown) => { throw new Error(`${String(error)}; the count says "${count}"`); });
    const total = expected;
    const inDom = await frame.locator('.layer .row').count();
    assert.ok(inDom > 5 && inDom < 100, `${inDom} row elements for ${total} entries: the table is virtualised`);
    await frame.locator('.chart-summary', { hasText: 'requests' }).waitFor({ timeout: 10_000 });
    await workbench.screenshot('gateway-logs-file');
  });

  it('moves the selection with the keyboard: End, Home, PageDown', async () => {
    const { page } = workbench;
    await frame.locator('.table').focus();
    const selected = frame.locator('.layer .row.selected');
    await page.keyboard.press('End');
    await selected.waitFor({ timeout: 5_000 });
    assert.match((await selected.textContent()) ?? '', /HeartbeatSent/, 'End selects the last entry');
    await page.keyboard.press('Home');
    assert.equal(await selected.getAttribute('aria-rowindex'), '2', 'Home selects the first entry (row 1 is the header)');
    await page.keyboard.press('PageDown');
    const index = Number(await selected.getAttribute('aria-rowindex'));
    assert.ok(index > 5, `PageDown moved a page (now at row ${index})`);
    await page.keyboard.press('Escape');
    assert.equal(await selected.count(), 0, 'Escape clears the selection');
  });

  it('narrows the rows with a filter and shows the lastError pretty-printed in the details', async () => {
    const { page } = workbench;
    await frame.locator('.table').focus();
    await page.keyboard.press('/');
    const filter = frame.locator('input.filter');
    assert.equal(await filter.evaluate((node) => node === node.ownerDocument.activeElement), true, '/ focuses the filter');
    await filter.fill(HOSTILE_ID);
    await frame.locator('.count', { hasText: /^1 of / }).waitFor({ timeout: 10_000 });
    const rows = frame.locator('.layer .row:not([hidden])');
    assert.equal(await rows.count(), 1);
    await page.keyboard.press('Escape'); // back to the table
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const lastError = frame.locator('pre.lastError');
    await lastError.waitFor({ timeout: 10_000 });
    const text = (await lastError.textContent()) ?? '';
    assert.equal(text, JSON.stringify({ elapsed: 1, source: 'configuration', reason: 'OperationNotFound', message: 'Unable to match incoming request to an operation.', section: 'backend' }, null, 2));
    await workbench.screenshot('gateway-logs-details');
    await page.keyboard.press('Escape');
    await frame.locator('aside.details').waitFor({ state: 'hidden', timeout: 5_000 });
  });

  it('shows the hostile URL as text: no element is created from it and no dialog opens', async () => {
    const path = frame.locator('.layer .row:not([hidden]) .c.path').first();
    assert.equal(await path.textContent(), HOSTILE_PATH);
    assert.equal(await frame.locator('img').count(), 0, 'no <img> in the webview');
    assert.equal(await frame.locator('[onerror]').count(), 0);
    // The details pane renders the same URL in its fields and lines.
    await path.click();
    await frame.locator('pre.raw').waitFor({ timeout: 10_000 });
    assert.ok(((await frame.locator('pre.raw').textContent()) ?? '').includes(HOSTILE_PATH));
    assert.equal(await frame.locator('img').count(), 0);
    assert.deepEqual(dialogs, []);
  });

  it('masks subscription keys in the details pane, whatever the field is called, and shows markup in fields as text', async () => {
    const { page } = workbench;
    const filter = frame.locator('input.filter');
    await filter.fill('e2e-keyed');
    await frame.locator('.count', { hasText: /^2 of / }).waitFor({ timeout: 10_000 });
    for (const [i, key] of [KEY_TEXT, KEY_JSON].entries()) {
      await frame.locator('.layer .row:not([hidden])').nth(i).click();
      const details = frame.locator('aside.details');
      await details.locator('pre.raw').waitFor({ timeout: 10_000 });
      await until('the details of this row', async () => ((await details.textContent()) ?? '').includes(i === 0 ? 'note' : 'e2e-keyed json'));
      const shown = (await details.textContent()) ?? '';
      assert.ok(!shown.toLowerCase().includes(key.toLowerCase()), `the key is shown in the details pane: ${shown.slice(0, 300)}`);
      assert.match(shown, /\*\*\*/);
      const search = await frame.locator('.layer .row:not([hidden])').nth(i).textContent();
      assert.ok(!(search ?? '').includes(key), 'nor in the row');
    }
    assert.ok(((await frame.locator('aside.details').textContent()) ?? '') !== '');
    assert.equal(await frame.locator('img').count(), 0);
    await filter.fill('');
    await page.keyboard.press('Escape');
    assert.deepEqual(dialogs, []);
  });

  it('shows log text literally in the log editor’s hover: no link, image or code-span escape', async () => {
    const { page } = workbench;
    await runCommand(page, 'Arc APIM Gateway: Open Gateway Logs in Editor');
    await chooseFile(page, 'Open a gateway log file in the editor', logFile);
    const editor = page.locator('.editor-instance .monaco-editor').last();
    await editor.waitFor({ timeout: 30_000 });
    await editor.click();
    await page.keyboard.press('Control+End');
    const line = page.locator('.view-line', { hasText: 'e2e-hover' }).last();
    await line.waitFor({ timeout: 30_000 });
    assert.ok(!((await page.locator('.view-lines').textContent()) ?? '').includes(KEY_TEXT), 'the editor document masks the key');
    const hover = page.locator('.monaco-hover:not(.hidden)');
    const reason = line.locator('span', { hasText: 'OperationNotFound' }).last();
    for (let attempt = 0; attempt < 5 && !(await hover.isVisible()); attempt++) {
      await reason.hover();
      await hover.waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    await until('the hover', async () => ((await hover.textContent()) ?? '').includes('OperationNotFound'), 15_000);
    const text = (await hover.textContent()) ?? '';
    assert.ok(text.includes(HOSTILE_SOURCE), `the source is shown literally: ${text}`);
    assert.equal(await hover.locator('a[href^="command:"], a[data-href^="command:"], img').count(), 0, 'no link or image made from log text');
    await workbench.screenshot('gateway-logs-hover');
    await page.keyboard.press('Escape');
    assert.deepEqual(dialogs, []);
  });

  it('logged no CSP violation and no webview error', () => {
    const problems = workbench.console.filter((line) => /Content Security Policy|Refused to (load|execute|apply)|gatewayLogs\.js/i.test(line) && /error|warn|refused/i.test(line));
    assert.deepEqual(problems, []);
  });
});

// The same bundle outside the workbench (bench/webviewHarness.ts: the panel's CSP, a stand-in acquireVsCodeApi), where
// the test plays the host and can drive what a live tail does: bursts, the bound, pause, clear, pods and notices.
describe('Gateway Logs webview: live behaviour', () => {
  let harness: WebviewPage;
  const fromView: WebviewToHost[] = [];
  // Seqs two apart, as a live session leaves room between them: an odd seq is a late entry placed among the rows.
  const entries = generateTaggedEntries(1500, 3).map((e) => ({ ...e, seq: e.seq * 2 }));
  const rows = entries.map(toLogRow);
  let batch = 0;
  const append = (from: number, to: number): void => harness.post({ type: 'gatewayLogs/append', batch: ++batch, rows: rows.slice(from, to), skipped: 0 });
  const text = async (selector: string): Promise<string> => (await harness.page.locator(selector).first().textContent()) ?? '';

  before(async () => {
    harness = await openAnsweringDetails(() => entries, fromView);
    await until('ready', async () => fromView.some((m) => m.type === 'ready'));
    harness.post({
      type: 'gatewayLogs/reset',
      title: 'apim/rb-arc-aks-apimgw (rb-arc-aks)',
      live: true,
      ended: false,
      settings: { maxEntries: 1000 },
      droppedBefore: 0,
      pods: [{ pod: 'rb-arc-aks-apimgw-6cb68c4ccf-88bxg', state: 'following' }],
    });
  });
  after(async () => harness?.close());

  it('acknowledges every batch and follows the newest entry', async () => {
    append(0, 400);
    append(400, 800);
    await until('800 entries', async () => (await text('.count')) === '800 entries');
    const acks = fromView.filter((m) => m.type === 'gatewayLogs/ack');
    assert.deepEqual(acks, [{ type: 'gatewayLogs/ack', batch: 1, rows: 400 }, { type: 'gatewayLogs/ack', batch: 2, rows: 400 }]);
    await until('the last row in view', async () => (await harness.page.locator('.layer .row[aria-rowindex="801"]:not([hidden])').count()) === 1);
  });

  it('keeps maxEntries and says how many older entries were dropped', async () => {
    append(800, 1200);
    await until('the bound', async () => (await text('.count')) === '1,000 entries');
    assert.match(await text('.dropped'), /^200 older entries dropped/);
  });

  /** Selects the row three pages below the first (the user reading older rows), with where it is on screen. */
  async function selectThreePagesDown(): Promise<{ selected: Locator; content: string | null; top: number | undefined }> {
    await harness.page.locator('.table').focus();
    await harness.page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await harness.page.keyboard.press('PageDown');
    const selected = harness.page.locator('.layer .row.selected');
    return { selected, content: await selected.textContent(), top: (await selected.boundingBox())?.y };
  }

  /** After the next frame, the selected row shows the same entry at the same place on screen. */
  async function assertStillInPlace({ selected, content, top }: { selected: Locator; content: string | null; top: number | undefined }): Promise<void> {
    await harness.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    assert.equal(await selected.textContent(), content);
    assert.ok(Math.abs(((await selected.boundingBox())?.y ?? -1) - (top ?? 0)) < 1, 'same place on screen');
  }

  it('when not following, the rows being read stay in place while the oldest are let go', async () => {
    await harness.page.click('button:text("Follow")');
    assert.equal(await harness.page.locator('button:text("Follow")').getAttribute('aria-pressed'), 'false');
    const reading = await selectThreePagesDown();
    append(1200, 1250);
    await until('the store to move on', async () => (await text('.dropped')).startsWith('250 older'));
    await assertStillInPlace(reading);
    await harness.page.click('button:text("Follow")');
  });

  it('when not following, a late entry placed above the rows being read leaves them in place, and shows at its time', async () => {
    await harness.page.click('button:text("Follow")');
    const reading = await selectThreePagesDown();
    // The store keeps rows 251–1250; a late entry belongs right before row 261, above the rows in view.
    const neighbour = rows[260] as (typeof rows)[number];
    harness.post({ type: 'gatewayLogs/append', batch: ++batch, rows: [{ ...neighbour, seq: neighbour.seq - 1, message: 'late entry of a slow pod' }], skipped: 0 });
    await until('the oldest to go for it', async () => (await text('.dropped')).startsWith('251 older'));
    await assertStillInPlace(reading);
    await harness.page.keyboard.press('Home');
    // Rows 252–260 come before it (row 251 was let go): index 9, aria-rowindex 11 (the header is 1).
    await until('the late entry at its place', async () => ((await harness.page.locator('.layer .row[aria-rowindex="11"]:not([hidden])').textContent()) ?? '').includes('late entry of a slow pod'));
    await harness.page.click('button:text("Follow")');
  });

  it('pause stops new rows from showing and counts them; resume shows them', async () => {
    await harness.page.click('button:text("Pause")');
    const lastRow = harness.page.locator('.layer .row:not([hidden])').last();
    const before = await lastRow.textContent();
    append(1250, 1300);
    await until('the paused badge', async () => (await text('.badge')) === '50 new');
    await harness.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    assert.equal(await lastRow.textContent(), before, 'the newest row shown is still the one shown before the pause');
    assert.equal(await harness.page.locator('.state').textContent(), 'paused');
    await harness.page.click('button:text("Resume")');
    await until('the new rows', async () => (await text('.count')) === '1,000 entries');
    assert.equal(await harness.page.locator('.badge').isHidden(), true);
  });

  it('shows pods and notices as text, and copies the lines of an entry through the host', async () => {
    harness.post({ type: 'gatewayLogs/pods', pods: [{ pod: 'p-1', state: 'following' }, { pod: 'p-2', state: 'restarted', restartCount: 2, message: 'OOMKilled' }] });
    harness.post({ type: 'gatewayLogs/notice', notice: { time: Date.UTC(2026, 10, 27), pod: 'p-2', text: 'Container restarted (2)' } });
    await until('pods', async () => (await harness.page.locator('.pod-chip').count()) === 2);
    assert.equal(await text('.pod-chip.st-restarted'), 'p-2 · restarted ↻2');
    assert.match(await text('.notices summary'), /latest: Container restarted \(2\)/);
    await harness.page.locator('.layer .row:not([hidden])').last().click();
    await harness.page.locator('pre.raw').waitFor();
    await harness.page.click('button:text("Copy lines")');
    const copy = fromView.find((m) => m.type === 'gatewayLogs/copy');
    assert.ok(copy && copy.type === 'gatewayLogs/copy' && copy.text === (await text('pre.raw')));
  });

  it('clear empties the view and ignores rows the host had already sent', async () => {
    await harness.page.click('button:text("Clear")');
    await until('the clear request', async () => fromView.some((m) => m.type === 'gatewayLogs/clear'));
    // A batch that was on its way when Clear was pressed, then the host's answer.
    append(1300, 1310);
    harness.post({ type: 'gatewayLogs/cleared', throughSeq: rows[1309]?.seq ?? 0 });
    append(1310, 1315);
    await until('only the rows after the clear', async () => (await text('.count')) === '5 entries');
    assert.equal(await harness.page.locator('.dropped').isHidden(), true, 'cleared rows are not reported as dropped');
  });

  it('never violated its CSP', () => {
    assert.deepEqual(harness.console.filter((l) => /Content Security Policy|Refused|pageerror/i.test(l)), []);
  });
});

// "Why did this fail?" in the details pane: offered on a failed request record only, posts `explain` with the row's
// seq, shows the host's busy state, then the findings — all as text, a hostile evidence value included.
describe('Gateway Logs webview: Why did this fail?', () => {
  let harness: WebviewPage;
  const fromView: WebviewToHost[] = [];
  const log = [
    '[Info] 2023-08-25T10:56:00.000 [GatewayLogs], isRequestSuccess: True, totalTime: 3, category: GatewayLogs, timeGenerated: 2023-08-25T10:56:00.000, method: GET, url: http://gw.apim:5000/dummy/items, responseCode: 200, responseSize: 10',
    ...hostileRequest,
  ].join('\n');
  const tagged = parseGatewayLog(`${log}\n`).map((entry, i) => ({ ...entry, seq: i + 1 }));
  const [okRecord, failedRecord] = tagged;
  const EVIL = '<img src=x onerror=alert(1)>';

  before(async () => {
    assert.ok(okRecord && failedRecord && failedRecord.kind === 'request');
    harness = await openAnsweringDetails(() => tagged, fromView);
    await until('ready', async () => fromView.some((m) => m.type === 'ready'));
    harness.post(
      { type: 'gatewayLogs/reset', title: 'gateway.log', live: false, ended: true, settings: { maxEntries: 100 }, droppedBefore: 0, pods: [] },
      { type: 'gatewayLogs/append', batch: 1, rows: tagged.map(toLogRow), skipped: 0 },
    );
    await until('the rows', async () => (await harness.page.locator('.layer .row:not([hidden])').count()) === 2);
  });
  after(async () => harness?.close());

  it('is not offered on a request that worked', async () => {
    await harness.page.locator('.layer .row:not([hidden])').first().click();
    await harness.page.locator('pre.raw').waitFor();
    assert.equal(await harness.page.locator('button:text("Why did this fail?")').count(), 0);
  });

  it('on a failed record, posts explain with its seq, shows busy, then the findings as text', async () => {
    await harness.page.locator('.layer .row:not([hidden])').nth(1).click();
    const button = harness.page.locator('button:text("Why did this fail?")');
    await button.waitFor({ timeout: 5_000 });
    await button.click();
    await until('the explain message', async () => fromView.some((m) => m.type === 'gatewayLogs/explain'));
    assert.deepEqual(fromView.filter((m) => m.type === 'gatewayLogs/explain'), [{ type: 'gatewayLogs/explain', seq: failedRecord?.seq }]);
    const seq = failedRecord?.seq ?? -1;
    harness.post({ type: 'gatewayLogs/explanation', seq, state: 'busy', message: 'Reading the gateway’s configuration from Azure…' });
    await until('the busy state', async () => (await harness.page.locator('.explanation[aria-busy="true"] .busy').textContent()) === 'Reading the gateway’s configuration from Azure…');
    assert.equal(await button.isDisabled(), true, 'no second request while one runs');
    harness.post({
      type: 'gatewayLogs/explanation',
      seq,
      state: 'done',
      note: `Diagnosed without the gateway’s configuration from Azure: ${EVIL}`,
      findings: [
        {
          code: 'scheme-not-allowed',
          severity: 'error',
          title: 'HTTP not allowed by Echo API',
          explanation: 'Echo API (echo-api) accepts only https, but the request used http.',
          evidence: [
            { label: 'Request', value: `GET http://gw.apim:5000${EVIL}` },
            { label: 'Echo API protocols', value: 'https' },
          ],
          fixes: ['Resend over HTTPS (port 8081)', 'Allow HTTP on Echo API'],
        },
      ],
      canResend: true,
    });
    const finding = harness.page.locator('.explanation .finding[data-code="scheme-not-allowed"]');
    await finding.waitFor({ timeout: 5_000 });
    assert.equal(await finding.locator('h4 span').textContent(), 'HTTP not allowed by Echo API');
    assert.equal(await finding.locator('.finding-code').textContent(), 'scheme-not-allowed');
    assert.equal(await finding.locator('.finding-explanation').textContent(), 'Echo API (echo-api) accepts only https, but the request used http.');
    assert.deepEqual(await finding.locator('table.evidence tr').allTextContents(), [`RequestGET http://gw.apim:5000${EVIL}`, 'Echo API protocolshttps']);
    assert.deepEqual(await finding.locator('ul.fixes li').allTextContents(), ['Resend over HTTPS (port 8081)', 'Allow HTTP on Echo API']);
    assert.equal(await harness.page.locator('.explanation .note').textContent(), `Diagnosed without the gateway’s configuration from Azure: ${EVIL}`);
    assert.equal(await harness.page.locator('img').count(), 0, 'the evidence made no element');
    assert.equal(await harness.page.locator('[onerror]').count(), 0);
    assert.equal(await button.isDisabled(), false);
    // Where the fixes act: the request opens in Send Test Request.
    await harness.page.locator('.explanation button.resend').click();
    await until('the resend message', async () => fromView.some((m) => m.type === 'gatewayLogs/resend'));
    assert.deepEqual(fromView.find((m) => m.type === 'gatewayLogs/resend'), { type: 'gatewayLogs/resend', seq });
  });

  it('keeps the answer for the row when it is opened again, and shows errors in the pane', async () => {
    await harness.page.locator('.layer .row:not([hidden])').first().click();
    await harness.page.locator('.layer .row:not([hidden])').nth(1).click();
    await harness.page.locator('.explanation .finding').waitFor({ timeout: 5_000 });
    harness.post({ type: 'gatewayLogs/explanation', seq: failedRecord?.seq ?? -1, state: 'error', message: 'This entry has left the session’s buffer.' });
    await until('the error', async () => (await harness.page.locator('.explanation .error').count()) === 1);
    assert.equal(await harness.page.locator('.explanation .error').textContent(), 'This entry has left the session’s buffer.');
  });

  it('never violated its CSP', () => {
    assert.deepEqual(harness.console.filter((l) => /Content Security Policy|Refused|pageerror/i.test(l)), []);
  });
});

// Tree tooltips are Markdown built from what the cluster says: a gateway Deployment whose image and release hold a
// code-span escape, a command link and an <img> shows them as text in its tooltip.
describe('workbench: hostile strings from the cluster in tree tooltips', () => {
  const IMAGE = 'mcr.microsoft.com/azure-api-management/gateway:2.9.0` [run](command:workbench.action.terminal.new) `<img src=x onerror=alert(5)>';
  const RELEASE = 'rel` [x](command:workbench.action.terminal.new) `y';

  const world = worldWorkbench('blog-deployed', {
    prepare: async (sandbox) => {
      // Created through the sandbox's Kubernetes API as any client would (the image is not checked by the API server).
      const k8s = await import('@kubernetes/client-node');
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(sandbox.env['KUBECONFIG'] ?? '');
      const labels = { app: 'hostile-gw', 'app.kubernetes.io/name': 'azure-api-management-gateway', 'app.kubernetes.io/instance': RELEASE.replace(/[^a-z0-9-]/g, '') };
      await kc.makeApiClient(k8s.AppsV1Api).createNamespacedDeployment({
        namespace: 'apim',
        body: {
          metadata: { name: 'hostile-gw', labels },
          spec: { replicas: 0, selector: { matchLabels: { app: 'hostile-gw' } }, template: { metadata: { labels }, spec: { containers: [{ name: 'gw', image: IMAGE }] } } },
        },
      });
    },
  });

  it('shows the image as text in the Deployment tooltip: no link, no image, the code span intact', { timeout: 180_000 }, async () => {
    const { workbench } = world;
    const { page } = workbench;
    try {
      await openGatewaysView(page);
      const rows = page.locator('.part.sidebar .monaco-list-row');
      const expand = async (label: string | RegExp): Promise<void> => {
        const row = rows.filter({ hasText: label }).first();
        await row.waitFor({ timeout: 60_000 });
        if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
      };
      await expand(/^Kubernetes/);
      await expand('rb-arc-aks');
      const gw = rows.filter({ hasText: 'hostile-gw' }).first();
      await gw.waitFor({ timeout: 60_000 }).catch(async () => {
        await expand(/^apim/);
        await gw.waitFor({ timeout: 30_000 });
      });
      const hover = page.locator('.monaco-hover:not(.hidden), .workbench-hover').filter({ hasText: 'Deployment in' }).first();
      for (let attempt = 0; attempt < 5 && !(await hover.isVisible()); attempt++) {
        await rows.first().hover();
        await gw.locator('.label-name, .monaco-icon-label').first().hover();
        await hover.waitFor({ timeout: 5_000 }).catch(() => undefined);
      }
      await hover.waitFor({ timeout: 10_000 });
      const text = (await hover.textContent()) ?? '';
      assert.ok(text.includes(IMAGE), `the image is shown literally: ${text}`);
      assert.equal(await hover.locator('a[href^="command:"], a[data-href^="command:"], img').count(), 0, 'no link or image made from the image name');
      await workbench.screenshot('tree-tooltip-hostile');
    } catch (error) {
      await workbench.screenshot('tree-tooltip-failure').catch(() => undefined);
      throw error;
    }
  });
});
