// Test bed for the ARM emulator's tests and bench: one CA, a world, optionally the Kubernetes emulator running the
// gateway simulator (fast kubelet timing), and the ARM server; plus the two things every SDK client needs to reach it
// (a TokenCredential and the client options that carry the endpoint and the CA).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGatewayProgram } from '../gateway/program.ts';
import { startKubeApiServer, type KubeApiServer } from '../k8s/server.ts';
import { fastTiming, waitFor } from '../k8s/testing.ts';
import type { KubeObject } from '../k8s/types.ts';
import { createSandboxCa } from '../tls.ts';
import type { World } from '../world/world.ts';
import { createWorld, type WorldName } from '../worlds/index.ts';
import { startArmServer, type ArmServer, type ArmServerOptions } from './server.ts';

/** What the SDKs' bearer-token policy asks for: any object with getToken() satisfies their TokenCredential. */
export interface StaticTokenCredential {
  getToken(): Promise<{ token: string; expiresOnTimestamp: number }>;
}

export function staticTokenCredential(token: string): StaticTokenCredential {
  return { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }) };
}

/**
 * Options for any @azure/arm-* client: the emulator as `endpoint`, its CA through core-rest-pipeline's `tlsOptions`
 * (which builds the https.Agent), and quick retries so retry tests do not wait ARM's real back-off.
 */
export function armClientOptions(arm: Pick<ArmServer, 'url' | 'caPem'>): { endpoint: string; tlsOptions: { ca: string }; retryOptions: { retryDelayInMs: number; maxRetryDelayInMs: number } } {
  return { endpoint: arm.url, tlsOptions: { ca: arm.caPem }, retryOptions: { retryDelayInMs: 50, maxRetryDelayInMs: 500 } };
}

export interface ArmTestbed {
  readonly world: World;
  readonly arm: ArmServer;
  readonly kube: KubeApiServer | undefined;
  readonly credential: StaticTokenCredential;
  close(): Promise<void>;
}

export async function startArmTestbed(
  worldName: WorldName,
  options: { kube?: boolean; world?: World; arm?: Partial<Omit<ArmServerOptions, 'ca' | 'world' | 'kube'>> } = {},
): Promise<ArmTestbed> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arc-apim-arm-'));
  const created = createWorld(worldName);
  const world = options.world ?? created.world;
  const ca = await createSandboxCa(dir);
  let kube: KubeApiServer | undefined;
  if (options.kube !== false) {
    kube = await startKubeApiServer({
      dir, ca, clusterName: 'rb-arc-aks', timing: fastTiming,
      programs: [createGatewayProgram(world, { startupStepMs: 1, pollIntervalMs: 60_000 })],
    });
    const objects = options.world ? [] : created.kubernetesObjects;
    for (const object of objects) kube.create(object as unknown as KubeObject, { fieldManager: 'helm' });
    const k = kube;
    await waitFor('the world\'s deployments to be ready', () => k.list('deployments').every((d) => {
      const x = d as { spec?: { replicas?: number }; status?: { readyReplicas?: number } };
      return (x.status?.readyReplicas ?? 0) >= (x.spec?.replicas ?? 1);
    }), 20_000);
  }
  const arm = await startArmServer({ ca, world, ...(kube ? { kube } : {}), agentPickupDelayMs: 20, ...options.arm });
  return {
    world,
    arm,
    kube,
    credential: staticTokenCredential(arm.token),
    close: async () => {
      await arm.close();
      await kube?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
