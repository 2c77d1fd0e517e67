// Loads a lab's kubeconfig into @kubernetes/client-node, with a clear error when it is missing.
import { existsSync } from 'node:fs';
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { KartStreamError } from '../errors/kartstream-error.ts';

export interface KubeClients {
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  objects: KubernetesObjectApi;
}

// Clients for the cluster a kubeconfig points at.
export const kubeClients = (kubeconfigPath: string): KubeClients => {
  if (!existsSync(kubeconfigPath)) {
    throw new KartStreamError('not-found', `kubeconfig ${kubeconfigPath} does not exist`, {
      fix: 'create the lab with `npx kartstream up`, or check the lab name with --name',
    });
  }
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    objects: KubernetesObjectApi.makeApiClient(config),
  };
};

// The HTTP status of an API error, if it has one.
export const apiStatus = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
};
