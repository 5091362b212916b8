// Which gateway build an image tag stands for, and so which log dialect it writes. Real logs differ by version:
// 1.x (the seed blog) has no [GatewayLogs] tag, an unpadded day and a 12-hour clock; early 2.x (an Aug 2023 log)
// tags request records and writes values bare; later 2.x (Jan 2025 logs) quotes string values and writes booleans in
// lower case. Where exactly quoting started is not documented: the simulator switches at QUOTED_SINCE.

export const GATEWAY_IMAGE_REPOSITORY = 'mcr.microsoft.com/azure-api-management/gateway';

export type LogDialect = 'v1' | 'v2' | 'v2-quoted';

export interface GatewayBuild {
  tag: string;
  /** Four-part, as the banner prints it (`1.3.0.0`). */
  version: string;
  major: number;
  minor: number;
  patch: number;
  dialect: LogDialect;
  commit: string;
}

/** The newest container release the public Helm chart pointed at when this was written (chart 1.15.1). */
export const LATEST_V2 = '2.11.1';
const LATEST_V1 = '1.3.0';
const QUOTED_SINCE: readonly [number, number] = [2, 7];

// Floating tags Microsoft publishes; each resolves to the newest build of its line.
const FLOATING: Record<string, 'v1' | 'v2'> = { latest: 'v2', v2: 'v2', '2': 'v2', v1: 'v1', '1': 'v1', beta: 'v2' };

export function matchesGatewayImage(image: string): boolean {
  const withoutDigest = image.split('@')[0] ?? '';
  const colon = withoutDigest.lastIndexOf(':');
  const slash = withoutDigest.lastIndexOf('/');
  const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  return repository.toLowerCase() === GATEWAY_IMAGE_REPOSITORY;
}

export function imageTag(image: string): string {
  const withoutDigest = image.split('@')[0] ?? '';
  const colon = withoutDigest.lastIndexOf(':');
  const slash = withoutDigest.lastIndexOf('/');
  return colon > slash ? withoutDigest.slice(colon + 1) : 'latest';
}

export function dialectFor(major: number, minor: number): LogDialect {
  if (major < 2) return 'v1';
  return major > QUOTED_SINCE[0] || minor >= QUOTED_SINCE[1] ? 'v2-quoted' : 'v2';
}

// A stable, version-specific commit hash so restarts of the same image print the same banner.
function commitFor(version: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < 40; round++) {
    for (const c of `${version}#${round}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

/**
 * Resolves an image reference. `floatingV2` says which release `v2`/`latest` stand for (default LATEST_V2), so a
 * world can pin the build it expects. Unknown tags are read as the newest v2 build, as a registry alias would be.
 */
export function resolveGatewayBuild(image: string, floatingV2: string = LATEST_V2): GatewayBuild {
  const tag = imageTag(image);
  const line = FLOATING[tag.toLowerCase()];
  const numbers = line === 'v1' ? LATEST_V1 : line === 'v2' ? floatingV2 : /^v?(\d+(?:\.\d+){0,3})/.exec(tag)?.[1] ?? floatingV2;
  const parts = numbers.split('.').map(Number);
  while (parts.length < 4) parts.push(0);
  const [major = 2, minor = 0, patch = 0] = parts;
  const version = parts.slice(0, 4).join('.');
  return { tag, version, major, minor, patch, dialect: dialectFor(major, minor), commit: commitFor(version) };
}
