import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorMessage, fail, ok, type Result } from '../util/errors.ts';
import { kubeconfigPaths, summarizeKubeconfigs, type KubeconfigSummary } from './kubeconfigFile.ts';

/** Where the kubeconfig comes from; an interface so tests and the sandbox can point it elsewhere. */
export interface KubeconfigSource {
  paths(): string[];
  /** Whether any of the files exists: without one the view shows its welcome content instead of an empty root. */
  exists(): boolean;
  describe(): string;
  read(): Promise<Result<KubeconfigSummary>>;
}

export function fileKubeconfigSource(setting: () => string | undefined): KubeconfigSource {
  const paths = (): string[] => kubeconfigPaths(setting(), process.env.KUBECONFIG, os.homedir(), path.delimiter);
  return {
    paths,
    exists: () => paths().some((file) => existsSync(file)),
    describe: () => {
      const list = paths();
      return list.length === 1 ? tildify(list[0] ?? '') : `${list.length} files`;
    },
    read: async () => {
      const files: { path: string; text: string }[] = [];
      const missing: string[] = [];
      for (const file of paths()) {
        try {
          files.push({ path: file, text: await readFile(file, 'utf8') });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') missing.push(file);
          else return fail(`Cannot read kubeconfig ${file}: ${errorMessage(error)}`);
        }
      }
      if (files.length === 0) return fail(`No kubeconfig at ${missing.map(tildify).join(', ')}`);
      try {
        return ok(summarizeKubeconfigs(files));
      } catch (error) {
        return fail(`The kubeconfig is not valid YAML: ${errorMessage(error)}`);
      }
    },
  };
}

function tildify(p: string): string {
  const home = os.homedir();
  return p.startsWith(home + path.sep) ? `~${p.slice(home.length)}` : p;
}
