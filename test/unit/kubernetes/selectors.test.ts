import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploymentSelector, matchesSelector, selectorString, serviceSelects } from '../../../src/kubernetes/selectors.ts';

describe('label selectors', () => {
  it('writes matchLabels and every expression operator the way the API parses them', () => {
    assert.equal(
      selectorString({
        matchLabels: { 'app.kubernetes.io/name': 'azure-api-management-gateway', 'app.kubernetes.io/instance': 'rb-arc-aks-apimgw' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a'] },
          { key: 'canary', operator: 'NotIn', values: ['true'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
      'app.kubernetes.io/instance=rb-arc-aks-apimgw,app.kubernetes.io/name=azure-api-management-gateway,tier in (a,b),canary notin (true),team,!legacy',
    );
  });

  it('refuses selectors that would select every pod or that the API would reject, naming the rule', () => {
    assert.throws(() => selectorString({}), /The selector is empty: it would match every pod in the namespace/);
    assert.throws(() => selectorString({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /"a": In needs at least one value/);
    assert.throws(() => selectorString({ matchExpressions: [{ key: 'a', operator: 'Like' }] }), /operator "Like" is not one of In, NotIn, Exists, DoesNotExist/);
    assert.throws(() => deploymentSelector({ metadata: { name: 'gw' }, spec: {} }), /Deployment gw has no spec.selector/);
    assert.throws(() => deploymentSelector({ metadata: { name: 'gw' }, spec: { selector: {} } }), /Deployment gw: The selector is empty/);
  });

  it('matches labels like the API server does', () => {
    const selector = { matchLabels: { app: 'gw' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }, { key: 'x', operator: 'DoesNotExist' }] };
    assert.equal(matchesSelector(selector, { app: 'gw', tier: 'a' }), true);
    assert.equal(matchesSelector(selector, { app: 'gw', tier: 'b' }), false);
    assert.equal(matchesSelector(selector, { app: 'gw', tier: 'a', x: '' }), false);
    assert.equal(matchesSelector(selector, { tier: 'a' }), false);
    assert.equal(matchesSelector({}, { app: 'gw' }), false, 'an empty selector selects nothing here');
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'k', operator: 'NotIn', values: ['v'] }] }, {}), true);
  });

  it('treats a Service selector as a subset match, and an empty one as selecting nothing', () => {
    assert.equal(serviceSelects({ app: 'gw' }, { app: 'gw', 'pod-template-hash': 'abc' }), true);
    assert.equal(serviceSelects({ app: 'gw', tier: 'x' }, { app: 'gw' }), false);
    assert.equal(serviceSelects({}, { app: 'gw' }), false);
    assert.equal(serviceSelects(undefined, { app: 'gw' }), false);
  });
});
