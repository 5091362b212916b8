// Pod names shortened for narrow views: `rb-arc-aks-apimgw-6cb68c4ccf-88bxg` is 34 characters of which the last 5 tell
// the replicas of a Deployment apart. Pure (no `vscode`, no Node APIs): the log table (webview) and the editor
// document share it; both keep the full name in a tooltip or hover.

/**
 * The shortest trailing run of `-`-separated parts of `name` that no other name in `names` ends with the same way.
 * The whole name when nothing shorter is unique (or it has no `-`).
 */
export function uniquePodSuffix(name: string, names: Iterable<string>): string {
  const others = [...names].filter((n) => n !== name);
  const parts = name.split('-');
  for (let take = 1; take < parts.length; take++) {
    const suffix = parts.slice(-take).join('-');
    if (suffix !== '' && !others.some((o) => o === suffix || o.endsWith(`-${suffix}`))) return suffix;
  }
  return name;
}

/**
 * Short names for pods as they appear, each fixed once given (text already written is never rewritten): the
 * shortest suffix unique among the pods seen so far and not given to another pod. A later pod whose short name
 * would clash gets a longer one.
 */
export class PodNamer {
  private readonly short = new Map<string, string>();
  private readonly taken = new Set<string>();

  /** Names of pods already known (a Deployment's replicas), so their suffixes are unique among them all. */
  seed(pods: Iterable<string>): void {
    const all = [...new Set([...this.short.keys(), ...pods])];
    for (const pod of all) this.nameOf(pod, all);
  }

  nameOf(pod: string, known: Iterable<string> = this.short.keys()): string {
    const given = this.short.get(pod);
    if (given !== undefined) return given;
    const peers = [...new Set([...known, ...this.short.keys()])];
    let name = uniquePodSuffix(pod, peers);
    if (this.taken.has(name)) name = pod;
    this.short.set(pod, name);
    this.taken.add(name);
    return name;
  }
}
