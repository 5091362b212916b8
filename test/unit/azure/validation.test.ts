// Naming rules checked before any call: each refusal names the rule; property tests compare the namespace and
// extension-name checks with the Kubernetes/Helm definitions they implement.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkDescription,
  checkExtensionName,
  checkGatewayId,
  checkLocationName,
  checkNamespace,
  checkReleaseTrain,
  checkTokenDays,
  checkTokenExpiry,
} from '../../../src/azure/validation.ts';

describe('namespace (DNS-1123 label)', () => {
  it('accepts labels and names the rule for everything else', () => {
    for (const ok of ['apim', 'a', 'apim-gateway-1', '0abc', 'a'.repeat(63)]) assert.equal(checkNamespace(ok), undefined, ok);
    assert.match(checkNamespace('APIM_1') ?? '', /"APIM_1" is not a DNS-1123 label: a namespace may hold only lower-case letters, digits and "-"/);
    assert.match(checkNamespace('-apim') ?? '', /start and end with a letter or digit/);
    assert.match(checkNamespace('apim.') ?? '', /DNS-1123 label/);
    assert.match(checkNamespace('a'.repeat(64)) ?? '', /64 characters: a namespace is a DNS-1123 label, at most 63/);
    assert.match(checkNamespace('') ?? '', /required/);
  });

  it('agrees with the DNS-1123 label definition on arbitrary strings', () => {
    const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.'.split('')), maxLength: 70 }), (s) => {
        assert.equal(checkNamespace(s) === undefined, s.length > 0 && s.length <= 63 && label.test(s), s);
      }),
    );
  });
});

describe('gateway id', () => {
  it('allows 1–80 characters without * # & + : < > ?', () => {
    assert.equal(checkGatewayId('rb-arc-gateway'), undefined);
    assert.equal(checkGatewayId('g'.repeat(80)), undefined);
    assert.equal(checkGatewayId('Edge Gateway (London)'), undefined);
    assert.match(checkGatewayId('g'.repeat(81)) ?? '', /81 characters: API Management allows at most 80/);
    for (const bad of '*#&+:<>?') assert.match(checkGatewayId(`gw${bad}1`) ?? '', new RegExp(`contains "\\${bad}"`), bad);
    assert.match(checkGatewayId('') ?? '', /required/);
    assert.match(checkGatewayId('managed') ?? '', /reserved/);
    assert.match(checkGatewayId('gw.') ?? '', /may not end with "\."/);
    assert.match(checkGatewayId(' gw') ?? '', /may not start or end with a space/);
  });

  it('never accepts an id that would break a token (`&`) or is too long', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        if (checkGatewayId(s) === undefined) assert.ok(s.length <= 80 && !/[*#&+:<>?]/.test(s) && s.trim() !== '', s);
      }),
    );
  });
});

describe('extension name (Helm release name)', () => {
  it('accepts lower-case DNS subdomains up to 53 characters', () => {
    for (const ok of ['rb-arc-aks-apimgw', 'gw', 'gw.edge-1', 'a'.repeat(53)]) assert.equal(checkExtensionName(ok), undefined, ok);
    assert.match(checkExtensionName('a'.repeat(54)) ?? '', /54 characters: an extension name is a Helm release name, at most 53/);
    assert.match(checkExtensionName('RB-gw') ?? '', /Helm release name, so only lower-case letters, digits, "-" and "."/);
    assert.match(checkExtensionName('gw_1') ?? '', /not a valid extension name/);
    assert.match(checkExtensionName('gw-') ?? '', /starting and ending with a letter or digit/);
  });

  it('agrees with the DNS-1123 subdomain definition (≤ 53)', () => {
    const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abZ09-._'.split('')), maxLength: 60 }), (s) => {
        assert.equal(checkExtensionName(s) === undefined, s.length > 0 && s.length <= 53 && subdomain.test(s), s);
      }),
    );
  });
});

describe('token lifetime', () => {
  it('is a whole number of days from 1 to 30', () => {
    for (const ok of ['1', '7', '30', ' 30 ']) assert.equal(checkTokenDays(ok), undefined, ok);
    assert.match(checkTokenDays('31') ?? '', /31 days is outside 1–30: API Management issues gateway tokens for at most 30 days/);
    assert.match(checkTokenDays('0') ?? '', /outside 1–30/);
    for (const bad of ['', '1.5', '-3', 'ten', '1e1']) assert.match(checkTokenDays(bad) ?? '', /whole number of days from 1 to 30/, bad);
  });

  it('an expiry date must be in the future and at most 30 days away', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    assert.equal(checkTokenExpiry(new Date('2026-12-27T12:00:00Z'), now), undefined);
    assert.match(checkTokenExpiry(new Date('2026-12-27T12:01:00Z'), now) ?? '', /at most 30 days/);
    assert.match(checkTokenExpiry(new Date('2026-11-27T11:59:00Z'), now) ?? '', /in the future/);
    assert.match(checkTokenExpiry(new Date('nope'), now) ?? '', /not a valid date/);
  });
});

describe('other fields', () => {
  it('location name is required, ≤ 256; description ≤ 1000; release train is a short name', () => {
    assert.equal(checkLocationName('rb-arc'), undefined);
    assert.match(checkLocationName('  ') ?? '', /location name is required/);
    assert.match(checkLocationName('x'.repeat(257)) ?? '', /at most 256/);
    assert.equal(checkDescription('x'.repeat(1000)), undefined);
    assert.match(checkDescription('x'.repeat(1001)) ?? '', /at most 1000/);
    assert.equal(checkReleaseTrain('preview'), undefined);
    assert.match(checkReleaseTrain('pre view') ?? '', /not a release train name/);
  });
});
