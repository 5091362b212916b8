// A large gateway log for benches, the same text on every run (a seeded generator): what a busy 2.x gateway with
// local diagnostics writes: configuration/heartbeat events, request records (quoted and unquoted values), failed
// requests with multi-line lastError/errors, warnings with .NET stack traces, ANSI-coloured lines and ASP.NET lines.

const SEED = 0x2545f491;
const START = Date.UTC(2025, 2, 14, 8, 0, 0);
let seed = SEED;
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

let clock = START;
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

/** `lines` lines (a few more: blocks are whole), joined by `\n` with a final `\n`; the same text on every call. */
export function generateGatewayLog(lines: number): { text: string; lineCount: number } {
    seed = SEED;
    clock = START;
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
