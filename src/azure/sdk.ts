// The only module that imports the Azure SDKs. It is loaded with `await import()` by the client factory
// (clientFactory.ts) on the first Azure call, and the build gives it a bundle of its own (dist/azure-sdk.js), so
// activation never parses the SDKs (several MB) and a user who never opens Azure never pays for them.
export { AzureCliCredential } from '@azure/identity';
export { ApiManagementClient, getContinuationToken as apimContinuationToken } from '@azure/arm-apimanagement';
export { SourceControlConfigurationClient, getContinuationToken as extensionsContinuationToken } from '@azure/arm-kubernetesconfiguration';
export { ConnectedKubernetesClient, getContinuationToken as arcContinuationToken } from '@azure/arm-hybridkubernetes';
export { SubscriptionClient } from '@azure/arm-resources-subscriptions';
