// Where the runner's sandbox is: the extension host inherits these from code-server's environment.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants.ts';
import type { ExtensionApi } from '../../src/extension.ts';

export interface SandboxEnv {
  api: string;
  ca: Buffer;
  token: string;
}

export function sandboxEnv(): SandboxEnv {
  const api = process.env.ARC_APIM_SANDBOX_KUBE_API;
  const caFile = process.env.ARC_APIM_SANDBOX_CA_FILE;
  const token = process.env.ARC_APIM_SANDBOX_TOKEN;
  assert.ok(api && caFile && token, 'the runner passes the sandbox location (ARC_APIM_SANDBOX_*)');
  return { api, ca: readFileSync(caFile), token };
}

/** The seed blog's gateway in world blog-deployed: its kubeconfig context, namespace and Deployment, and its Service. */
export const BLOG_GATEWAY = { context: 'rb-arc-aks', namespace: 'apim', deployment: 'rb-arc-aks-apimgw' } as const;
export const BLOG_SERVICE = 'rb-arc-aks-apimgw-azure-api-management-gateway';

/**
 * The blog's call (`GET /echo/resource?param1=<tag>`) through the API server's service proxy to the gateway's HTTP
 * port: the gateway logs a request record for it. Resolves with the status.
 */
export function gatewayRequest(env: SandboxEnv, tag: string): Promise<number> {
  const url = new URL(`${env.api}/api/v1/namespaces/${BLOG_GATEWAY.namespace}/services/${BLOG_SERVICE}:5000/proxy/echo/resource?param1=${tag}`);
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: env.ca, headers: { Authorization: `Bearer ${env.token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** The extension, activated, and the test surface activate() returns. */
export async function activatedExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  assert.ok(api, 'activate() returned nothing: activation failed (see the Arc APIM Gateway log)');
  return api;
}
