// Every identifier that package.json also names lives here, so a rename is one edit plus the manifest.
export const EXTENSION_ID = 'arc-apim-gateway.arc-apim-gateway';

export const Commands = {
  showLog: 'arcApimGateway.showLog',
  refresh: 'arcApimGateway.refresh',
  tailGatewayLogs: 'arcApimGateway.tailGatewayLogs',
  openLogFile: 'arcApimGateway.openLogFile',
  openLogsInEditor: 'arcApimGateway.openLogsInEditor',
  sendTestRequest: 'arcApimGateway.sendTestRequest',
  checkGatewayHealth: 'arcApimGateway.checkGatewayHealth',
  // Azure: sign-in, provisioning wizards and their tree helpers (src/commands/azure/).
  azureSignIn: 'arcApimGateway.azure.signIn',
  azureSelectSubscriptions: 'arcApimGateway.azure.selectSubscriptions',
  azureLoadMore: 'arcApimGateway.azure.loadMore',
  azureChooseKubeContext: 'arcApimGateway.azure.chooseKubeContext',
  azureTailArcGatewayLogs: 'arcApimGateway.azure.tailArcGatewayLogs',
  createGateway: 'arcApimGateway.createGateway',
  generateGatewayToken: 'arcApimGateway.generateGatewayToken',
  copyConfigurationEndpoint: 'arcApimGateway.copyConfigurationEndpoint',
  deployGatewayToArc: 'arcApimGateway.deployGatewayToArc',
  assignApis: 'arcApimGateway.assignApis',
  removeApis: 'arcApimGateway.removeApis',
  uninstallGatewayExtension: 'arcApimGateway.uninstallGatewayExtension',
  deleteGateway: 'arcApimGateway.deleteGateway',
  // Plain Kubernetes and Docker (src/commands/deployToKubernetes.ts and its neighbours).
  deployGatewayToKubernetes: 'arcApimGateway.deployGatewayToKubernetes',
  uninstallGatewayFromKubernetes: 'arcApimGateway.uninstallGatewayFromKubernetes',
  copyDockerRunCommand: 'arcApimGateway.copyDockerRunCommand',
  rotateGatewayToken: 'arcApimGateway.rotateGatewayToken',
  updateGatewayExtension: 'arcApimGateway.updateGatewayExtension',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'arcApimGateway',
  gateways: 'arcApimGateway.gateways',
} as const;

export const Languages = {
  gatewayLog: 'apim-gateway-log',
} as const;

export const Settings = {
  section: 'arcApimGateway',
  kubeconfig: 'kubeconfig',
  logsMaxEntries: 'logs.maxEntries',
  logsEditorKubeletTime: 'logs.editor.kubeletTime',
  logsMaxLineLength: 'logs.maxLineLength',
  azureCredential: 'azure.credential',
  azureCloud: 'azure.cloud',
  azureCustomCloud: 'azure.customCloud',
} as const;

export const ContextValues = {
  kubernetesRoot: 'kubernetesRoot',
  kubeContext: 'kubeContext',
  // The Kubernetes side of the tree; src/tree/README.md lists what each node offers to commands.
  gatewayNamespace: 'gatewayNamespace',
  gatewayDeployment: 'gatewayDeployment',
  gatewayPod: 'gatewayPod',
  gatewayService: 'gatewayService',
  message: 'message',
  // The Azure side; src/tree/README.md (Azure side) lists them.
  azureRoot: 'azureRoot',
  azureSubscription: 'azureSubscription',
  azureArcGroup: 'azureArcGroup',
  azureArcCluster: 'azureArcCluster',
  azureGatewayExtension: 'azureGatewayExtension',
  azureApimGroup: 'azureApimGroup',
  azureApimService: 'azureApimService',
  azureApimGateway: 'azureApimGateway',
  azureGatewayApi: 'azureGatewayApi',
  azureGatewayOperation: 'azureGatewayOperation',
  azureGatewayDeployment: 'azureGatewayDeployment',
  azureLoadMore: 'azureLoadMore',
} as const;
