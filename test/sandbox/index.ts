// The whole sandbox in one call: one CA, one world, the Kubernetes API emulator running the gateway simulator, and
// the world's Kubernetes objects created through the same admission path as kubectl's. Used by `npm run sandbox`,
// the integration runner and the tests that need a cluster.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startArmServer, type ArmServer } from './arm/server.ts';
import { breakGateway, type BreakGatewayOptions } from './gateway/breaks.ts';
import { createGatewayProgram } from './gateway/program.ts';
import { startKubeApiServer, type KubeApiServer } from './k8s/server.ts';
import type { KubeObject } from './k8s/types.ts';
import { SESSION_FILE, type AzSession } from './bin/az.ts';
import { createSandboxCa } from './tls.ts';
import type { World } from './world/world.ts';
import { createWorld, type CreatedWorld, type WorldName } from './worlds/index.ts';

export type { WorldName };

export interface SandboxOptions {
  /** A named world, or one built by the caller (benchmarks generate large ones). */
  world?: WorldName | CreatedWorld;
  /** Where the CA and kubeconfig go; a temporary folder (removed on close) when absent. */
  dir?: string;
  /** Wait until every Deployment of the world has its replicas ready before returning (default true). */
  waitForReady?: boolean;
  /** The kubelet's `containerLogMaxSize` in bytes (default 10 MiB, as a real kubelet's). */
  containerLogMaxBytes?: number;
}

/** What `sandbox ready {json}` prints and what tests read: no secret beyond the sandbox's own bearer token. */
export interface SandboxInfo {
  world: WorldName | 'custom';
  kubeconfig: string;
  kubeApi: string;
  caFile: string;
  token: string;
  /** The ARM emulator: the Azure SDKs' `endpoint` (it trusts the same caFile). */
  armEndpoint: string;
  /** The world's first Azure subscription (the blog's). */
  subscriptionId: string;
  /** Bearer token the ARM emulator accepts (what a TokenCredential must return). */
  armToken: string;
  /** AZURE_CONFIG_DIR of the sandbox's `az` stand-in (bin/az), which signs in to the emulator with armToken. */
  azureConfigDir: string;
}

/** The sandbox's `az` stand-in: first on PATH for VS Code, so the real AzureCliCredential signs in with it. */
export const SANDBOX_BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin');

export interface RunningSandbox {
  readonly info: SandboxInfo;
  /**
   * Environment for VS Code / the extension host: KUBECONFIG, the sandbox's locations, and PATH / AZURE_CONFIG_DIR
   * for the `az` stand-in.
   */
  readonly env: Record<string, string>;
  /** VS Code user settings that point the extension at the sandbox as a custom cloud, signed in through az. */
  readonly settings: Record<string, unknown>;
  readonly kube: KubeApiServer;
  readonly arm: ArmServer;
  readonly world: World;
  describe(): Record<string, string>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const worldOption = options.world ?? 'blog-deployed';
  const worldName = typeof worldOption === 'string' ? worldOption : 'custom';
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'arc-apim-sandbox-'));
  const { world, kubernetesObjects } = typeof worldOption === 'string' ? createWorld(worldOption) : worldOption;
  const ca = await createSandboxCa(dir);
  const extraFaults: Record<string, (options: unknown) => unknown> = {};
  const kube = await startKubeApiServer({
    dir, ca, programs: [createGatewayProgram(world)], clusterName: 'rb-arc-aks', extraFaults,
    ...(options.containerLogMaxBytes !== undefined ? { containerLogMaxBytes: options.containerLogMaxBytes } : {}),
  });
  extraFaults['breakGateway'] = (o) => breakGateway(kube, world, o as BreakGatewayOptions);
  let arm: ArmServer;
  try {
    for (const object of kubernetesObjects) await kube.create(object as unknown as KubeObject);
    if (options.waitForReady !== false) await waitForDeployments(kube, 60_000);
    // Beside the cluster it plays: Arc extensions installed through ARM land in this kube emulator.
    arm = await startArmServer({ ca, world, kube });
  } catch (error) {
    await kube.close();
    throw error;
  }
  const firstSubscription = [...world.azureSubscriptions.values()][0];
  const subscriptionId = firstSubscription?.subscriptionId ?? '';
  const azureConfigDir = writeAzSession(dir, {
    armEndpoint: arm.url, audience: arm.url, token: arm.token, caFile: kube.caFile, tenantId: firstSubscription?.tenantId ?? '',
    subscriptionId, subscriptionName: firstSubscription?.displayName ?? '',
  });
  const info: SandboxInfo = {
    world: worldName, kubeconfig: kube.kubeconfigPath, kubeApi: kube.url, caFile: kube.caFile, token: kube.token,
    armEndpoint: arm.url, subscriptionId, armToken: arm.token, azureConfigDir,
  };
  return {
    info,
    env: {
      KUBECONFIG: kube.kubeconfigPath,
      ARC_APIM_SANDBOX_KUBE_API: kube.url,
      ARC_APIM_SANDBOX_CA_FILE: kube.caFile,
      ARC_APIM_SANDBOX_TOKEN: kube.token,
      ARC_APIM_SANDBOX_ARM_ENDPOINT: arm.url,
      ARC_APIM_SANDBOX_SUBSCRIPTION_ID: subscriptionId,
      ARC_APIM_SANDBOX_ARM_TOKEN: arm.token,
      AZURE_CONFIG_DIR: azureConfigDir,
      PATH: `${SANDBOX_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
      // This environment already is a shell's. Without this, VS Code's server re-resolves a login shell's
      // environment for the extension host, whose /etc/profile resets PATH — and the az stand-in is gone.
      VSCODE_CLI: '1',
    },
    settings: {
      'arcApimGateway.azure.cloud': 'custom',
      'arcApimGateway.azure.customCloud': { resourceManagerEndpoint: arm.url, audience: arm.url, caFile: kube.caFile },
      'arcApimGateway.azure.credential': 'azureCli',
    },
    kube,
    arm,
    world,
    describe: () => ({ 'Kubernetes:': kube.url, 'kubeconfig:': kube.kubeconfigPath, 'ARM:': arm.url, 'CA:': kube.caFile }),
    close: async () => {
      await arm.close();
      await kube.close();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Where real az keeps its login, the stand-in keeps the sandbox's: AZURE_CONFIG_DIR/sandbox-session.json, readable by
 * the user only (it holds the ARM bearer token). Removed with the sandbox's folder, after which az says "Please run
 * 'az login'", as real az does without a login.
 */
function writeAzSession(dir: string, session: AzSession): string {
  const configDir = path.join(dir, 'azure');
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const file = path.join(configDir, SESSION_FILE);
  writeFileSync(file, JSON.stringify(session, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return configDir;
}

async function waitForDeployments(kube: KubeApiServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deployments = kube.list('deployments') as Array<{ metadata: { name: string }; spec?: { replicas?: number }; status?: { readyReplicas?: number } }>;
    const waiting = deployments.filter((d) => (d.status?.readyReplicas ?? 0) < (d.spec?.replicas ?? 1));
    if (waiting.length === 0) return;
    if (Date.now() > deadline) throw new Error(`deployments not ready after ${timeoutMs} ms: ${waiting.map((d) => d.metadata.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
