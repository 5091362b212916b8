// "Rotate Gateway Token…": which deployment (when the start names a gateway with several, or none is known), the
// gateway (only when the deployment does not tell), the signing key and the lifetime (default the longest allowed),
// then the rotation itself (src/rotation/rotate.ts) in one cancellable progress notification.
import type { AzureAccount } from '../azure/account.ts';
import type { AzureData } from '../azure/armService.ts';
import type { GatewayKeyType } from '../azure/tokens.ts';
import { checkTokenDays, checkTokenExpiry, TOKEN_MAX_DAYS } from '../azure/validation.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import { describeTokenExpiry } from '../diagnosis/expiry.ts';
import type { RotationCandidate } from '../rotation/resolve.ts';
import { rotateToken, type RotationOutcome } from '../rotation/rotate.ts';
import { expiryAfterDays, promptKeyType, promptTokenDays } from './generateTokenWizard.ts';
import { existingGatewayPrompts } from './pickers.ts';
import type { WizardDefinition } from './wizard.ts';

export const ROTATE_TITLE = 'Rotate Gateway Token';

export interface RotateContext {
  /** Where to rotate; when several were found the wizard asks. */
  candidates?: readonly RotationCandidate[];
  candidate?: RotationCandidate;
  serviceId?: string;
  serviceName?: string;
  gatewayId?: string;
  gatewayName?: string;
  keyType?: GatewayKeyType;
  days?: number;
  outcome?: RotationOutcome;
  /** Set as the rotation starts writing: from then on something may have changed, even if a step fails. */
  writing?: boolean;
}

export interface RotateDeps {
  readonly data: AzureData;
  readonly account: AzureAccount;
  readonly kube: KubernetesClients;
  readonly now: () => Date;
  /** The equivalent command of a step and its outcome, to the extension's log. */
  readonly record: (command: string, outcome: string) => void;
  /** The deployments of a gateway (src/rotation/resolve.ts). */
  readonly candidatesFor: (gatewayId: string) => Promise<readonly RotationCandidate[]>;
}

export function rotateTokenWizard(deps: RotateDeps): WizardDefinition<RotateContext> {
  const title = ROTATE_TITLE;
  return {
    title,
    prompts: [
      // From the palette or an extension whose gateway is not known: the gateway first.
      ...existingGatewayPrompts<RotateContext>(deps.data, deps.account, title),
      {
        shouldPrompt: (c) => c.candidate === undefined,
        prompt: async (c, p, position) => {
          const now = deps.now();
          const candidates = c.candidates ? Promise.resolve(c.candidates) : deps.candidatesFor(c.gatewayId ?? '');
          c.candidate = await p.pick({
            id: 'deployment', title, ...position,
            placeholder: 'The deployment whose token to replace',
            emptyMessage: `No deployment of ${c.gatewayName ?? 'this gateway'} was found: deploy it first, or start from its Arc extension or Kubernetes Deployment.`,
            items: candidates.then((list) => list.map((x) => ({ label: x.label, description: x.description, detail: x.runningExpiry ? `running token ${describeTokenExpiry(x.runningExpiry, now)}` : 'running token not readable', value: x }))),
          });
        },
      },
      {
        prompt: async (c, p, position) => {
          c.keyType = await promptKeyType(p, title, position);
        },
      },
      {
        prompt: async (c, p, position) => {
          c.days = await promptTokenDays(p, title, position);
        },
      },
    ],
    check: (c) => {
      if (!c.candidate) return 'No deployment was chosen.';
      if (!c.gatewayId) return 'No gateway was chosen.';
      if (c.keyType !== 'primary' && c.keyType !== 'secondary') return 'The key must be primary or secondary.';
      return checkTokenDays(String(c.days ?? '')) ?? checkTokenExpiry(expiryAfterDays(deps.now(), c.days ?? 0), deps.now());
    },
    execute: [
      {
        title: 'Rotating the token',
        execute: async (c, progress, signal) => {
          const candidate = c.candidate!;
          c.writing = true;
          const kube = candidate.kube ? { client: await deps.kube.forContext(candidate.kube.context), namespace: candidate.kube.namespace, deployment: candidate.kube.deployment } : undefined;
          c.outcome = await rotateToken(
            { gatewayId: c.gatewayId ?? '', gatewayName: c.gatewayName ?? '', store: candidate.store, ...(kube ? { kube } : {}) },
            { keyType: c.keyType ?? 'primary', expiry: expiryAfterDays(deps.now(), c.days ?? TOKEN_MAX_DAYS) },
            { data: deps.data, now: deps.now, report: (text) => progress.report(text), record: deps.record, signal },
          );
        },
      },
    ],
  };
}
