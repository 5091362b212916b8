// Builds for production and packs the .vsix with vsce. Dependencies are bundled by esbuild, so vsce must not
// collect node_modules (--no-dependencies); .vscodeignore is an allowlist.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './lib/code-server.ts';
import { extensionManifest } from './lib/launch.ts';

export function packageExtension(stdio: 'inherit' | 'ignore' = 'inherit'): string {
  const manifest = extensionManifest();
  const out = path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
    cwd: repoRoot,
    stdio,
  });
  if (result.status !== 0) throw new Error(`vsce package failed (exit ${result.status})`);
  return out;
}

if (import.meta.main) {
  console.log(packageExtension());
}
