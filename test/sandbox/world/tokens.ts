// Gateway access tokens in the shape ARM's generateToken returns: `<gatewayId>&<yyyyMMddHHmm>&<signature>` (the
// `GatewayKey ` prefix the gateway's configuration expects is not part of it). The signature is a base64 HMAC-SHA512
// over "<gatewayId>\n<expiry>" keyed with the gateway key, so regenerating a key invalidates every token made from it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { GatewayKeyType, SelfHostedGateway } from './model.ts';
import type { World } from './world.ts';

/** 64 random bytes in base64: the length and alphabet of real gateway keys. */
export function newGatewayKey(): string {
  return randomBytes(64).toString('base64');
}

/** 32 lower-case hex characters: the shape of APIM subscription keys. */
export function newSubscriptionKey(): string {
  return randomBytes(16).toString('hex');
}

/** 24 hex characters: the shape of APIM's generated entity ids and tenant ids. */
export function newEntityId(): string {
  return randomBytes(12).toString('hex');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** UTC, minute precision: seconds are dropped, as the real tokens do. */
export function formatTokenExpiry(expiry: Date): string {
  return `${expiry.getUTCFullYear()}${pad(expiry.getUTCMonth() + 1)}${pad(expiry.getUTCDate())}${pad(expiry.getUTCHours())}${pad(expiry.getUTCMinutes())}`;
}

export function parseTokenExpiry(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  // Date.UTC rolls 2024-02-31 over into March; a token with such a date was not made by APIM.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59) return undefined;
  return date;
}

function sign(key: string, gatewayId: string, expiry: string): string {
  return createHmac('sha512', Buffer.from(key, 'utf8')).update(`${gatewayId}\n${expiry}`, 'utf8').digest('base64');
}

export function generateGatewayToken(gateway: Pick<SelfHostedGateway, 'name' | 'keys'>, keyType: GatewayKeyType, expiry: Date): string {
  const expiryText = formatTokenExpiry(expiry);
  return `${gateway.name}&${expiryText}&${sign(gateway.keys[keyType], gateway.name, expiryText)}`;
}

export interface ParsedGatewayToken {
  gatewayId: string;
  expiry: Date;
  expiryText: string;
  signature: string;
}

/** Splits a token (with or without the `GatewayKey ` prefix). Undefined when it is not of the token's shape. */
export function parseGatewayToken(token: string): ParsedGatewayToken | undefined {
  const bare = token.startsWith('GatewayKey ') ? token.slice('GatewayKey '.length) : token;
  // The signature is base64 and the gateway id may not contain '&', so the last two '&' delimit the fields.
  const last = bare.lastIndexOf('&');
  const middle = last > 0 ? bare.lastIndexOf('&', last - 1) : -1;
  if (middle <= 0) return undefined;
  const gatewayId = bare.slice(0, middle);
  const expiryText = bare.slice(middle + 1, last);
  const signature = bare.slice(last + 1);
  const expiry = parseTokenExpiry(expiryText);
  if (!expiry || signature.length === 0) return undefined;
  return { gatewayId, expiry, expiryText, signature };
}

export type TokenVerification =
  | { ok: true; service: string; gateway: SelfHostedGateway; keyType: GatewayKeyType; expiry: Date }
  | { ok: false; reason: 'expired' | 'invalid-signature' | 'unknown-gateway' };

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a token against the world's gateways and clock, the way APIM's configuration API does. `service` narrows the
 * search to the service whose endpoint the gateway called; without it any service with that gateway id will do.
 * A malformed token reads as an invalid signature: the configuration API cannot tell the two apart either.
 */
export function verifyGatewayToken(world: World, token: string, service?: string): TokenVerification {
  const parsed = parseGatewayToken(token);
  if (!parsed) return { ok: false, reason: 'invalid-signature' };
  const candidates: Array<[string, SelfHostedGateway]> = [];
  for (const s of world.services.values()) {
    if (service !== undefined && s.name.toLowerCase() !== service.toLowerCase()) continue;
    const gateway = s.gateways.get(parsed.gatewayId);
    if (gateway) candidates.push([s.name, gateway]);
  }
  if (candidates.length === 0) return { ok: false, reason: 'unknown-gateway' };
  for (const [serviceName, gateway] of candidates) {
    for (const keyType of ['primary', 'secondary'] as const) {
      if (sameSignature(sign(gateway.keys[keyType], parsed.gatewayId, parsed.expiryText), parsed.signature)) {
        if (parsed.expiry.getTime() <= world.now().getTime()) return { ok: false, reason: 'expired' };
        return { ok: true, service: serviceName, gateway, keyType, expiry: parsed.expiry };
      }
    }
  }
  return { ok: false, reason: 'invalid-signature' };
}
