// Last line of defence for secrets: anything that looks like a gateway token, key or bearer token is masked before
// it reaches a log line or an error shown to the user. Code should not pass secrets here in the first place.
const patterns: RegExp[] = [
  // Gateway tokens: <gatewayId>&<yyyyMMddHHmm>&<base64 signature>, optionally prefixed with "GatewayKey ".
  /(GatewayKey\s+)?[A-Za-z0-9._-]{1,80}&\d{12}&[A-Za-z0-9+/=]{20,}/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi,
  /((?:subscription-key|ocp-apim-subscription-key|authKey|auth\.token|auth\.key|primaryKey|secondaryKey|token)["']?\s*[:=]\s*["']?)[^\s"',&}]{8,}/gi,
];

export function redact(text: string): string {
  let out = text;
  for (const pattern of patterns) {
    out = out.replace(pattern, (_match, prefix: string | undefined) => `${prefix ?? ''}***`);
  }
  return out;
}
