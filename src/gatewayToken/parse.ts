// What a gateway token says about itself, for both sides that hold one: the Azure side (a token ARM just issued) and
// the Kubernetes side (the token a Deployment runs with). A token is `GatewayKey <gatewayId>&<yyyyMMddHHmm>&<signature>`:
// the first two parts are not secret, the signature is; nothing here keeps or returns the text. Pure: no vscode, no Node.

/**
 * The expiry inside a token (`<gatewayId>&yyyyMMddHHmm&<signature>`, UTC), with or without the `GatewayKey ` prefix.
 * Undefined when the text is not shaped like a token.
 */
export function tokenExpiry(token: string): Date | undefined {
  const m = /(?:^|\s)[^&\s]+&(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})&\S+$/.exec(token.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

/** The gateway id a token names (the part before the first `&`); undefined when the text is not a token. */
export function tokenGatewayId(token: string): string | undefined {
  return /^(?:GatewayKey\s+)?([^&\s]+)&/.exec(token.trim())?.[1];
}
