// "Why did this fail?" in the Gateway Logs provider: the button's message finds the record by seq, the explainer the
// opener gave runs with progress and an abort signal, and the findings go to the webview masked and in the contract.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGatewayLogsToHost, isGatewayLogsToWebview, type ExplanationMessage, type GatewayLogsToWebview } from '../../../src/contract/gatewayLogs.ts';
import type { RecordExplanation } from '../../../src/diagnosis/fromRecord.ts';
import type { TaggedEntry } from '../../../src/logSessions/session.ts';
import { GatewayLogsDataProvider, type ExplainRecord } from '../../../src/panels/gatewayLogsProvider.ts';
import { OPERATION_NOT_FOUND, SVC, record } from '../diagnosis/builders.ts';
import { FakeLiveSession, entries } from './session.ts';

const KEY = '0123456789abcdef0123456789abcdef';

function setUp(explain?: ExplainRecord) {
  const session = new FakeLiveSession();
  const posted: GatewayLogsToWebview[] = [];
  const provider = new GatewayLogsDataProvider(
    session,
    (m) => {
      assert.ok(isGatewayLogsToWebview(m), `invalid message ${JSON.stringify(m).slice(0, 300)}`);
      posted.push(m);
    },
    { maxEntries: 100, ...(explain ? { explain } : {}) },
  );
  const [event] = entries(1);
  const failed: TaggedEntry = { ...record({ method: 'GET', url: `${SVC}/echo/resource?subscription-key=${KEY}`, responseCode: 404 }, OPERATION_NOT_FOUND), seq: (event?.seq ?? 0) + 1 };
  const ok: TaggedEntry = { ...record({ method: 'GET', url: `${SVC}/echo/resource`, responseCode: 200 }), seq: failed.seq + 1 };
  session.push([event as TaggedEntry, failed, ok]);
  provider.onReady();
  const explanations = (): ExplanationMessage[] => posted.filter((m): m is ExplanationMessage => m.type === 'gatewayLogs/explanation');
  return { session, provider, posted, failed, ok, event: event as TaggedEntry, explanations };
}

describe('Why did this fail? in the Gateway Logs provider', () => {
  it('the explain message passes the host guard only with a seq', () => {
    assert.ok(isGatewayLogsToHost({ type: 'gatewayLogs/explain', seq: 3 }));
    assert.equal(isGatewayLogsToHost({ type: 'gatewayLogs/explain' }), false);
    assert.equal(isGatewayLogsToHost({ type: 'gatewayLogs/explain', seq: -1 }), false);
    assert.equal(isGatewayLogsToWebview({ type: 'gatewayLogs/explanation', seq: 1, state: 'done', findings: [{ code: 'x', severity: 'fatal', title: '', explanation: '', evidence: [], fixes: [] }] }), false);
  });

  it('without an explainer, diagnoses the record alone and says so; the key in the URL is masked', async () => {
    const t = setUp();
    // The button's message, as the webview posts it.
    t.provider.handle({ type: 'gatewayLogs/explain', seq: t.failed.seq });
    await new Promise((resolve) => setImmediate(resolve));
    const last = t.explanations().at(-1);
    assert.ok(last?.state === 'done');
    assert.ok(last.findings.length > 0);
    assert.match(last.note ?? '', /without the gateway’s configuration from Azure/);
    assert.ok(!JSON.stringify(t.posted).includes(KEY), 'the subscription key never reaches the webview');
    assert.deepEqual(t.explanations().map((m) => m.state).slice(0, 2), ['busy', 'done']);
  });

  it('runs the opener’s explainer with progress, and posts its findings', async () => {
    const seen: number[] = [];
    const t = setUp(async (entry, progress) => {
      seen.push(entry.seq);
      progress('Reading the gateway’s configuration from Azure…');
      await Promise.resolve();
      return {
        findings: [{ code: 'scheme-not-allowed', severity: 'error', title: 'HTTP not allowed by Echo API', explanation: 'e', evidence: [{ label: 'Request', value: `GET ${SVC}/<img src=x onerror=alert(1)>` }], fixes: [{ id: 'allow-http', label: 'Allow HTTP on Echo API', apiId: 'echo-api' }] }],
      } satisfies RecordExplanation;
    });
    const last = await t.provider.runExplain(t.failed.seq);
    assert.deepEqual(seen, [t.failed.seq]);
    assert.deepEqual(t.explanations().map((m) => (m.state === 'busy' ? m.message : m.state)), ['Diagnosing…', 'Reading the gateway’s configuration from Azure…', 'done']);
    assert.ok(last?.state === 'done');
    assert.equal(last.note, undefined);
    assert.deepEqual(last.findings[0], { code: 'scheme-not-allowed', severity: 'error', title: 'HTTP not allowed by Echo API', explanation: 'e', evidence: [{ label: 'Request', value: `GET ${SVC}/<img src=x onerror=alert(1)>` }], fixes: ['Allow HTTP on Echo API'] });
  });

  it('answers with an error for a record that is gone, one that did not fail, and an explainer that threw', async () => {
    const t = setUp(() => Promise.reject(new Error(`ARM said no (Bearer ${KEY})`)));
    assert.deepEqual(await t.provider.runExplain(999_999), { type: 'gatewayLogs/explanation', seq: 999_999, state: 'error', message: 'This entry has left the session’s buffer.' });
    assert.equal((await t.provider.runExplain(t.ok.seq))?.state, 'error');
    assert.equal((await t.provider.runExplain(t.event.seq))?.state, 'error');
    const failed = await t.provider.runExplain(t.failed.seq);
    assert.ok(failed?.state === 'error');
    assert.equal(failed.message, 'ARM said no (Bearer ***)');
  });

  it('aborts a running diagnosis when the view goes away, and posts nothing after', async () => {
    let signal: AbortSignal | undefined;
    const t = setUp((_entry, _progress, s) => {
      signal = s;
      return new Promise((_resolve, reject) => s.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    const running = t.provider.runExplain(t.failed.seq);
    assert.equal(await t.provider.runExplain(t.failed.seq), undefined, 'one diagnosis of a record at a time');
    const count = t.posted.length;
    t.provider.dispose();
    assert.equal(signal?.aborted, true);
    assert.equal(await running, undefined);
    assert.equal(t.posted.length, count);
  });
});
