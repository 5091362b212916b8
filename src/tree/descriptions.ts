// Pieces of tree item descriptions that name a version. Two versions meet in this tree — the Arc extension's (its
// Helm chart's) and the gateway image's — and a bare `v…` does not say which. Pure (no `vscode`).

/** The Microsoft.ApiManagement.Gateway extension's version, which is its Helm chart's: `chart v1.0.2`. */
export function extensionVersionText(version: string): string {
  return `chart ${/^v/i.test(version) ? version : `v${version}`}`;
}

/** The gateway container's image tag (`v2`, `2.3.0.0`, `latest`): `gateway v2`. */
export function gatewayImageText(tag: string): string {
  return `gateway ${tag}`;
}
