// "Generate Gateway Token": a gateway, which of its keys signs the token, and how many days it lives (at most 30).
// The token itself only ever reaches the clipboard (the command's job); this wizard holds it in a GatewayToken.
import type { AzureAccount } from '../azure/account.ts';
import type { AzureData } from '../azure/armService.ts';
import type { GatewayKeyType, GatewayToken } from '../azure/tokens.ts';
import { checkTokenDays, checkTokenExpiry, TOKEN_MAX_DAYS } from '../azure/validation.ts';
import { existingGatewayPrompts } from './pickers.ts';
import type { PickItem, Prompter } from './prompter.ts';
import type { Position } from './pickers.ts';
import type { WizardDefinition } from './wizard.ts';

export interface GenerateTokenContext {
  serviceId?: string;
  gatewayId?: string;
  gatewayName?: string;
  keyType?: GatewayKeyType;
  days?: number;
  /** Set by the execute step; never logged (its string form is a placeholder). */
  token?: GatewayToken;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The token's expiry for `days` from `now`, minute precision (what the token records). */
export function expiryAfterDays(now: Date, days: number): Date {
  const at = new Date(now.getTime() + days * DAY_MS);
  at.setUTCSeconds(0, 0);
  return at;
}

export async function promptKeyType(prompter: Prompter, title: string, position: Position): Promise<GatewayKeyType> {
  const items: PickItem<GatewayKeyType>[] = [
    { label: 'primary', description: 'Sign with the primary key', value: 'primary' },
    { label: 'secondary', description: 'Sign with the secondary key (rotate the primary key without breaking this token)', value: 'secondary' },
  ];
  return prompter.pick({ id: 'keyType', title, placeholder: 'Key that signs the token (regenerating it invalidates the token)', items, emptyMessage: '', ...position });
}

export async function promptTokenDays(prompter: Prompter, title: string, position: Position): Promise<number> {
  const text = await prompter.input({ id: 'tokenDays', title, prompt: `Token lifetime in days (1–${TOKEN_MAX_DAYS}); the gateway stops receiving configuration when it expires`, value: String(TOKEN_MAX_DAYS), validate: checkTokenDays, ...position });
  return Number(text.trim());
}

export function generateTokenWizard(data: AzureData, account: AzureAccount, now: () => Date): WizardDefinition<GenerateTokenContext> {
  const title = 'Generate Gateway Token';
  return {
    title,
    prompts: [
      ...existingGatewayPrompts<GenerateTokenContext>(data, account, title),
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
      if (!c.gatewayId) return 'No gateway was chosen.';
      if (c.keyType !== 'primary' && c.keyType !== 'secondary') return 'The key must be primary or secondary.';
      return checkTokenDays(String(c.days ?? '')) ?? checkTokenExpiry(expiryAfterDays(now(), c.days ?? 0), now());
    },
    execute: [
      {
        title: 'Generating the token',
        execute: async (c, _progress, signal) => {
          c.token = await data.generateGatewayToken(c.gatewayId ?? '', c.keyType ?? 'primary', expiryAfterDays(now(), c.days ?? TOKEN_MAX_DAYS), { signal });
        },
      },
    ],
  };
}
