import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubeconfigPaths, summarizeKubeconfigs } from '../../../src/kubernetes/kubeconfigFile.ts';

describe('kubeconfigPaths', () => {
  it('prefers the setting, then every KUBECONFIG entry, then ~/.kube/config', () => {
    assert.deepEqual(kubeconfigPaths(' ~/k/config ', 'a:b', '/home/u', ':'), ['/home/u/k/config']);
    assert.deepEqual(kubeconfigPaths('', '/a::~/b', '/home/u', ':'), ['/a', '/home/u/b']);
    assert.deepEqual(kubeconfigPaths(undefined, undefined, '/home/u', ':'), ['/home/u/.kube/config']);
  });
});

describe('summarizeKubeconfigs', () => {
  it('merges files as kubectl does: the first definition of a name and the first current-context win', () => {
    const summary = summarizeKubeconfigs([
      {
        path: '/one',
        text: 'contexts:\n- name: a\n  context: {cluster: c1, user: u1, namespace: apim}\ncurrent-context: a\n',
      },
      {
        path: '/two',
        text: 'contexts:\n- name: a\n  context: {cluster: other, user: other}\n- name: b\n  context: {cluster: c2, user: u2}\ncurrent-context: b\n',
      },
    ]);
    assert.equal(summary.currentContext, 'a');
    assert.deepEqual(
      summary.contexts.map((c) => [c.name, c.cluster, c.namespace, c.file]),
      [
        ['a', 'c1', 'apim', '/one'],
        ['b', 'c2', undefined, '/two'],
      ],
    );
  });

  it('ignores entries that are not contexts instead of failing on them', () => {
    const summary = summarizeKubeconfigs([{ path: '/x', text: 'contexts:\n- 42\n- name: ok\n  context: null\n' }]);
    assert.deepEqual(summary.contexts.map((c) => c.name), ['ok']);
    assert.equal(summary.currentContext, undefined);
  });

  it('throws on text that is not YAML, so the caller can say so', () => {
    assert.throws(() => summarizeKubeconfigs([{ path: '/bad', text: 'contexts: [unclosed' }]));
  });
});
