// The rules the API server would enforce on the gateway's objects, checked before any call: each check returns
// undefined when the value is fine, else a sentence naming the rule. Pure: no `vscode`, no Node built-ins.
import { checkNamespace } from '../azure/validation.ts';
import type { GatewayManifestOptions, LogFormat, ServiceType } from './gatewayManifests.ts';

export type Check = (value: string) => string | undefined;

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** What the Docker registry allows in a tag. */
const IMAGE_TAG = /^[\w][\w.-]{0,127}$/;

export const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer'];
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json', 'none'];

/** Namespaces are DNS-1123 labels: the same rule, and the same words, as the Arc extension's target namespace. */
export const checkNamespaceName: Check = checkNamespace;

/** The base name also names the Service, whose names are DNS-1035 labels; `-token` is appended for the Secret. */
export const DEPLOYMENT_NAME_MAX = 57;

export const checkObjectName: Check = (value) => {
  if (value === '') return 'A name is required (DNS-1035 label: lower-case letters, digits and "-", starting with a letter).';
  if (value.length > DEPLOYMENT_NAME_MAX) {
    return `"${value}" has ${value.length} characters: it names the Service (a DNS-1035 label, at most 63 characters) and "${value}-token", so at most ${DEPLOYMENT_NAME_MAX}.`;
  }
  if (!DNS1035_LABEL.test(value)) {
    return `"${value}" is not a DNS-1035 label: the name of a Service may hold only lower-case letters, digits and "-", must start with a letter and end with a letter or digit.`;
  }
  return undefined;
};

export const checkPort: Check = (value) => {
  const text = value.trim();
  if (!/^\d+$/.test(text)) return `"${value}" is not a port number: a port is a whole number from 1 to 65535.`;
  const port = Number(text);
  if (port < 1 || port > 65535) return `${port} is outside 1–65535: a port is a whole number from 1 to 65535.`;
  return undefined;
};

export const checkReplicas: Check = (value) => {
  const text = value.trim();
  if (!/^-?\d+$/.test(text)) return `"${value}" is not a whole number: replicas must be at least 1.`;
  if (Number(text) < 1) return `${text} replicas: replicas must be at least 1 (a gateway with no pods serves nothing).`;
  if (Number(text) > 100) return `${text} replicas: at most 100 here; scale further with kubectl once it runs.`;
  return undefined;
};

export const checkImageTag: Check = (value) => {
  if (value === '') return 'An image tag is required (for example v2 or 2.11.1).';
  if (!IMAGE_TAG.test(value)) return `"${value}" is not an image tag: letters, digits, "_", "." and "-", at most 128 characters, not starting with "." or "-".`;
  return undefined;
};

export interface ProblemReport {
  readonly field: keyof GatewayManifestOptions;
  readonly message: string;
}

/** Every rule the options break, in field order; empty when they are fine. */
export function validateManifestOptions(options: GatewayManifestOptions): ProblemReport[] {
  const problems: ProblemReport[] = [];
  const add = (field: keyof GatewayManifestOptions, message: string | undefined) => { if (message) problems.push({ field, message }); };
  add('name', checkObjectName(options.name));
  add('namespace', checkNamespaceName(options.namespace));
  add('imageTag', checkImageTag(options.imageTag));
  add('replicas', Number.isInteger(options.replicas) ? checkReplicas(String(options.replicas)) : `${options.replicas} is not a whole number: replicas must be at least 1.`);
  add('httpPort', Number.isInteger(options.httpPort) ? checkPort(String(options.httpPort)) : `${options.httpPort} is not a port number: a port is a whole number from 1 to 65535.`);
  add('httpsPort', Number.isInteger(options.httpsPort) ? checkPort(String(options.httpsPort)) : `${options.httpsPort} is not a port number: a port is a whole number from 1 to 65535.`);
  if (options.httpPort === options.httpsPort) add('httpsPort', `The http and https ports are both ${options.httpPort}: a Service's ports must differ.`);
  if (!SERVICE_TYPES.includes(options.serviceType)) add('serviceType', `"${options.serviceType}" is not a Service type: ClusterIP, NodePort or LoadBalancer.`);
  if (!LOG_FORMATS.includes(options.logFormat)) add('logFormat', `"${options.logFormat}" is not a log format: text, json or none.`);
  if (options.gatewayName.trim() === '') add('gatewayName', 'The API Management gateway is required (gateway.name).');
  if (!/^https:\/\/[a-z0-9][a-z0-9.-]*\.configuration\.[a-z0-9.-]+$/i.test(options.configurationEndpoint)) {
    add('configurationEndpoint', `"${options.configurationEndpoint}" is not a v2 configuration endpoint (https://<service>.configuration.azure-api.net).`);
  }
  return problems;
}
