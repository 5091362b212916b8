// Throughput of parseGatewayLog on a large generated gateway log, against simply splitting the same text into lines.
// Run: node_modules/.bin/node bench/parse.ts [lines] [repeats]   (default 500000 lines; goal for the lazy parse
// (`parseGatewayLogLazy`, what views use): >= 1.5M lines/s and <= 3.0x the split, with the eager parse measured
// in the same run as its baseline; the share of each spent in garbage collection is printed). `repeats` parses the log that many more times after the measurement, to tell first-call costs
// (compiling, growing the heap) from the steady cost; the measurement itself is the same either way.
//
// The log mixes what a busy 2.x gateway with local diagnostics writes: configuration/heartbeat events, request
// records (quoted and unquoted values), failed requests with multi-line lastError/errors, warnings with .NET stack
// traces, ANSI-coloured lines and ASP.NET lines. A seeded generator keeps runs comparable.

import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parseGatewayLogLazy } from '../src/gatewayLogs/lazy.ts';
import { parseGatewayLog } from '../src/gatewayLogs/parser.ts';
import type { GatewayLogEntry } from '../src/gatewayLogs/entry.ts';

/** Garbage-collector pauses, summed from `gc` performance entries (delivered asynchronously: read after a tick). */
let gcMs = 0;
new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
        gcMs += e.duration;
    }
}).observe({ entryTypes: ['gc'] });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

const targetLines = Number(process.argv[2] ?? 500_000);
const repeats = Number(process.argv[3] ?? 0);

let seed = 0x2545f491;
function random(): number {
    // xorshift32: deterministic and fast; Math.random would make runs differ.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
}
function pick<T>(items: readonly T[]): T {
    return items[Math.floor(random() * items.length)] as T;
}
function hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) {
        s += Math.floor(random() * 16).toString(16);
    }
    return s;
}
function byte(): number {
    return Math.floor(random() * 256);
}
function uuid(): string {
    return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

let clock = Date.UTC(2025, 2, 14, 8, 0, 0);
function stamp(): string {
    clock += Math.floor(random() * 40);
    return new Date(clock).toISOString().slice(0, 23);
}

const apis = [
    ['orders-api', 'get-order', '/orders/'],
    ['orders-api', 'submit-order', '/orders/submit'],
    ['inventory', 'list-items', '/inventory/items'],
    ['echo-api', 'retrieve-resource', '/echo/resource'],
] as const;

function request(failed: boolean, quoted: boolean): string[] {
    const [apiId, operationId, path] = pick(apis);
    const q = (v: string) => (quoted ? JSON.stringify(v) : v);
    const code = failed ? pick([404, 500, 502, 504]) : pick([200, 200, 200, 201, 204, 302]);
    const total = 2 + Math.floor(random() * 400);
    const at = stamp();
    const id = uuid();
    const head =
        `[Info] ${at} [GatewayLogs], isRequestSuccess: ${failed ? 'False' : 'True'}, totalTime: ${total}, ` +
        `category: ${q('GatewayLogs')}, callerIpAddress: ${q(`10.42.${byte()}.${byte()}`)}, ` +
        `timeGenerated: ${at}, region: ${q('edge-lab')}, correlationId: ${q(id)}, ` +
        `method: ${q(pick(['GET', 'POST', 'PUT']))}, ` +
        `url: ${q(`http://gw.contoso.local:8080${path}${byte()}?page=${byte() % 9}`)}, ` +
        `backendResponseCode: ${code}, responseCode: ${code}, responseSize: ${100 + Math.floor(random() * 4000)}, ` +
        `cache: ${q('none')}, backendTime: ${total - 1}, apiId: ${q(apiId)}, operationId: ${q(operationId)}, ` +
        `apimSubscriptionId: ${q(`store-${Math.floor(random() * 40)}`)}, clientTime: ${Math.floor(random() * 9)}, ` +
        `clientProtocol: ${q('HTTP/1.1')}, backendProtocol: ${q('HTTP/1.1')}, apiRevision: ${q('1')}`;
    if (!failed) {
        return [head];
    }
    return [
        `${head}, lastError: {`,
        `  "elapsed": ${total - 2},`,
        '  "source": "request-forwarder",',
        '  "path": "forward-request\\\\forward-request\\\\backend",',
        `  "reason": "${pick(['BackendConnectionFailure', 'Timeout', 'OperationNotFound'])}",`,
        '  "message": "The backend did not answer in time, retry: 0",',
        '  "section": "backend"',
        `}, correlationId: ${id}`,
    ];
}

const events: ReadonlyArray<() => string[]> = [
    () => [
        `[Info] ${stamp()} [ConfigurationPolled], message: revision: ${hex(8)}, datasetId: ${hex(14)}, ` +
            'source: ConfigurationRepositoryProvider',
    ],
    () => [`[Info] ${stamp()} [HeartbeatSent], source: ExternalConfigurationHeartbeat`],
    () => [
        `[Info] ${stamp()} [PolicyParsingSucceeded], message: key: scope: Api, id: ${pick(apis)[0]}, revision: 1, ` +
            'source: PolicyMapBuilder',
    ],
    () => [
        `\x1b[32m[Debug] ${stamp()} [ChannelLeaseReturned], message: pool=${pick(apis)[0]}, ` +
            'source: Http1Connections\x1b[0m',
    ],
    () => [
        `\x1b[33m[Warn] ${stamp()} [DnsDiscoveryFailed], message: Failed to discover instances on ` +
            'gw-instance-discovery. Details: Resource temporarily unavailable, source: Neighborhood\x1b[0m',
    ],
    () => [
        `[Error] ${stamp()} [ConfigurationPollFailed], exception: System.Net.Http.HttpRequestException: ` +
            'Connection refused (contoso.configuration.azure-api.net:443)',
        ' ---> System.Net.Sockets.SocketException (111): Connection refused',
        '   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, ' +
            'HttpRequestMessage request, Boolean async, CancellationToken cancellationToken)',
        '   --- End of inner exception stack trace ---',
        '   at Gateway.Configuration.Cloud.ConfigurationClient.GetAsync(CancellationToken cancellation)',
    ],
    () => ['info: Microsoft.Hosting.Lifetime[14]', '      Now listening on: http://[::]:8080'],
];

function generate(lines: number): { text: string; lineCount: number } {
    const out: string[] = [];
    while (out.length < lines) {
        const r = random();
        const block =
            r < 0.45 ? pick(events)() : r < 0.9 ? request(false, random() < 0.5) : request(true, random() < 0.5);
        for (const line of block) {
            out.push(line);
        }
    }
    return { text: out.join('\n') + '\n', lineCount: out.length };
}

const { text, lineCount } = generate(targetLines);
const megabytes = text.length / 1e6;

// One measurement each, as a log view would see them: a cold split (V8 caches repeated splits of one string) and
// a parse of the whole text in one call.

/** Splits in a function of its own so the line array is garbage before the parse starts. */
function timeSplit(): { ms: number; count: number } {
    const start = performance.now();
    const lines = text.split('\n');
    return { ms: performance.now() - start, count: lines.length - 1 };
}
const { ms: splitMs, count: splitCount } = timeSplit();

/** Parses in a function of its own so that a repeat does not run with the previous entries still alive. */
async function timeParse(
    parse: (text: string) => GatewayLogEntry[],
): Promise<{ ms: number; gc: number; entryCount: number; requests: number }> {
    await tick();
    const gcBefore = gcMs;
    const start = performance.now();
    const entries = parse(text);
    const ms = performance.now() - start;
    const requests = entries.reduce((n, e) => n + (e.kind === 'request' ? 1 : 0), 0);
    await tick();
    return { ms, gc: gcMs - gcBefore, entryCount: entries.length, requests };
}
const eager = await timeParse(parseGatewayLog);
const lazy = await timeParse(parseGatewayLogLazy);
if (lazy.entryCount !== eager.entryCount || lazy.requests !== eager.requests) {
    throw new Error(`lazy and eager differ: ${lazy.entryCount}/${lazy.requests} vs ${eager.entryCount}/${eager.requests}`);
}

const count = (n: number) => n.toLocaleString('en');
console.log(
    `log: ${count(lineCount)} lines, ${megabytes.toFixed(1)} MB, ${count(eager.entryCount)} entries ` +
        `(${count(eager.requests)} requests)`,
);
console.log(`split into lines: ${splitMs.toFixed(1)} ms (${count(splitCount)} lines)   (the baseline)`);
for (const [name, r] of [['parseGatewayLog (eager)', eager], ['parseGatewayLogLazy', lazy]] as const) {
    const linesPerSecond = lineCount / (r.ms / 1000);
    console.log(
        `${name.padEnd(24)} ${r.ms.toFixed(1)} ms = ${(linesPerSecond / 1e6).toFixed(2)}M lines/s, ` +
            `${(megabytes / (r.ms / 1000)).toFixed(0)} MB/s, ${(r.ms / splitMs).toFixed(1)}x the split, ` +
            `GC ${r.gc.toFixed(1)} ms (${((100 * r.gc) / r.ms).toFixed(0)}%)`,
    );
}
const lazyRate = lineCount / (lazy.ms / 1000);
const met = lazyRate >= 1.5e6 && lazy.ms / splitMs <= 3;
console.log(
    `goal (lazy): >= 1.5M lines/s and <= 3.0x the split: ${met ? 'met' : 'NOT met'}; ` +
        `lazy is ${(eager.ms / lazy.ms).toFixed(1)}x faster than eager in this run`,
);

if (repeats > 0) {
    const again: string[] = [];
    for (let i = 0; i < repeats; i++) {
        again.push(`${(await timeParse(parseGatewayLog)).ms.toFixed(1)}/${(await timeParse(parseGatewayLogLazy)).ms.toFixed(1)}`);
    }
    console.log(`eager/lazy again: ${again.join(', ')} ms`);
}
