// The whole sandbox in one call: one CA, one world, the Kubernetes API emulator running the gateway simulator, and
// the world's Kubernetes objects created through the same admission path as kubectl's. Used by `npm run sandbox`,
// the integration runner and the tests that need a cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startArmServer, type ArmServer } from './arm/server.ts';
import { createGatewayProgram } from './gateway/program.ts';
import { startKubeApiServer, type KubeApiServer } from './k8s/server.ts';
import type { KubeObject } from './k8s/types.ts';
import { createSandboxCa } from './tls.ts';
import type { World } from './world/world.ts';
import { createWorld, type WorldName } from './worlds/index.ts';

export type { WorldName };

export interface SandboxOptions {
  world?: WorldName;
  /** Where the CA and kubeconfig go; a temporary folder (removed on close) when absent. */
  dir?: string;
  /** Wait until every Deployment of the world has its replicas ready before returning (default true). */
  waitForReady?: boolean;
}

/** What `sandbox ready {json}` prints and what tests read: no secret beyond the sandbox's own bearer token. */
export interface SandboxInfo {
  world: WorldName;
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
}

export interface RunningSandbox {
  readonly info: SandboxInfo;
  /** Environment for VS Code / the extension host: KUBECONFIG and the sandbox's locations. */
  readonly env: Record<string, string>;
  readonly kube: KubeApiServer;
  readonly arm: ArmServer;
  readonly world: World;
  describe(): Record<string, string>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const worldName = options.world ?? 'blog-deployed';
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'arc-apim-sandbox-'));
  const { world, kubernetesObjects } = createWorld(worldName);
  const ca = await createSandboxCa(dir);
  const kube = await startKubeApiServer({ dir, ca, programs: [createGatewayProgram(world)], clusterName: 'rb-arc-aks' });
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
  const subscriptionId = [...world.azureSubscriptions.values()][0]?.subscriptionId ?? '';
  const info: SandboxInfo = {
    world: worldName, kubeconfig: kube.kubeconfigPath, kubeApi: kube.url, caFile: kube.caFile, token: kube.token,
    armEndpoint: arm.url, subscriptionId, armToken: arm.token,
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
