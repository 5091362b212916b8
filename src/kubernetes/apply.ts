// Server-side apply of a set of objects, and their deletion: the calls behind "Deploy APIM Gateway to Kubernetes…"
// and its Uninstall. Each object goes out as `PATCH <item>?fieldManager=arc-apim-gateway` with
// `Content-Type: application/apply-patch+yaml` (JSON is valid YAML), which creates what is absent and updates what is
// there, as `kubectl apply --server-side` does. A refusal comes back as a sentence that says what to do: a conflict
// names each field and the manager that owns it, an RBAC refusal the verb, the resource and what to ask for.
// Bodies (the Secret carries the token) never reach a message: only the server's Status text does, redacted.
import { redact } from '../util/redact.ts';
import type { KubeContextClient } from './client.ts';

export const APPLY_FIELD_MANAGER = 'arc-apim-gateway';

export interface ApplyObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

const PLURALS: Readonly<Record<string, string>> = {
  Namespace: 'namespaces', Secret: 'secrets', ConfigMap: 'configmaps', Service: 'services', Deployment: 'deployments',
  ServiceAccount: 'serviceaccounts',
};

/** The item URL of an object of a kind the gateway manifests use. */
export function objectPath(object: ApplyObject): string {
  const plural = PLURALS[object.kind];
  if (!plural) throw new Error(`${object.kind} is not a kind this extension applies`);
  const base = object.apiVersion === 'v1' ? '/api/v1' : `/apis/${object.apiVersion}`;
  const ns = object.metadata.namespace;
  const scope = ns && object.kind !== 'Namespace' ? `/namespaces/${encodeURIComponent(ns)}` : '';
  return `${base}${scope}/${plural}/${encodeURIComponent(object.metadata.name)}`;
}

/** `Deployment edge/gw`, how objects are named in progress and messages. */
export function describeObject(object: ApplyObject): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

export type ApplyFailureKind = 'conflict' | 'forbidden' | 'invalid' | 'unauthorized' | 'other';

export type ApplyResult =
  | { readonly ok: true; readonly applied: readonly string[] }
  | { readonly ok: false; readonly kind: ApplyFailureKind; readonly object: string; readonly message: string; readonly applied: readonly string[] };

export interface ApplyOptions {
  /** Called after each object with `Deployment edge/gw created|configured`. */
  onProgress(step: string): void;
  /** Take over fields another manager owns (`force=true`). */
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

function parseStatus(body: Buffer): StatusBody {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? parsed as StatusBody : {};
  } catch {
    return {};
  }
}

/** What a refused apply means and what to do about it; pure, for tests. */
export function explainApplyFailure(object: ApplyObject, status: number, body: StatusBody): { kind: ApplyFailureKind; message: string } {
  const what = describeObject(object);
  const serverText = redact(body.message ?? `HTTP ${status}`);
  if (status === 409 && body.reason === 'Conflict' && body.details?.causes?.some((c) => c.reason === 'FieldManagerConflict')) {
    const fields = (body.details.causes ?? []).filter((c) => c.reason === 'FieldManagerConflict').map((c) => {
      const manager = /conflict with (".*?")/.exec(c.message ?? '')?.[1] ?? 'another manager';
      return `${c.field ?? '?'} is managed by ${manager}`;
    });
    return {
      kind: 'conflict',
      message: `${what}: ${fields.join('; ')}. Someone changed these fields with another tool since. Apply again with "Take over the fields" to overwrite them, or edit the YAML to keep their values.`,
    };
  }
  if (status === 403) {
    const m = /cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/.exec(body.message ?? '');
    const verb = m?.[1] ?? 'patch';
    const resource = m?.[2] ?? PLURALS[object.kind] ?? object.kind;
    const group = m?.[3] ? ` (API group ${m[3]})` : '';
    const ns = m?.[4] ?? object.metadata.namespace;
    return {
      kind: 'forbidden',
      message: `${what}: your account may not ${verb} ${resource}${group}${ns ? ` in namespace ${ns}` : ''}. Ask a cluster administrator for a Role${ns ? ` in ${ns}` : ''} that allows get, create, patch and delete on ${resource}${group} (server: ${serverText})`,
    };
  }
  if (status === 401) return { kind: 'unauthorized', message: `${what}: the cluster did not accept your credentials (${serverText}). Sign in to the cluster again (refresh the kubeconfig) and retry.` };
  if (status === 422 || status === 400) return { kind: 'invalid', message: `${what}: the cluster refused the object: ${serverText}` };
  return { kind: 'other', message: `${what}: ${serverText}` };
}

/**
 * Every value the Secrets among `objects` carry, as sent (base64 `data`, plain `stringData`) and decoded: a server
 * that echoes a value in its Status (an Invalid cause quotes it) must not carry it into our message.
 */
export function secretValues(objects: readonly ApplyObject[]): string[] {
  const values: string[] = [];
  for (const object of objects) {
    if (object.kind !== 'Secret') continue;
    const record = object as unknown as { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
    for (const value of Object.values(record.stringData ?? {})) if (typeof value === 'string') values.push(value);
    for (const value of Object.values(record.data ?? {})) {
      if (typeof value !== 'string') continue;
      values.push(value);
      try {
        values.push(Buffer.from(value, 'base64').toString('utf8'));
      } catch {
        // Not base64: the server will say so; the raw value is masked already.
      }
    }
  }
  return values.filter((v) => v.length >= 8).sort((a, b) => b.length - a.length);
}

function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/** Applies the objects in order; stops at the first refusal and says which objects were applied before it. */
export async function applyManifests(client: KubeContextClient, objects: readonly ApplyObject[], options: ApplyOptions,
  signal: AbortSignal): Promise<ApplyResult> {
  const applied: string[] = [];
  const secrets = secretValues(objects);
  for (const object of objects) {
    const response = await client.send({
      method: 'PATCH',
      path: objectPath(object),
      query: { fieldManager: APPLY_FIELD_MANAGER, force: options.force === true, ...(options.dryRun ? { dryRun: 'All' } : {}), fieldValidation: 'Strict' },
      headers: { 'Content-Type': 'application/apply-patch+yaml', Accept: 'application/json' },
      body: JSON.stringify(object),
      maxBody: 256 * 1024,
    }, signal);
    if (response.status !== 200 && response.status !== 201) {
      const { kind, message } = explainApplyFailure(object, response.status, parseStatus(response.body));
      return { ok: false, kind, object: describeObject(object), message: mask(message, secrets), applied };
    }
    const step = `${describeObject(object)} ${response.status === 201 ? 'created' : 'configured'}`;
    applied.push(describeObject(object));
    options.onProgress(step);
  }
  return { ok: true, applied };
}

/**
 * Deletes the objects (the Deployment's pods go with it, by garbage collection); objects already gone are skipped.
 * Returns the ones deleted; throws with the server's (redacted) message on any other refusal.
 */
export async function deleteManifests(client: KubeContextClient, objects: readonly ApplyObject[], signal: AbortSignal): Promise<string[]> {
  const deleted: string[] = [];
  for (const object of objects) {
    const response = await client.send({
      method: 'DELETE',
      path: objectPath(object),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ propagationPolicy: 'Background' }),
      maxBody: 64 * 1024,
    }, signal);
    if (response.status === 404) continue;
    if (response.status !== 200 && response.status !== 202) {
      throw new Error(explainApplyFailure(object, response.status, parseStatus(response.body)).message.replace(/\bpatch\b/, 'delete'));
    }
    deleted.push(describeObject(object));
  }
  return deleted;
}

async function readObject<T>(client: KubeContextClient, path: string, signal: AbortSignal): Promise<T | undefined> {
  const response = await client.send({ method: 'GET', path, headers: { Accept: 'application/json' }, maxBody: 1024 * 1024 }, signal);
  if (response.status === 404) return undefined;
  if (response.status !== 200) {
    throw new Error(redact(parseStatus(response.body).message ?? `GET ${path}: HTTP ${response.status}`));
  }
  return JSON.parse(response.body.toString('utf8')) as T;
}

/** Whether the API server answers at all (`GET /version`); rejects with the transport's reason when it does not. */
export async function checkApiServer(client: KubeContextClient, signal: AbortSignal): Promise<void> {
  await client.getJson('/version', {}, signal);
}

export async function namespaceExists(client: KubeContextClient, namespace: string, signal: AbortSignal): Promise<boolean> {
  return (await readObject(client, `/api/v1/namespaces/${encodeURIComponent(namespace)}`, signal)) !== undefined;
}

export interface LabelledObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
}

/** One object of a kind this extension applies, or undefined when it does not exist. */
export function readApplied(client: KubeContextClient, object: ApplyObject, signal: AbortSignal): Promise<LabelledObject | undefined> {
  return readObject<LabelledObject>(client, objectPath(object), signal);
}

/**
 * What "Deploy APIM Gateway to Kubernetes…" applied for the Deployment `name` in `namespace`: the objects with its
 * names that carry its `app.kubernetes.io/managed-by` label, in deletion order (the Deployment first, so no pod
 * restarts on a missing Secret). Undefined when the Deployment was not applied from here.
 */
export async function installedObjects(client: KubeContextClient, namespace: string, managedBy: string,
  names: { secret: string; configMap: string; deployment: string; service: string }, signal: AbortSignal): Promise<ApplyObject[] | undefined> {
  const candidates: ApplyObject[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: names.deployment, namespace } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: names.service, namespace } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: names.configMap, namespace } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: names.secret, namespace } },
  ];
  const found = await Promise.all(candidates.map((c) => readApplied(client, c, signal)));
  if (found[0]?.metadata?.labels?.['app.kubernetes.io/managed-by'] !== managedBy) return undefined;
  return candidates.filter((_c, i) => found[i]?.metadata?.labels?.['app.kubernetes.io/managed-by'] === managedBy);
}

export type Preflight = { readonly ok: true; readonly namespaceExists: boolean } | { readonly ok: false; readonly error: string };

/**
 * Before a deployment: the context's API server answers, and the Deployment name is free or ours (`managedBy`).
 * Read-only; an unreachable server is refused here, before any token is minted or anything is written.
 */
export async function preflightDeployment(client: KubeContextClient, contextName: string, namespace: string, deployment: string,
  managedBy: string, signal: AbortSignal): Promise<Preflight> {
  try {
    await checkApiServer(client, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, error: `The API server of context ${contextName} (${client.server}) cannot be reached: ${redact(error instanceof Error ? error.message : String(error))}. A deployment needs a cluster that answers; nothing was sent.` };
  }
  const exists = await namespaceExists(client, namespace, signal);
  const live = exists ? await readApplied(client, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: deployment, namespace } }, signal) : undefined;
  if (live && live.metadata?.labels?.['app.kubernetes.io/managed-by'] !== managedBy) {
    return { ok: false, error: `A Deployment named ${deployment} already exists in ${namespace} and was not deployed from here: choose another name. Nothing was changed.` };
  }
  return { ok: true, namespaceExists: exists };
}
