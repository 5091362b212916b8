// Every identifier that package.json also names lives here, so a rename is one edit plus the manifest.
export const EXTENSION_ID = 'arc-apim-gateway.arc-apim-gateway';

export const Commands = {
  showLog: 'arcApimGateway.showLog',
  refresh: 'arcApimGateway.refresh',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'arcApimGateway',
  gateways: 'arcApimGateway.gateways',
} as const;

export const Settings = {
  section: 'arcApimGateway',
  kubeconfig: 'kubeconfig',
} as const;

export const ContextValues = {
  kubernetesRoot: 'kubernetesRoot',
  kubeContext: 'kubeContext',
  message: 'message',
} as const;
