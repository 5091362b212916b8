// Tree descriptions say which version they show: the Arc extension's chart or the gateway image.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extensionVersionText, gatewayImageText } from '../../../src/tree/descriptions.ts';

describe('version texts in tree descriptions', () => {
  it('qualifies the extension (chart) version and the gateway image tag', () => {
    assert.equal(extensionVersionText('1.0.2'), 'chart v1.0.2');
    assert.equal(extensionVersionText('v1.0.2'), 'chart v1.0.2', 'no double v');
    assert.equal(gatewayImageText('v2'), 'gateway v2');
    assert.equal(gatewayImageText('2.3.0.0'), 'gateway 2.3.0.0');
  });
});
