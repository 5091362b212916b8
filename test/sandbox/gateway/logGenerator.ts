// Realistic gateway 2.x text logs of any length, deterministic for a seed: request records (with lastError on
// failures), component events and the odd plain-text line, as several pods write them. For benchmarks and tests.
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import type { TaggedEntry } from '../../../src/logSessions/session.ts';

const APIS = [
  ['echo-api', ['retrieve-resource', 'create-resource', 'modify-resource', 'remove-resource', 'retrieve-header-only']],
  ['conference-api', ['GetSessions', 'GetSession', 'GetSpeakers', 'GetTopics']],
  ['petstore', ['findPetsByStatus', 'getPetById', 'addPet', 'placeOrder']],
] as const;
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const EVENTS = [
  ['ConfigurationUpdated', 'Updated settings: tenant.id, deployment.id', 'ServiceConfigurationSource'],
  ['SendingHeartbeat', 'Sending heartbeat to 0 instances', 'UdpHeartbeatSender'],
  ['PolicyParsingSucceeded', 'key: scope: Tenant, id: tenant, revision: 3', 'PolicyMapBuilder'],
  ['BackendConnectionFailure', 'Connection refused (backend:80)', 'BackendService'],
] as const;

/** A small deterministic PRNG (mulberry32): the same seed gives the same log. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(next: () => number): string {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export interface GeneratedLog {
  readonly lines: string[];
  /** The pod each line came from (same length as lines). */
  readonly pods: string[];
}

/** `count` entries (a failed request takes 6 lines); timestamps advance ~20 ms per entry from `start`. */
export function generateGatewayLog(count: number, seed = 1, start = Date.UTC(2026, 10, 27, 15, 0, 0)): GeneratedLog {
  const next = random(seed);
  const lines: string[] = [];
  const pods: string[] = [];
  const podNames = ['rb-arc-aks-apimgw-6cb68c4ccf-88bxg', 'rb-arc-aks-apimgw-6cb68c4ccf-gkl8w', 'rb-arc-aks-apimgw-6cb68c4ccf-x2v9q'];
  let t = start;
  for (let i = 0; i < count; i++) {
    t += Math.floor(next() * 40);
    const pod = podNames[Math.floor(next() * podNames.length)] ?? '';
    const roll = next();
    const emit = (line: string): void => {
      lines.push(line);
      pods.push(pod);
    };
    if (roll < 0.7) {
      const [api, operations] = APIS[Math.floor(next() * APIS.length)] ?? APIS[0];
      const operation = operations[Math.floor(next() * operations.length)] ?? '';
      const method = METHODS[Math.floor(next() * METHODS.length)] ?? 'GET';
      const s = next();
      const status = s < 0.8 ? 200 : s < 0.84 ? 302 : s < 0.9 ? 404 : s < 0.95 ? 401 : s < 0.98 ? 500 : 503;
      const total = Math.round(status >= 500 ? 200 + next() * 3000 : 2 + next() * next() * 400);
      const failed = status >= 400;
      const path = `/${api.replace('-api', '')}/${operation.toLowerCase()}?id=${Math.floor(next() * 10000)}`;
      const head =
        `[Info] ${stamp(t)} [GatewayLogs], isRequestSuccess: ${failed ? 'False' : 'True'}, totalTime: ${total}, category: GatewayLogs, ` +
        `callerIpAddress: 10.240.0.${Math.floor(next() * 250)}, timeGenerated: ${stamp(t)}, region: rb-arc, correlationId: ${uuid(next)}, ` +
        `method: ${method}, url: http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:8080${path}, backendResponseCode: ${status === 404 ? 0 : status}, ` +
        `responseCode: ${status}, responseSize: ${Math.floor(next() * 2000)}, cache: none, backendTime: ${Math.max(0, total - 2)}, ` +
        `apiId: ${api}, operationId: ${operation}, clientProtocol: HTTP/1.1, backendProtocol: HTTP/1.1, apiRevision: 1`;
      if (failed) {
        const reason = status === 404 ? 'OperationNotFound' : status === 401 ? 'SubscriptionKeyNotFound' : 'BackendConnectionFailure';
        const source = status === 404 ? 'configuration' : status === 401 ? 'authentication' : 'forward-request';
        emit(`${head}, lastError: {`);
        emit(`  "elapsed": ${Math.floor(next() * 300)},`);
        emit(`  "source": "${source}",`);
        emit(`  "reason": "${reason}",`);
        emit(`  "message": "${status === 404 ? 'Unable to match incoming request to an operation.' : status === 401 ? 'Access denied due to missing subscription key.' : 'Error occured while calling backend service.'}"`);
        emit('}');
      } else {
        emit(head);
      }
    } else if (roll < 0.97) {
      const [event, message, source] = EVENTS[Math.floor(next() * EVENTS.length)] ?? EVENTS[0];
      const level = event === 'BackendConnectionFailure' ? 'Error' : next() < 0.1 ? 'Warn' : 'Info';
      emit(`[${level}] ${stamp(t)} [${event}], message: ${message}, source: ${source}`);
    } else {
      emit(`Now listening on: http://0.0.0.0:${next() < 0.5 ? 8080 : 8081}`);
    }
  }
  return { lines, pods };
}

/**
 * Entries as a live session holds them: parsed per pod, tagged with seq, pod and a kubelet time. Parsing the whole
 * text at once and tagging afterwards is exact here because the generator writes each entry's lines together.
 */
export function generateTaggedEntries(count: number, seed = 1): TaggedEntry[] {
  const log = generateGatewayLog(count, seed);
  const entries = parseGatewayLog(log.lines.join('\n'));
  return entries.map((entry, i) => {
    const pod = log.pods[entry.line - 1];
    const time = entry.timestamp?.value;
    return {
      ...entry,
      seq: i + 1,
      ...(pod !== undefined ? { pod } : {}),
      ...(time !== undefined ? { kubeletTime: { raw: new Date(time).toISOString(), value: time, assumedUtc: false } } : {}),
    };
  });
}
