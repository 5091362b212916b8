import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTestRequestToHost, isTestRequestToWebview, type TestRequestResult } from '../../../src/contract/testRequest.ts';
import { formatSize, prettyBody, resultView, type ViewNode } from '../../../src/webview/testRequest/view.ts';

const HOSTILE = '<html><body><script>alert(1)</script><img src=x onerror=alert(2)></body></html>';

function result(body: string, contentType = 'text/html'): TestRequestResult {
  return {
    method: 'GET',
    url: 'http://gw.apim:5000/echo/resource',
    transport: 'curl pod (curlimages/curl)',
    description: "curl -sS -i -H 'Ocp-Apim-Subscription-Key: ***' http://gw.apim:5000/echo/resource",
    keySent: true,
    sentAt: '2026-11-27T18:00:00.000Z',
    durationMs: 12,
    response: { kind: 'http', status: 200, headers: [['content-type', contentType], ['x-evil', '<b>bold</b>']], body, bodySize: body.length, contentType },
    record: { pod: 'gw-1', line: 3, fields: [['url', '<i>x</i>']], lastError: '{\n  "reason": "<script>"\n}' },
    recordSearch: { searchedMs: 800, seen: 2 },
    findings: [{ code: 'unknown', severity: 'warning', title: '<u>t</u>', explanation: 'e', evidence: [{ label: 'l', value: '<script>v</script>' }], fixes: [{ id: 'assign-api', label: 'Assign', actionable: false }, { id: 'allow-http', label: 'Allow HTTP', actionable: true }] }],
  };
}

function texts(nodes: readonly ViewNode[]): string[] {
  return nodes.flatMap((n) => [...(n.text !== undefined ? [n.text] : []), ...texts(n.children ?? [])]);
}

function keys(nodes: readonly ViewNode[]): string[] {
  return nodes.flatMap((n) => [...Object.keys(n), ...keys(n.children ?? [])]);
}

describe('test request view', () => {
  it('keeps an HTML body (and headers, record, evidence) as text: the tree has no markup field at all', () => {
    const view = resultView(result(HOSTILE), 1);
    const all = texts(view);
    assert.ok(all.includes(HOSTILE), 'the body is shown verbatim as text');
    assert.ok(all.includes('<b>bold</b>'));
    assert.ok(all.includes('<script>v</script>'));
    assert.deepEqual([...new Set(keys(view))].sort(), ['action', 'children', 'className', 'tag', 'text']);
  });

  it('names the record\'s line only when it is the pod log\'s line', () => {
    assert.ok(texts(resultView(result('{}'), 1)).includes('Gateway request record (pod gw-1, line 3)'));
    const { line: _line, ...unknownLine } = result('{}').record ?? { fields: [] };
    const noLine = texts(resultView({ ...result('{}'), record: unknownLine }, 1));
    assert.ok(noLine.includes('Gateway request record (pod gw-1)'), noLine.join(' | '));
  });

  it('offers buttons only for fixes the host acts on, plus Retry', () => {
    const actions = (function collect(nodes: readonly ViewNode[]): unknown[] {
      return nodes.flatMap((n) => [...(n.action ? [n.action] : []), ...collect(n.children ?? [])]);
    })(resultView(result('{}'), 2));
    assert.deepEqual(actions, [{ kind: 'retry' }, { kind: 'fix', finding: 0, fix: 1 }]);
  });

  it('pretty-prints JSON and XML, and leaves other bodies alone', () => {
    assert.equal(prettyBody('{"a":[1,2]}', 'application/json'), '{\n  "a": [\n    1,\n    2\n  ]\n}');
    assert.equal(prettyBody('<a><b>1</b><c/></a>', 'application/xml'), '<a>\n  <b>1</b>\n  <c/>\n</a>');
    assert.equal(prettyBody('{not json', 'application/json'), '{not json');
    assert.equal(prettyBody(HOSTILE, 'text/html'), HOSTILE);
    assert.equal(formatSize(2048), '2.0 KB');
  });

  it('guards the messages both ways', () => {
    assert.ok(isTestRequestToHost({ type: 'testRequest/fix', finding: 0, fix: 1 }));
    assert.ok(isTestRequestToHost({ type: 'testRequest/retry' }));
    assert.equal(isTestRequestToHost({ type: 'testRequest/fix', finding: -1, fix: 0 }), false);
    assert.equal(isTestRequestToHost({ type: 'testRequest/fix', finding: '0', fix: 0 }), false);
    assert.ok(isTestRequestToWebview({ type: 'testRequest/busy', text: 'x' }));
    assert.equal(isTestRequestToWebview({ type: 'testRequest/result' }), false);
  });
});
