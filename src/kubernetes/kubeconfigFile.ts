// Reading a kubeconfig without the Kubernetes SDK: the tree's first level needs only context names, and loading
// @kubernetes/client-node for that would put it on the activation path. Pure: no `vscode` import.
import { parse } from 'yaml';

export interface KubeContextInfo {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace: string | undefined;
  /** The kubeconfig file that defined this context (first file wins, as kubectl merges KUBECONFIG). */
  readonly file: string;
}

export interface KubeconfigSummary {
  readonly contexts: readonly KubeContextInfo[];
  readonly currentContext: string | undefined;
  readonly files: readonly string[];
}

/**
 * The files kubectl would read, in order: an explicit setting wins, then every entry of KUBECONFIG, then
 * ~/.kube/config.
 */
export function kubeconfigPaths(setting: string | undefined, env: string | undefined, home: string, delimiter: string): string[] {
  if (setting && setting.trim()) return [expandHome(setting.trim(), home)];
  const fromEnv = (env ?? '').split(delimiter).map((p) => p.trim()).filter(Boolean);
  if (fromEnv.length > 0) return fromEnv.map((p) => expandHome(p, home));
  return [`${home}/.kube/config`];
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? home + p.slice(1) : p;
}

/** Merges kubeconfig documents the way kubectl does: the first file to define a name wins. */
export function summarizeKubeconfigs(files: readonly { path: string; text: string }[]): KubeconfigSummary {
  const contexts = new Map<string, KubeContextInfo>();
  let currentContext: string | undefined;
  for (const file of files) {
    const doc: unknown = parse(file.text);
    if (!isRecord(doc)) continue;
    if (currentContext === undefined && typeof doc['current-context'] === 'string' && doc['current-context']) {
      currentContext = doc['current-context'];
    }
    const list = Array.isArray(doc.contexts) ? doc.contexts : [];
    for (const entry of list) {
      if (!isRecord(entry) || typeof entry.name !== 'string' || contexts.has(entry.name)) continue;
      const ctx = isRecord(entry.context) ? entry.context : {};
      contexts.set(entry.name, {
        name: entry.name,
        cluster: typeof ctx.cluster === 'string' ? ctx.cluster : '',
        user: typeof ctx.user === 'string' ? ctx.user : '',
        namespace: typeof ctx.namespace === 'string' ? ctx.namespace : undefined,
        file: file.path,
      });
    }
  }
  return { contexts: [...contexts.values()], currentContext, files: files.map((f) => f.path) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
