// The emulator's pure parts with inputs from the outside world: selectors, strategic merge, protobuf bodies; and the
// kubelet's container log rotation.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { strategicMerge, jsonPatch } from './k8s/patch.ts';
import { decodeKubernetesProtobuf } from './k8s/protobuf.ts';
import { labelSelectorString, matchesLabelSelector, matchesRequirements, parseLabelSelector } from './k8s/selectors.ts';
import { ApiError } from './k8s/status.ts';
import { ContainerLog, Follower } from './k8s/logs.ts';

describe('label selectors', () => {
  const labels = { app: 'gw', tier: 'edge', version: 'v2' };
  const cases: [string, boolean][] = [
    ['app=gw', true], ['app==gw', true], ['app!=gw', false], ['app in (gw,other)', true], ['app notin (gw)', false],
    ['tier', true], ['!tier', false], ['missing', false], ['!missing', true], ['app=gw,version in (v1, v2)', true],
    ['app=gw,tier!=edge', false], ['missing!=x', true],
  ];
  for (const [selector, expected] of cases) {
    it(`${selector} → ${expected}`, () => assert.equal(matchesRequirements(labels, parseLabelSelector(selector)), expected));
  }
  it('rejects malformed selectors with 400', () => {
    assert.throws(() => parseLabelSelector('app=('), (e: unknown) => e instanceof ApiError && e.code === 400);
  });
  it('a matchLabels selector printed and parsed back matches the same label sets', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    fc.assert(fc.property(fc.dictionary(label, label, { minKeys: 1 }), fc.dictionary(label, label), fc.boolean(), (matchLabels, other, include) => {
      const candidate = { ...other, ...(include ? matchLabels : {}) };
      const parsed = parseLabelSelector(labelSelectorString({ matchLabels }));
      assert.equal(matchesRequirements(candidate, parsed), matchesLabelSelector(candidate, { matchLabels }));
    }));
  });
});

describe('strategic merge patch', () => {
  const deployment = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'gw', image: 'gw:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 8080 }, { containerPort: 8081 }] },
            { name: 'sidecar', image: 'side:1' },
          ],
        },
      },
    },
  };
  it('merges containers, env and ports by key instead of replacing the lists', () => {
    const patched = strategicMerge(deployment, {
      spec: { template: { spec: { containers: [{ name: 'gw', image: 'gw:2', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } } },
    });
    assert.deepEqual(patched, {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'gw', image: 'gw:2', env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }], ports: [{ containerPort: 8080 }, { containerPort: 8081 }] },
              { name: 'sidecar', image: 'side:1' },
            ],
          },
        },
      },
    });
  });
  it('honours $patch: delete and null next to a $setElementOrder directive', () => {
    const patched = strategicMerge(deployment, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'gw' }],
            containers: [{ name: 'gw', $patch: 'delete' }, { name: 'sidecar', image: null }],
          },
        },
      },
    }) as typeof deployment;
    assert.deepEqual(patched.spec.template.spec.containers, [{ name: 'sidecar' }]);
  });
  it('keeps every container the patch does not name', () => {
    const name = fc.stringMatching(/^[a-z]{1,5}$/);
    fc.assert(fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 5 }), fc.uniqueArray(name, { maxLength: 5 }), (existing, patchedNames) => {
      const original = { containers: existing.map((n) => ({ name: n, image: `${n}:1` })) };
      const result = strategicMerge(original, { containers: patchedNames.map((n) => ({ name: n, image: `${n}:2` })) }) as typeof original;
      for (const n of existing) {
        const c = result.containers.find((x) => x.name === n);
        assert.ok(c);
        assert.equal(c.image, patchedNames.includes(n) ? `${n}:2` : `${n}:1`);
      }
      assert.equal(result.containers.length, new Set([...existing, ...patchedNames]).size);
    }));
  });
  it('reorders a merged list as $setElementOrder says', () => {
    const patched = strategicMerge(deployment, {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'gw' }], containers: [{ name: 'sidecar', image: 'side:2' }] } } },
    }) as typeof deployment;
    assert.deepEqual(patched.spec.template.spec.containers.map((c) => `${c.name}=${c.image}`), ['sidecar=side:2', 'gw=gw:1']);
  });
  it('JSON patch test failures are 422 Invalid', () => {
    assert.throws(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), (e: unknown) => e instanceof ApiError && e.code === 422);
    assert.deepEqual(jsonPatch({ a: [1, 2] }, [{ op: 'add', path: '/a/-', value: 3 }, { op: 'remove', path: '/a/0' }]), { a: [2, 3] });
  });
});

// Minimal protobuf writer for the fixtures: the wire format kubectl's typed clients produce.
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
const field = (num: number, value: Buffer | string) => {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([varint((num << 3) | 2), varint(bytes.length), bytes]);
};
const mapEntry = (num: number, key: string, value: Buffer | string) => field(num, Buffer.concat([field(1, key), field(2, value)]));

describe('protobuf request bodies', () => {
  it('decodes `kubectl create secret generic` (k8s\\0 + runtime.Unknown)', () => {
    const meta = Buffer.concat([field(1, 's1'), field(2, ''), field(3, 'apim'), field(8, Buffer.alloc(0))]);
    const secret = Buffer.concat([field(1, meta), mapEntry(2, 'key', Buffer.from([0, 1, 2])), field(3, 'Opaque')]);
    const unknown = Buffer.concat([field(1, Buffer.concat([field(1, 'v1'), field(2, 'Secret')])), field(2, secret)]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'binary'), unknown]);
    assert.deepEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', namespace: 'apim' }, data: { key: 'AAEC' }, type: 'Opaque',
    });
  });
  it('decodes `kubectl create configmap` with several keys', () => {
    const cm = Buffer.concat([field(1, field(1, 'settings')), mapEntry(2, 'a', '1'), mapEntry(2, 'b', 'two')]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'binary'), field(1, Buffer.concat([field(1, 'v1'), field(2, 'ConfigMap')])), field(2, cm)]);
    assert.deepEqual(decodeKubernetesProtobuf(body), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1', b: 'two' } });
  });
});

describe('container log rotation', () => {
  /** A follow response whose reader takes a chunk only when told to: a follower that falls behind. */
  function slowResponse(): { res: ServerResponse; text: () => string; read: () => void } {
    let text = '';
    const held: (() => void)[] = [];
    const res = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        held.push(done);
      },
    });
    return { res: res as unknown as ServerResponse, text: () => text, read: () => held.splice(0).forEach((done) => done()) };
  }
  const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('serves only the current file without follow, and a follower reads across rotations without a gap', async () => {
    const log = new ContainerLog(1000);
    const slow = slowResponse();
    const follower = new Follower(log, slow.res, { timestamps: false }, 'apim/gw', () => undefined);
    for (let i = 0; i < 200; i++) log.append(`line ${i}`);
    assert.equal(log.written, 200);
    const current = log.currentLines();
    assert.ok(current.length > 0 && current.length < 40, `current file: ${current.length} lines`);
    assert.equal(current.at(-1)?.text, 'line 199');
    assert.equal(log.render(log.startIndex({ timestamps: false }), log.written, false), current.map((l) => `${l.text}\n`).join(''));
    assert.equal(log.startIndex({ timestamps: false, tailLines: 1000 }), 200 - current.length, '--tail reads no rotated file');
    // The follower has read almost nothing: rotation keeps what it still needs.
    assert.ok(follower.position < 200);
    for (let i = 0; i < 100 && !slow.text().includes('line 199\n'); i++) {
      slow.read();
      await tick();
    }
    assert.deepEqual(slow.text().trimEnd().split('\n'), Array.from({ length: 200 }, (_, i) => `line ${i}`));
    // A follower that keeps up holds nothing back: memory stays within about two files.
    for (let i = 200; i < 400; i++) {
      log.append(`line ${i}`);
      slow.read();
      await tick();
    }
    assert.ok(slow.text().endsWith('line 399\n'));
    assert.ok(log.lines.length < 80, `${log.lines.length} lines kept`);
    slow.res.destroy();
  });
});
