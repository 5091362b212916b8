// What it takes to run Microsoft's Azure Resources extension (ms-azuretools.vscode-azureresourcegroups) against the
// sandbox, in one place for `npm run sandbox`, the e2e and the integration tests: its .vsix (not ours to ship: from a
// variable, by default the copy in ../shared/test-assets beside the repository), our test-only sign-in extension,
// the custom-cloud settings that send its ARM calls to the sandbox, and the CA its extension host must trust.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/lib/code-server.ts';

export const AZURE_RESOURCES_VSIX_VARIABLE = 'ARC_APIM_AZURE_RESOURCES_VSIX';
export const AZURE_RESOURCES_EXTENSION_ID = 'ms-azuretools.vscode-azureresourcegroups';
const DEFAULT_VSIX = path.resolve(repoRoot, '..', 'shared', 'test-assets', 'azure-resources', 'vscode-azureresourcegroups-0.12.8-alpha.0.vsix');

/** The test-only extension that registers `microsoft-sovereign-cloud` and hands out the sandbox's ARM token. */
export const sandboxAuthExtension = path.join(repoRoot, 'test', 'extensions', 'sandbox-auth');

/** Where the Azure Resources .vsix is expected (the variable, else the shared copy), and whether it is there. */
export function azureResourcesVsix(): { path: string; available: boolean; why: string } {
  const configured = process.env[AZURE_RESOURCES_VSIX_VARIABLE];
  const file = configured ? path.resolve(configured) : DEFAULT_VSIX;
  const available = existsSync(file);
  const why = available
    ? `Azure Resources extension from ${file}`
    : `the Azure Resources extension (${AZURE_RESOURCES_EXTENSION_ID}) is not available: no file at ${file}; set ${AZURE_RESOURCES_VSIX_VARIABLE} to its .vsix`;
  return { path: file, available, why };
}

/**
 * User settings that make the Azure extensions' sign-in (@microsoft/vscode-azext-azureauth) treat the sandbox as a
 * custom cloud: they ask the `microsoft-sovereign-cloud` provider for a session and send ARM calls to the endpoint.
 * There is no portal: `.invalid` says so if anyone opens one.
 */
export function azureResourcesSettings(info: { armEndpoint: string }): Record<string, unknown> {
  const arm = `${info.armEndpoint.replace(/\/+$/, '')}/`;
  return {
    'microsoft-sovereign-cloud.environment': 'custom',
    'microsoft-sovereign-cloud.customEnvironment': {
      name: 'ArcApimSandbox',
      portalUrl: 'https://portal.sandbox.invalid',
      managementEndpointUrl: arm,
      resourceManagerEndpointUrl: arm,
      activeDirectoryEndpointUrl: arm,
      activeDirectoryResourceId: arm,
    },
  };
}

/** The extension host reads NODE_EXTRA_CA_CERTS at start: the Azure SDKs inside the explorer then trust the sandbox. */
export function azureResourcesEnv(info: { caFile: string }): Record<string, string> {
  return { NODE_EXTRA_CA_CERTS: info.caFile };
}
