import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isFailedRequest, parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';

// The complete `kubectl logs` output of the seed blog (gateway 1.3.0.0 on Arc, 2021): banner, licence text, ASCII
// art, 1.x events and two untagged request records whose lastError spans several lines.

const text = readFileSync(new URL('../../fixtures/gateway-logs/seed-blog-v1.log', import.meta.url), 'utf8');
const entries = parseGatewayLog(text);

function eventEntries(name: string) {
    return entries.filter((e) => e.event === name);
}

describe('seed blog log (gateway 1.x)', () => {
    it('keeps every line exactly once, in order', () => {
        const lines = text.split('\n');
        assert.equal(lines.pop(), '', 'fixture ends with a newline');
        assert.deepStrictEqual(
            entries.flatMap((e) => e.raw),
            lines,
        );
        assert.equal(lines.length, 154);
    });

    it('finds exactly the two 404 OperationNotFound requests', () => {
        const requests = entries.filter((e) => e.kind === 'request');
        assert.deepStrictEqual(
            requests.map((r) => r.request?.correlationId),
            ['752afbf2-7a10-4655-b1b0-6b8221ea612d', '1153a239-f5b3-456e-a684-1e6a6bd19e65'],
        );
        for (const r of requests) {
            assert.equal(r.request?.responseCode, 404);
            assert.equal(r.request?.isRequestSuccess, false);
            assert.equal(r.request?.lastError?.reason, 'OperationNotFound');
            assert.equal(r.request?.lastError?.source, 'configuration');
            assert.equal(r.request?.lastError?.section, 'backend');
            assert.equal(r.request?.method, 'GET');
            assert.equal(
                r.request?.url,
                'http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000/echo/resource?param1=sample',
            );
            assert.equal(isFailedRequest(r), true);
            assert.equal(r.event, undefined, '1.x request records carry no [GatewayLogs] tag');
        }
        const [first, second] = requests;
        assert.equal(first?.line, 142);
        assert.equal(first?.raw.length, 7);
        assert.equal(first?.request?.lastError?.elapsed, 196);
        assert.equal(first?.request?.totalTime, 245);
        assert.equal(first?.request?.clientTime, 3);
        assert.equal(first?.request?.responseSize, 198);
        assert.equal(first?.request?.callerIpAddress, '10.240.0.25');
        assert.equal(first?.request?.lastError?.message, 'Unable to match incoming request to an operation.');
        assert.equal(second?.line, 149);
        assert.equal(second?.raw.length, 6);
        assert.equal(second?.request?.lastError?.elapsed, undefined, 'the second record has no elapsed');
        assert.equal(second?.request?.clientTime, undefined);
    });

    it('reads the 1.x timeGenerated (invariant culture, 24-hour) and flags the 12-hour entry timestamp', () => {
        const first = entries.find((e) => e.kind === 'request');
        assert.deepStrictEqual(first?.request?.timeGenerated, {
            raw: '06/03/2021 15:25:37',
            value: Date.UTC(2021, 5, 3, 15, 25, 37),
            assumedUtc: true,
        });
        assert.deepStrictEqual(first?.timestamp, {
            raw: '2021-06-3T03:25:37.815',
            value: Date.UTC(2021, 5, 3, 3, 25, 37, 815),
            assumedUtc: true,
            hourAmbiguous: true,
        });
        // The two clocks disagree by exactly 12 h (less the sub-second part): the reason for `hourAmbiguous`.
        const gap = (first?.request?.timeGenerated?.value ?? 0) - (first?.timestamp?.value ?? 0);
        assert.ok(Math.abs(gap - 12 * 3600_000) < 1000, `gap ${gap} ms`);
    });

    it('reads events with message and source', () => {
        const starting = eventEntries('ComponentStarting');
        assert.equal(starting[0]?.message, 'LogSinkEventListenerHost');
        assert.equal(starting[0]?.source, undefined);
        assert.equal(starting[0]?.level, 'info');
        assert.equal(starting[0]?.levelRaw, 'Info');

        const rebuilt = eventEntries('OperationRouteTableRebuildCompleted');
        assert.deepStrictEqual(
            rebuilt.map((e) => [e.message, e.source]),
            [
                ['echo-api;rev=1', 'ApiRouter'],
                ['dummy;rev=1', 'ApiRouter'],
            ],
        );

        const scheduled = eventEntries('PolicyParsingScheduled');
        assert.deepStrictEqual(
            scheduled.map((e) => e.fields),
            [
                { message: 'key: scope: System, id: system, revision: 1', source: 'PolicyMapBuilder' },
                { message: 'key: scope: Tenant, id: tenant, revision: 1', source: 'PolicyMapBuilder' },
            ],
        );

        const bare = eventEntries('HostBootstrapperStarting');
        assert.equal(bare.length, 1);
        assert.deepStrictEqual(bare[0]?.fields, {});
        assert.equal(bare[0]?.line, 54);

        const warn = entries.find((e) => e.level === 'warn');
        assert.equal(warn?.event, 'LoadBackupLocationNotFound');
        assert.equal(warn?.line, 53);

        const configStarted = eventEntries('ConfigStarted');
        assert.equal(configStarted[1]?.message, "Connected service is enabled. 'config.service.endpoint' is set.");
        assert.equal(configStarted[1]?.source, 'CompositeConfigurationRepositoryProvider');

        const neighbours = eventEntries('NeighborhoodChangeDetected');
        assert.equal(neighbours[0]?.message, '[] --> [255.255.255.255: 255.255.255.255]');
        assert.equal(neighbours[0]?.source, 'UdpHeartbeatSender');

        const elected = eventEntries('EventSnapshotElected');
        assert.equal(elected[0]?.source, 'events.snapshot');
        assert.match(elected[0]?.message ?? '', /^provider: storage, uri: https:\/\/.*\.json\.gzip, rev: 18$/);

        const noMessage = eventEntries('KubernetesIngressModeDisabled');
        assert.deepStrictEqual(noMessage[0]?.fields, { source: 'KubernetesConfigurationRepositoryProvider' });
    });

    it('keeps the start-up banner as one text entry (every line kept), licence and ASP.NET lines as text', () => {
        const lines = text.split('\n');
        const banners = entries.filter((e) => e.raw.length > 1 && e.kind === 'text');
        assert.equal(banners.length, 1, 'one banner entry, not a row per line of ASCII art');
        const banner = banners[0];
        assert.ok(banner);
        assert.equal(banner.line, 3);
        assert.equal(banner.raw[0], '(c) Microsoft Corporation. All rights reserved.');
        assert.equal(banner.raw.at(-1), 'commit: a1434b5a6f41a3b878cbb27ec4d7b69b5c45b5af');
        assert.deepEqual(banner.raw, lines.slice(2, 2 + banner.raw.length), 'the banner text is kept as written');
        assert.deepEqual(banner.fields, { version: '1.3.0.0', commit: 'a1434b5a6f41a3b878cbb27ec4d7b69b5c45b5af' });
        assert.equal(banner.message, 'Gateway start-up banner (50 lines: version 1.3.0.0, commit a1434b5)');
        const text1 = entries.filter((e) => e.kind === 'text' && e !== banner);
        assert.ok(text1.every((e) => e.raw.length === 1));
        const messages = text1.map((e) => e.message);
        assert.ok(messages.includes('Now listening on: http://0.0.0.0:8080'));
        assert.ok(messages.includes('Hosting environment: Production'));
        // Lines 1–52 are the banner; every `[Info]`/`[Warn]` line starts its own event or request.
        assert.equal(entries.filter((e) => e.line <= 52).every((e) => e.kind === 'text'), true);
        const headLines = text.split('\n').filter((l) => /^\[(Info|Warn)\] /.test(l)).length;
        assert.equal(entries.filter((e) => e.kind !== 'text').length, headLines);
        assert.equal(entries.filter((e) => e.kind === 'event').length, headLines - 2);
    });
});
