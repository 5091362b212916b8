// Errors travel as metav1.Status objects, because kubectl and client-node build their messages from the body
// (`Error from server (NotFound): pods "x" not found`); a plain-text error body degrades into a generic message.

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly status: StatusObject;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
    if (details) this.status.details = details;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

/** `plural` or `plural.group`, the form real messages use ("deployments.apps \"x\" not found"). */
export function qualifiedResource(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function notFound(plural: string, group: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(plural, group)} "${name}" not found`, details(plural, group, name));
}

export function alreadyExists(plural: string, group: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(plural, group)} "${name}" already exists`, details(plural, group, name));
}

export function conflict(plural: string, group: string, name: string, why: string): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(plural, group)} "${name}": ${why}`,
    details(plural, group, name));
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unsupportedMediaType(contentType: string, accepted: readonly string[]): ApiError {
  return new ApiError(415, 'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] });
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function notAcceptable(accepted: readonly string[]): ApiError {
  return new ApiError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

export function serviceUnavailable(message: string): ApiError {
  return new ApiError(503, 'ServiceUnavailable', message);
}

export function forbidden(plural: string, group: string, name: string, why: string): ApiError {
  const what = name ? `${qualifiedResource(plural, group)} "${name}"` : qualifiedResource(plural, group);
  return new ApiError(403, 'Forbidden', `${what} is forbidden: ${why}`, details(plural, group, name));
}

export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden' | 'FieldValueNotSupported' | 'FieldValueDuplicate';
  field: string;
  /** The detail after "Invalid value: …: " or "Required value: ". */
  detail: string;
  value?: unknown;
}

function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? 'null';
}

function fieldErrorText(error: FieldError): string {
  switch (error.type) {
    case 'FieldValueInvalid': return `Invalid value: ${goValue(error.value)}: ${error.detail}`;
    case 'FieldValueRequired': return error.detail ? `Required value: ${error.detail}` : 'Required value';
    case 'FieldValueForbidden': return error.detail ? `Forbidden: ${error.detail}` : 'Forbidden';
    case 'FieldValueNotSupported': return `Unsupported value: ${goValue(error.value)}: ${error.detail}`;
    case 'FieldValueDuplicate': return `Duplicate value: ${goValue(error.value)}`;
  }
}

/** 422 Invalid, worded like apimachinery's NewInvalid: `Kind.group "name" is invalid: field: …`. */
export function invalid(kind: string, group: string, name: string, errors: readonly FieldError[]): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const parts = errors.map((e) => `${e.field}: ${fieldErrorText(e)}`);
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: fieldErrorText(e), field: e.field })),
  });
}

function details(plural: string, group: string, name: string): StatusDetails {
  return { name, ...(group ? { group } : {}), kind: plural };
}

export function successStatus(plural: string, group: string, name: string, uid: string): StatusObject {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200,
    details: { name, ...(group ? { group } : {}), kind: plural, uid } as StatusDetails,
  };
}
