// The naming rules ARM and Kubernetes enforce, checked before any call so a mistake costs the user a keystroke, not
// a failed deployment. Each check returns undefined when the value is fine, else a sentence that names the rule.
// The Azure SDKs check none of these client-side (shared/notes/arm-facts.md). No `vscode` import.

export type Check = (value: string) => string | undefined;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes namespaces are DNS-1123 labels (the Arc extension's target namespace is created with this name). */
export const checkNamespace: Check = (value) => {
  if (value === '') return 'A namespace is required (DNS-1123 label: lower-case letters, digits and "-", at most 63 characters).';
  if (value.length > 63) return `"${value}" has ${value.length} characters: a namespace is a DNS-1123 label, at most 63 characters.`;
  if (!DNS1123_LABEL.test(value)) {
    return `"${value}" is not a DNS-1123 label: a namespace may hold only lower-case letters, digits and "-", and must start and end with a letter or digit.`;
  }
  return undefined;
};

const GATEWAY_FORBIDDEN = /[*#&+:<>?]/;
export const GATEWAY_ID_MAX = 80;

/**
 * APIM entity ids (gateway ids): 1–80 characters, none of `* # & + : < > ?`. `&` matters most: it separates the parts
 * of a gateway token (`<gatewayId>&<expiry>&<signature>`). `managed` is the id of the service's own gateway.
 */
export const checkGatewayId: Check = (value) => {
  if (value.trim() === '') return 'A gateway name is required (1–80 characters).';
  if (value.length > GATEWAY_ID_MAX) return `The gateway name has ${value.length} characters: API Management allows at most ${GATEWAY_ID_MAX}.`;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const control = /[\u0000-\u001F\u007F-\u009F]/.exec(value);
  if (control) return `The gateway name contains the control character U+${(control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}: API Management names are printable text.`;
  const invisible = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/.exec(value);
  if (invisible) return `The gateway name contains an invisible or text-direction character (U+${(invisible[0].codePointAt(0) ?? 0).toString(16).toUpperCase()}): a name must read the same everywhere it is shown.`;
  const separator = /[/\\%]/.exec(value);
  if (separator) return `The gateway name contains "${separator[0]}": it becomes a segment of the gateway's ARM resource id, which may not hold / \\ or %.`;
  const bad = GATEWAY_FORBIDDEN.exec(value);
  if (bad) return `The gateway name contains "${bad[0]}": API Management gateway names may not contain * # & + : < > ?`;
  if (/^\s|\s$/.test(value)) return 'The gateway name may not start or end with a space.';
  if (/\.$/.test(value)) return 'The gateway name may not end with ".".';
  if (value.toLowerCase() === 'managed') return '"managed" is reserved for the service\'s own (managed) gateway.';
  return undefined;
};

export const EXTENSION_NAME_MAX = 53;

/**
 * Arc cluster extension names become the Helm release name: a lower-case DNS-1123 subdomain of at most 53 characters
 * (Helm's limit, so generated object names stay under 63).
 */
export const checkExtensionName: Check = (value) => {
  if (value === '') return 'An extension name is required (Helm release name: lower-case letters, digits, "-" and ".", at most 53 characters).';
  if (value.length > EXTENSION_NAME_MAX) return `"${value}" has ${value.length} characters: an extension name is a Helm release name, at most ${EXTENSION_NAME_MAX} characters.`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return `"${value}" is not a valid extension name: it becomes the Helm release name, so only lower-case letters, digits, "-" and "." are allowed, starting and ending with a letter or digit.`;
  }
  return undefined;
};

export const TOKEN_MAX_DAYS = 30;

/** Gateway tokens live at most 30 days; whole days keep the choice simple and the expiry predictable. */
export const checkTokenDays: Check = (value) => {
  const text = value.trim();
  if (!/^\d+$/.test(text)) return `Enter a whole number of days from 1 to ${TOKEN_MAX_DAYS} (a gateway token expires within 30 days).`;
  const days = Number(text);
  if (days < 1 || days > TOKEN_MAX_DAYS) return `${days} days is outside 1–${TOKEN_MAX_DAYS}: API Management issues gateway tokens for at most 30 days.`;
  return undefined;
};

/** The expiry itself, for callers that pass a date: in the future and at most 30 days away. */
export function checkTokenExpiry(expiry: Date, now: Date): string | undefined {
  if (Number.isNaN(expiry.getTime())) return 'The token expiry is not a valid date.';
  if (expiry.getTime() <= now.getTime()) return 'The token expiry must be in the future.';
  if (expiry.getTime() - now.getTime() > TOKEN_MAX_DAYS * 24 * 60 * 60 * 1000) return `The token expiry must be at most ${TOKEN_MAX_DAYS} days from now.`;
  return undefined;
}

/** Location data name (required by APIM) and its optional fields: at most 256 characters each. */
export const checkLocationName: Check = (value) => {
  if (value.trim() === '') return 'A location name is required: API Management shows it for the gateway and its logs report it as the region.';
  if (value.length > 256) return `The location name has ${value.length} characters: at most 256 are allowed.`;
  return undefined;
};

export const checkOptionalLocationPart: Check = (value) => (value.length > 256 ? `At most 256 characters are allowed (got ${value.length}).` : undefined);

export const checkDescription: Check = (value) => (value.length > 1000 ? `The description has ${value.length} characters: at most 1000 are allowed.` : undefined);

/** Arc release trains are short names (`stable`, `preview`); anything else would be refused by ARM later. */
export const checkReleaseTrain: Check = (value) => {
  if (value === '') return 'A release train is required (stable or preview).';
  if (!/^[A-Za-z0-9-]{1,32}$/.test(value)) return `"${value}" is not a release train name: letters, digits and "-", at most 32 characters (e.g. stable, preview).`;
  return undefined;
};

/** Runs several checks, first failure wins. */
export function firstProblem(...results: Array<string | undefined>): string | undefined {
  return results.find((r) => r !== undefined);
}
