// Entity tags derived from an entity's state, so they change exactly when the entity does, whichever path (ARM, a
// test's direct world mutation) changed it. The shape is APIM's: a quoted base64 of eight bytes.
import { createHash } from 'node:crypto';
import { ArmError, header, type ArmRequest } from './http.ts';

/** `state` may include members ARM never returns (keys): only the hash leaves the server. */
export function etagOf(state: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(state, (_key, value: unknown) => (value instanceof Set ? [...value] : value instanceof Map ? [...value.entries()] : value))).digest();
  return `"${digest.subarray(0, 8).toString('base64')}"`;
}

function normalise(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/**
 * APIM's precondition check. `required` is for PATCH/DELETE, whose contracts make If-Match mandatory; a PUT checks
 * it only when sent. `current` is undefined when the entity does not exist.
 */
export function checkIfMatch(request: ArmRequest, current: string | undefined, required: boolean): void {
  const ifMatch = header(request, 'if-match');
  if (ifMatch === undefined || ifMatch.trim() === '') {
    if (required) throw new ArmError(400, 'InvalidIfMatchHeader', "The 'If-Match' header is required for this request; use the entity's ETag or '*'.", { target: 'If-Match' });
    return;
  }
  if (current === undefined) return;
  const wanted = ifMatch.split(',').map(normalise);
  if (wanted.includes('*') || wanted.includes(normalise(current))) return;
  throw new ArmError(412, 'PreconditionFailed', 'Resource was modified since last retrieval. Refresh and try again.');
}
