import { redact } from './redact.ts';

// Expected failures travel as values; exceptions are bugs or cancellations.
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E = string>(error: E): Result<never, E> => ({ ok: false, error });

/** A readable one-line message for anything thrown, without stack noise. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** The message to show a user or write to a log: secrets masked. */
export function safeErrorMessage(error: unknown): string {
  return redact(errorMessage(error));
}
