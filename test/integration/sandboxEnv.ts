// Where the runner's sandbox is: the extension host inherits these from code-server's environment.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

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
