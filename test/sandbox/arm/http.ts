// What every ARM handler sees and returns, and ARM's error envelope. Handlers throw ArmError for expected failures so
// the server writes one error shape everywhere: `{"error":{"code","message","target"?,"details"?}}`, which the SDKs
// turn into RestError with .code and .statusCode.
import type { IncomingHttpHeaders } from 'node:http';

export interface ArmRequest {
  readonly method: string;
  /** The path as sent (still percent-encoded), without the query. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** The first api-version (the SDKs repeat it on LRO status URLs that already carry one). */
  readonly apiVersion: string;
  readonly headers: IncomingHttpHeaders;
  /** Route parameters, percent-decoded, with the case the client sent. */
  readonly params: Readonly<Record<string, string>>;
  /** The request body as text ('' when none). */
  readonly bodyText: string;
  /** `https://127.0.0.1:<port>`: what absolute nextLink and Azure-AsyncOperation URLs start with. */
  readonly baseUrl: string;
}

export interface ArmResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class ArmError extends Error {
  readonly status: number;
  readonly code: string;
  readonly target: string | undefined;
  readonly details: ArmErrorDetail[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, extra: { target?: string; details?: ArmErrorDetail[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.target = extra.target;
    this.details = extra.details;
    this.headers = extra.headers ?? {};
  }

  toBody(): { error: { code: string; message: string; target?: string; details?: ArmErrorDetail[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.target !== undefined ? { target: this.target } : {}),
        ...(this.details !== undefined ? { details: this.details } : {}),
      },
    };
  }
}

const NOT_FOUND_HELP = 'For more details please go to https://aka.ms/ARMResourceNotFoundFix';

/** ARM's own 404 for a tracked resource (service, connected cluster, extension). */
export function resourceNotFound(type: string, name: string, resourceGroup: string): ArmError {
  return new ArmError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. ${NOT_FOUND_HELP}`);
}

/** APIM's 404 for one of its child entities ("Gateway not found."). */
export function entityNotFound(entity: string): ArmError {
  return new ArmError(404, 'ResourceNotFound', `${entity} not found.`);
}

/** APIM's field validation failure: a summary plus one detail per field. */
export function validationError(target: string, message: string): ArmError {
  return new ArmError(400, 'ValidationError', 'One or more fields contain incorrect values:', {
    details: [{ code: 'ValidationError', target, message }],
  });
}

export function invalidParameter(target: string, message: string): ArmError {
  return new ArmError(400, 'InvalidParameter', message, { target });
}

/** The JSON body, or undefined when there is none (the SDKs send Content-Type with an empty body on some PUTs). */
export function jsonBody(request: ArmRequest): unknown {
  if (request.bodyText.trim() === '') return undefined;
  try {
    return JSON.parse(request.bodyText) as unknown;
  } catch (error) {
    throw new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${error instanceof Error ? error.message : String(error)}'.`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `properties` of a resource body, or {} when the body or its properties are absent. */
export function propertiesOf(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (!isRecord(body)) throw new ArmError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: the body must be a JSON object.');
  const properties = body['properties'];
  if (properties === undefined || properties === null) return {};
  if (!isRecord(properties)) throw new ArmError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'properties' must be an object.");
  return properties;
}

export function optionalString(properties: Record<string, unknown>, key: string, target = key): string | undefined {
  const value = properties[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(target, `'${target}' must be a string.`);
  return value;
}

export function optionalBoolean(properties: Record<string, unknown>, key: string, target = key): boolean | undefined {
  const value = properties[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(target, `'${target}' must be a boolean.`);
  return value;
}

export function header(request: ArmRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
