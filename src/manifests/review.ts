// The reviewed YAML back into objects, and the token into the Secret at the last moment. The review editor holds
// `GatewayKey <token>` where the token goes; whatever the user changed stays, as long as the objects are still of the
// kinds this extension applies and exactly one Secret carries the placeholder. Pure: no `vscode`, no Node built-ins.
import YAML from 'yaml';
import { gatewayKey, TOKEN_PLACEHOLDER, type Manifest } from './gatewayManifests.ts';

export const APPLIED_KINDS: Readonly<Record<string, string>> = {
  Namespace: 'v1', Secret: 'v1', ConfigMap: 'v1', Service: 'v1', Deployment: 'apps/v1',
};

const PLACEHOLDER_VALUE = `GatewayKey ${TOKEN_PLACEHOLDER}`;

export type Reviewed = { ok: true; objects: Manifest[]; secretIndex: number } | { ok: false; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectsFromReviewedYaml(text: string): Reviewed {
  let documents: YAML.Document.Parsed[];
  try {
    documents = YAML.parseAllDocuments(text) as YAML.Document.Parsed[];
  } catch (error) {
    return { ok: false, error: `The YAML cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const objects: Manifest[] = [];
  for (const [index, document] of documents.entries()) {
    if (document.errors.length > 0) return { ok: false, error: `Document ${index + 1} is not valid YAML: ${document.errors[0]!.message}` };
    let value: unknown;
    try {
      value = document.toJS();
    } catch (error) {
      return { ok: false, error: `Document ${index + 1} cannot be read: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (value === null || value === undefined) continue;
    if (!isRecord(value) || typeof value['kind'] !== 'string' || typeof value['apiVersion'] !== 'string' || !isRecord(value['metadata']) || typeof value['metadata']['name'] !== 'string') {
      return { ok: false, error: `Document ${index + 1} is not a Kubernetes object: apiVersion, kind and metadata.name are required.` };
    }
    const expected = APPLIED_KINDS[value['kind']];
    if (!expected) return { ok: false, error: `Document ${index + 1} is a ${value['kind']}: only ${Object.keys(APPLIED_KINDS).join(', ')} are applied from here.` };
    if (value['apiVersion'] !== expected) return { ok: false, error: `Document ${index + 1} (${value['kind']}) has apiVersion ${value['apiVersion']}: it must be ${expected}.` };
    objects.push(value as Manifest);
  }
  const secrets = objects.flatMap((o, i) => (o.kind === 'Secret' && JSON.stringify(o).includes(PLACEHOLDER_VALUE) ? [i] : []));
  if (secrets.length !== 1) {
    return { ok: false, error: `Exactly one Secret must hold "${PLACEHOLDER_VALUE}" where the token goes (found ${secrets.length}): the token is filled in only when applying.` };
  }
  if (!objects.some((o) => o.kind === 'Deployment')) return { ok: false, error: 'The YAML has no Deployment: there would be no gateway to run.' };
  return { ok: true, objects, secretIndex: secrets[0]! };
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The objects as they are applied: in the Secret, each `stringData` value holding the placeholder moves to `data`
 * (base64) with the real token. A new array; the reviewed objects are not touched.
 */
export function withToken(objects: readonly Manifest[], secretIndex: number, token: string): Manifest[] {
  return objects.map((object, index) => {
    if (index !== secretIndex) return object;
    const stringData = isRecord(object['stringData']) ? { ...object['stringData'] } : {};
    const data = isRecord(object['data']) ? { ...object['data'] } : {};
    for (const [key, value] of Object.entries(stringData)) {
      if (value === PLACEHOLDER_VALUE) {
        data[key] = base64(gatewayKey(token));
        delete stringData[key];
      }
    }
    const { stringData: _dropped, ...rest } = object;
    return { ...rest, data, ...(Object.keys(stringData).length > 0 ? { stringData } : {}) } as Manifest;
  });
}
