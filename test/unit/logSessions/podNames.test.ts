// Pod names shortened to what tells them apart, for a log table and an editor document readable at 1280 px.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PodNamer, uniquePodSuffix } from '../../../src/logSessions/podNames.ts';

const A = 'rb-arc-aks-apimgw-6cb68c4ccf-88bxg';
const B = 'rb-arc-aks-apimgw-6cb68c4ccf-x7k2p';
const C = 'rb-arc-aks-apimgw-59d7f8b9c4-88bxg';

describe('uniquePodSuffix', () => {
  it('is the random part when it tells the replicas apart, longer when it does not', () => {
    assert.equal(uniquePodSuffix(A, [A, B]), '88bxg');
    assert.equal(uniquePodSuffix(A, [A, B, C]), '6cb68c4ccf-88bxg');
    assert.equal(uniquePodSuffix(A, [A]), '88bxg');
    assert.equal(uniquePodSuffix('gateway', ['gateway', 'other']), 'gateway');
    assert.equal(uniquePodSuffix('a-b', ['b']), 'a-b', 'not a suffix that equals another whole name');
  });

  it('property: suffixes are unique within a set of names, and each is a suffix of its name', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.array(fc.stringMatching(/^[a-z0-9]{1,3}$/), { minLength: 1, maxLength: 4 }).map((p) => p.join('-')), { minLength: 1, maxLength: 8 }), (names) => {
        const short = names.map((n) => uniquePodSuffix(n, names));
        assert.equal(new Set(short).size, names.length, `${names.join(' ')} → ${short.join(' ')}`);
        names.forEach((n, i) => assert.ok(n === short[i] || n.endsWith(`-${short[i]}`)));
      }),
    );
  });
});

describe('PodNamer', () => {
  it('keeps a name once given and gives a clashing newcomer a longer one', () => {
    const namer = new PodNamer();
    namer.seed([A, B]);
    assert.equal(namer.nameOf(A), '88bxg');
    assert.equal(namer.nameOf(B), 'x7k2p');
    assert.equal(namer.nameOf(C), '59d7f8b9c4-88bxg');
    assert.equal(namer.nameOf(A), '88bxg', 'unchanged: lines already written keep it');
  });
});
