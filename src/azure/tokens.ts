// Gateway tokens and configuration endpoints. A token is a secret: it lives in a GatewayToken whose string and JSON
// forms are a placeholder, so a token that slips into a log line, an error or a message shows as `[gateway token]`.
// The only way to the value is `reveal()`, called where the value must go (clipboard, protected setting).
// No `vscode` import.
import { describeTokenExpiry } from '../diagnosis/expiry.ts';

export type GatewayKeyType = 'primary' | 'secondary';

export class GatewayToken {
  readonly #value: string;
  readonly gatewayName: string;
  readonly keyType: GatewayKeyType;
  /** When the token stops working (from ARM's request; the token carries the same instant). */
  readonly expiry: Date;

  constructor(value: string, gatewayName: string, keyType: GatewayKeyType, expiry: Date) {
    this.#value = value;
    this.gatewayName = gatewayName;
    this.keyType = keyType;
    this.expiry = expiry;
  }

  /** The raw token as ARM returned it (`<gatewayId>&<yyyyMMddHHmm>&<signature>`, no prefix). */
  reveal(): string {
    return this.#value;
  }

  /** What a gateway's configuration expects: `GatewayKey <token>`. */
  revealForGatewayConfig(): string {
    return `GatewayKey ${this.#value}`;
  }

  toString(): string {
    return '[gateway token]';
  }

  toJSON(): string {
    return '[gateway token]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[gateway token]';
  }
}

export { tokenExpiry } from '../gatewayToken/parse.ts';

/** "expires in 30 days", "expires in 24 hours", "expired 2 days ago": the one label (src/diagnosis/expiry.ts). */
export function describeExpiry(expiry: Date, now: Date): string {
  return describeTokenExpiry(expiry, now);
}

/**
 * The v2 configuration endpoint of an APIM service: `https://<name>.configuration.<domain>`, where the domain is
 * the one of its management API URL (`<name>.management.azure-api.net` → `azure-api.net`; sovereign clouds use
 * `azure-api.us` / `azure-api.cn`). The v1 `…management…/subscriptions/…` endpoint lost support in October 2023.
 */
export function configurationEndpoint(service: { name: string; managementApiUrl?: string | undefined }): string {
  const fallback = `https://${service.name}.configuration.azure-api.net`;
  if (!service.managementApiUrl) return fallback;
  try {
    const host = new URL(service.managementApiUrl).hostname;
    const m = /^[^.]+\.management\.(.+)$/i.exec(host);
    return m ? `https://${service.name}.configuration.${m[1]}` : fallback;
  } catch {
    return fallback;
  }
}

/** The retired v1 endpoint shape, for warnings about existing deployments. */
export function isV1ConfigurationEndpoint(endpoint: string): boolean {
  return /\.management\.azure-api\.(net|us|cn)\/subscriptions\//i.test(endpoint);
}
