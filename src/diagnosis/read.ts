// Readers for values that come from outside (ARM payloads, parsed logs, JSON from a webview): the declared types are
// what we hope for, not what is guaranteed, and a diagnosis must never fail because one field had another shape.

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A string with something in it. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Epoch milliseconds of a Date, an ISO string or epoch milliseconds; undefined when it is none of them. */
export function instant(value: unknown): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return num(value);
}

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A stray `%` is a legal byte in a path APIM still routes; match it as written.
    return segment;
  }
}
