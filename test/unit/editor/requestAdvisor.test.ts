// The hover's "Why did this fail?": findings as plain Markdown in which nothing from the log can become markup (a
// link, HTML, emphasis), the record alone said so, and a cancelled hover answers nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeploymentRef } from '../../../src/azure/records.ts';
import { diagnose } from '../../../src/diagnosis/index.ts';
import { diagnosisInputFromRecord, type RecordExplanation } from '../../../src/diagnosis/fromRecord.ts';
import type { Finding } from '../../../src/diagnosis/types.ts';
import { adviceMarkdown, createRequestAdvisor, type TokenLike } from '../../../src/editor/requestAdvisor.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';
import { OPERATION_NOT_FOUND, SVC, gateway, record } from '../diagnosis/builders.ts';

const HOSTILE_PATH = '/echo/<script>alert(1)</script>[click](https://evil.example/x)';
const hostile = record({ method: 'GET', url: `${SVC}${HOSTILE_PATH}`, responseCode: 404 }, OPERATION_NOT_FOUND);

/** Markdown with every backslash escape taken away: what a reader sees as text. */
const unescaped = (markdown: string): string => markdown.replace(/\\(.)/g, '$1');

class Token implements TokenLike {
  isCancellationRequested = false;
  private listeners: (() => unknown)[] = [];
  onCancellationRequested(listener: () => unknown): { dispose(): void } {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  }
  cancel(): void {
    this.isCancellationRequested = true;
    for (const l of this.listeners) l();
  }
}

function explained(entry: GatewayLogEntry, withGateway: boolean): RecordExplanation {
  const input = diagnosisInputFromRecord(entry, withGateway ? gateway() : undefined);
  assert.ok(input);
  return { findings: diagnose(input), ...(withGateway ? {} : { withoutAzure: 'this log is not from a gateway Deployment.' }) };
}

describe('adviceMarkdown', () => {
  it('keeps a URL with <script> and markdown link syntax literal text', () => {
    const markdown = adviceMarkdown(explained(hostile, true)) ?? assert.fail('no advice');
    assert.doesNotMatch(markdown, /<script>|<\/script>/, 'no raw HTML tag');
    assert.doesNotMatch(markdown, /(?<!\\)\[click(?<!\\)\]\(/, 'no link syntax');
    assert.doesNotMatch(markdown, /(?<!\\)\]\(/, 'no unescaped ](');
    // The engine shows the path as it takes it apart (`//` is one separator), the URL percent-encoded.
    assert.ok(unescaped(markdown).includes('<script>alert(1)</script>[click](https:/evil.example/x)'), 'the path reads as it was logged');
    assert.ok(markdown.includes('\\<script\\>alert\\(1\\)\\</script\\>\\[click\\]\\('), 'every markup character escaped');
  });

  it('names each finding with its code, explanation, evidence and fixes as text', () => {
    const explanation = explained(record({ method: 'GET', url: `${SVC}/echo/resource?param1=sample`, responseCode: 404 }, OPERATION_NOT_FOUND), true);
    const markdown = adviceMarkdown(explanation) ?? assert.fail('no advice');
    const first = explanation.findings[0] as Finding;
    assert.equal(first.code, 'scheme-not-allowed');
    assert.match(markdown, /^\*\*Why did this fail\?\*\*\n/);
    assert.ok(markdown.includes('`scheme-not-allowed`'));
    assert.ok(unescaped(markdown).includes(first.title));
    assert.ok(unescaped(markdown).includes(first.explanation));
    assert.ok(unescaped(markdown).includes(`- ${first.evidence[0]?.label}: ${first.evidence[0]?.value}`));
    assert.match(unescaped(markdown), /Fix: Resend over HTTPS \(port 8081\); Allow HTTP on Echo API/);
    assert.doesNotMatch(markdown, /command:|<a |<img/i);
  });

  it('says when the gateway’s configuration from Azure was not used, and why', () => {
    const markdown = adviceMarkdown(explained(hostile, false)) ?? assert.fail('no advice');
    assert.match(markdown, /^\*\*Why did this fail\?\*\* \(without the gateway’s configuration from Azure\)\n\n_this log is not from a gateway Deployment\\._/);
  });

  it('has nothing to say without findings', () => {
    assert.equal(adviceMarkdown({ findings: [] }), undefined);
  });
});

describe('createRequestAdvisor', () => {
  const source: DeploymentRef = { context: 'rb-arc-aks', namespace: 'apim', deployment: 'rb-arc-aks-apimgw' };

  it('asks with the document’s Deployment and a short budget, and answers for failed records only', async () => {
    const calls: { source: DeploymentRef | undefined; budgetMs: number }[] = [];
    const advise = createRequestAdvisor<string>({
      explain: (entry, s, options) => {
        calls.push({ source: s, budgetMs: options.budgetMs });
        return Promise.resolve(explained(entry, true));
      },
      sourceOf: (doc) => (doc === 'live' ? source : undefined),
    });
    assert.match((await advise(hostile, 'live', new Token())) ?? '', /Why did this fail/);
    assert.deepEqual(calls, [{ source, budgetMs: 1500 }]);
    assert.equal(await advise(record({ method: 'GET', url: `${SVC}/echo/resource`, responseCode: 200 }), 'live', new Token()), undefined);
    assert.equal(calls.length, 1, 'a successful request is not diagnosed');
  });

  it('aborts the work when the hover is cancelled, and answers nothing', async () => {
    const token = new Token();
    let aborted = false;
    const advise = createRequestAdvisor<string>({
      explain: (_entry, _s, options) =>
        new Promise((_resolve, reject) => {
          options.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
      sourceOf: () => source,
      onError: () => assert.fail('a cancellation is not an error'),
    });
    const answer = advise(hostile, 'live', token);
    token.cancel();
    assert.equal(await answer, undefined);
    assert.equal(aborted, true);
  });
});
