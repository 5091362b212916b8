// Reading an HTTP response the same way wherever we read one (the Kubernetes client, the direct transport): the body
// kept up to a cap while its real size is counted, and headers as one string each. No `vscode` import.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** Starts collecting `res`'s body; call the result after `end` for what was kept (at most `max` bytes) and the size. */
export function collectBody(res: IncomingMessage, max: number): () => { body: Buffer; size: number } {
  const chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (kept < max) {
      const part = chunk.length > max - kept ? chunk.subarray(0, max - kept) : chunk;
      chunks.push(part);
      kept += part.length;
    }
  });
  return () => ({ body: Buffer.concat(chunks), size });
}

/** Header names as Node gives them (lower case), repeated headers joined with `, `. */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
