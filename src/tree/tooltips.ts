// Markdown tooltips of tree items, built from strings that came from a cluster or ARM (names, images, releases,
// versions): each goes through markdownText / markdownCode, never into the Markdown as written. Pure (no `vscode`), so
// the unit tests render these with a real Markdown parser.
import { markdownCode, markdownText } from '../util/markdown.ts';

export interface DeploymentTooltipFacts {
  readonly name: string;
  readonly namespace: string;
  readonly image?: string;
  readonly ready: number;
  readonly available: number;
  readonly updated: number;
  readonly desired: number;
  readonly matchedBy: 'image' | 'labels' | string;
  readonly release?: string;
}

export function deploymentTooltip(g: DeploymentTooltipFacts, context: string): string {
  return [
    `**${markdownText(g.name)}** — Deployment in ${markdownCode(g.namespace)} (${markdownText(context)})\n\n`,
    `Image: ${markdownCode(g.image ?? 'unknown')}\n\n`,
    `Replicas: ${g.ready} ready, ${g.available} available, ${g.updated} up to date, ${g.desired} desired\n\n`,
    g.matchedBy === 'image' ? 'Found by its gateway image' : 'Found by the labels of the gateway Helm chart',
    g.release ? ` (release ${markdownCode(g.release)})` : '',
  ].join('');
}

export interface ArcClusterTooltipFacts {
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly connectivityStatus?: string;
  readonly lastConnectivityTime?: Date;
  readonly kubernetesVersion?: string;
  readonly distribution?: string;
  readonly infrastructure?: string;
  readonly totalNodeCount?: number;
  readonly agentVersion?: string;
}

export function arcClusterTooltip(c: ArcClusterTooltipFacts): string {
  const t = (v: string | undefined, fallback: string): string => markdownText(v ?? fallback);
  return [
    `**${markdownText(c.name)}** — Azure Arc-enabled Kubernetes\n\n`,
    `Resource group ${markdownCode(c.resourceGroup)} · ${markdownText(c.location)}\n\n`,
    `Connectivity: ${t(c.connectivityStatus, 'unknown')}${c.lastConnectivityTime ? ` (last contact ${c.lastConnectivityTime.toISOString()})` : ''}\n\n`,
    `Kubernetes ${t(c.kubernetesVersion, '?')} · ${t(c.distribution, '?')} on ${t(c.infrastructure, '?')} · ${c.totalNodeCount ?? '?'} nodes · agent ${t(c.agentVersion, '?')}`,
  ].join('');
}

export interface ExtensionTooltipFacts {
  readonly name: string;
  readonly extensionType?: string;
  readonly clusterName: string;
  readonly state: string;
  readonly version?: string;
  readonly releaseTrain?: string;
  readonly namespace?: string;
  readonly serviceType: string;
  readonly settings: string;
  /** Our own text (key type and expiry), already safe. */
  readonly token?: string;
  /** The APIM service / gateway its settings (and running token) name. */
  readonly apimGateway?: string;
}

export function extensionTooltip(e: ExtensionTooltipFacts): string {
  return [
    `**${markdownText(e.name)}** — ${markdownText(e.extensionType ?? 'extension')} on ${markdownText(e.clusterName)}\n\n`,
    `Provisioning state: ${markdownText(e.state)}${e.version ? ` · extension (chart) version ${markdownText(e.version)}` : ''}${e.releaseTrain ? ` · release train ${markdownText(e.releaseTrain)}` : ''}\n\n`,
    `Namespace ${markdownCode(e.namespace ?? '?')} · Service type ${markdownText(e.serviceType)}\n\n`,
    `Settings: ${markdownText(e.settings)}\n\n`,
    e.apimGateway ? `Runs API Management gateway ${markdownText(e.apimGateway)}\n\n` : '',
    e.token ? `${markdownText(e.token)}\n\n` : '',
  ].join('');
}
