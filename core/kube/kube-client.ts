// Loads a lab's kubeconfig into @kubernetes/client-node, with a clear error when it is missing.
import { existsSync, statSync } from 'node:fs';
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { shareExecCredentials } from './exec-credential.ts';

export interface KubeClients {
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  objects: KubernetesObjectApi;
}

// A kubeconfig whose user is an exec credential plugin is loaded once per version of the file,
// its plugin run once at a time (exec-credential.ts): every client of that lab shares one run of
// the plugin (a promoted lab's runs the CLI: seconds) per credential.
const withExecUser = new Map<string, { stamp: string; config: KubeConfig }>();

const loadKubeConfig = (path: string): KubeConfig => {
  const { mtimeMs, size } = statSync(path);
  const stamp = `${mtimeMs}:${size}`;
  const cached = withExecUser.get(path);
  if (cached?.stamp === stamp) return cached.config;
  const config = new KubeConfig();
  config.loadFromFile(path);
  if (config.getCurrentUser()?.exec) {
    shareExecCredentials(config);
    withExecUser.set(path, { stamp, config });
  } else withExecUser.delete(path);
  return config;
};

// Clients for the cluster a kubeconfig points at.
export const kubeClients = (kubeconfigPath: string): KubeClients => {
  if (!existsSync(kubeconfigPath)) {
    throw new KartStreamError('not-found', `kubeconfig ${kubeconfigPath} does not exist`, {
      fix: 'create the lab with `npx kartstream up`, or check the lab name with --name',
    });
  }
  const config = loadKubeConfig(kubeconfigPath);
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
