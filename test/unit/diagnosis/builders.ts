// Typed builders for diagnosis inputs: ARM payloads shaped exactly as @azure/arm-apimanagement returns them (id, name,
// type at the top, properties flattened), gateway records as the parser gives them. Tests state only what differs.
import type { ApiContract, ApiVersionSetContract, OperationContract, ParameterContract } from '@azure/arm-apimanagement';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';
import type { ApiFacts, DiagnosisInput, Finding, GatewayFacts, HttpResponse, SentRequest } from '../../../src/diagnosis/index.ts';

export const SERVICE_ID = '/subscriptions/0d9fd97f-71f6-4b7b-adbb-3a654846e587/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim';
export const GATEWAY = 'rb-arc-gateway';
export const SVC = 'http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000';
export const NOT_FOUND_BODY = '{ "statusCode": 404, "message": "Resource not found" }';
export const MISSING_KEY_BODY =
  '{ "statusCode": 401, "message": "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API." }';
export const INVALID_KEY_BODY =
  '{ "statusCode": 401, "message": "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription." }';

export function operation(name: string, method: string, urlTemplate: string, templateParameters: ParameterContract[] = []): OperationContract {
  return {
    id: `${SERVICE_ID}/apis/x/operations/${name}`,
    name,
    type: 'Microsoft.ApiManagement/service/apis/operations',
    displayName: name,
    method,
    urlTemplate,
    templateParameters,
    responses: [],
  };
}

/** `operations: null` leaves them out, as when they were not loaded. */
export function api(name: string, properties: Partial<ApiContract>, operations: OperationContract[] | null = []): ApiFacts {
  const contract: ApiContract = {
    id: `${SERVICE_ID}/apis/${name}`,
    name,
    type: 'Microsoft.ApiManagement/service/apis',
    displayName: name,
    apiRevision: '1',
    isCurrent: true,
    subscriptionRequired: true,
    subscriptionKeyParameterNames: { header: 'Ocp-Apim-Subscription-Key', query: 'subscription-key' },
    protocols: ['http', 'https'],
    serviceUrl: 'http://backend.example',
    path: name,
    ...properties,
  };
  return operations === null ? { api: contract } : { api: contract, operations };
}

/** APIM's auto-created Echo API: HTTPS only, subscription required, the operations it ships with. */
export function echoApi(properties: Partial<ApiContract> = {}): ApiFacts {
  return api(
    'echo-api',
    { displayName: 'Echo API', path: 'echo', protocols: ['https'], serviceUrl: 'http://echoapi.cloudapp.net/api', ...properties },
    [
      operation('create-resource', 'POST', '/resource'),
      operation('modify-resource', 'PUT', '/resource'),
      operation('remove-resource', 'DELETE', '/resource'),
      operation('retrieve-header-only', 'HEAD', '/resource'),
      operation('retrieve-resource', 'GET', '/resource'),
      operation('retrieve-resource-cached', 'GET', '/resource-cached'),
    ],
  );
}

export function dummyApi(): ApiFacts {
  return api('dummy', { displayName: 'Dummy', path: 'dummy', subscriptionRequired: false }, [
    operation('list-items', 'GET', '/items'),
    operation('get-item', 'GET', '/items/{id}', [{ name: 'id', type: 'string', required: true }]),
    operation('create-item', 'POST', '/items'),
  ]);
}

export function versionSet(name: string, properties: Partial<ApiVersionSetContract>): ApiVersionSetContract {
  return { id: `${SERVICE_ID}/apiVersionSets/${name}`, name, type: 'Microsoft.ApiManagement/service/apiVersionSets', displayName: name, ...properties };
}

export function gateway(facts: Partial<GatewayFacts> = {}): GatewayFacts {
  return {
    gatewayId: GATEWAY,
    apis: [echoApi(), dummyApi()],
    assignedApiIds: ['echo-api', 'dummy'],
    versionSets: [],
    hostnames: [],
    connected: true,
    localDiagnostics: true,
    ports: [
      { port: 5000, scheme: 'http', name: 'http' },
      { port: 8081, scheme: 'https', name: 'https' },
    ],
    ...facts,
  };
}

export function request(url: string, more: Partial<SentRequest> = {}): SentRequest {
  return { method: 'GET', url, headerNames: ['User-Agent', 'Accept'], ...more };
}

export function response(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { kind: 'http', status, headers: { 'content-type': 'application/json', ...headers }, body };
}

/** One gateway request record, written the way gateway 2.x writes it and read back through the real parser. */
export function record(fields: Record<string, string | number | boolean>, lastError?: Record<string, string | number>): GatewayLogEntry {
  const body = Object.entries(fields)
    .map(([k, v]) => `${k}: ${typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v)}`)
    .join(', ');
  const tail = lastError ? `, lastError: ${JSON.stringify(lastError, null, 2)}` : '';
  const text = `[Info] 2024-05-02T10:00:00.000 [GatewayLogs], isRequestSuccess: ${Number(fields['responseCode'] ?? 0) < 400 ? 'True' : 'False'}, totalTime: 3, category: GatewayLogs, ${body}${tail}\n`;
  const entry = parseGatewayLog(text).find((e) => e.kind === 'request');
  if (!entry) throw new Error(`builder produced no request record: ${text}`);
  return entry;
}

export const OPERATION_NOT_FOUND = { source: 'configuration', reason: 'OperationNotFound', message: 'Unable to match incoming request to an operation.', section: 'backend' };

/** The log was searched (5 s) and held no request record: what the host gathers when request logging is off or the request never reached the gateway. */
export const NO_RECORD = { searchedMs: 5000, requestRecordsSeen: 0 };

/** The log was searched and held this request record. */
export function seenRecord(entry: GatewayLogEntry): { record: GatewayLogEntry; searchedMs: number; requestRecordsSeen: number } {
  return { record: entry, searchedMs: 2000, requestRecordsSeen: 1 };
}

export function input(more: Partial<DiagnosisInput> & Pick<DiagnosisInput, 'request'>): DiagnosisInput {
  return { now: '2024-05-02T10:00:05Z', ...more };
}

export function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}

export function fixIds(finding: Finding | undefined): string[] {
  return (finding?.fixes ?? []).map((f) => f.id);
}

export function evidenceValue(finding: Finding | undefined, label: string): string | undefined {
  return finding?.evidence.find((e) => e.label === label)?.value;
}
