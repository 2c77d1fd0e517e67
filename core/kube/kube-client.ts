// Loads a lab's kubeconfig into @kubernetes/client-node, with a clear error when it is missing or
// broken; every request of its clients has a deadline (an API server that accepts connections and
// never answers would otherwise hold a call forever).
import { existsSync, statSync } from 'node:fs';
import {
  AppsV1Api,
  CoreV1Api,
  createConfiguration,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  KubernetesObjectApi,
  ServerConfiguration,
  wrapHttpLibrary,
  type Configuration,
  type HttpLibrary,
} from '@kubernetes/client-node';
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
  try {
    config.loadFromFile(path);
  } catch (error) {
    throw brokenKubeconfig(path, (error as Error).message);
  }
  if (!config.getCurrentCluster())
    throw brokenKubeconfig(path, 'it names no current context with a cluster (is it a kubeconfig?)');
  if (config.getCurrentUser()?.exec) {
    shareExecCredentials(config);
    withExecUser.set(path, { stamp, config });
  } else withExecUser.delete(path);
  return config;
};

const brokenKubeconfig = (path: string, why: string): KartStreamError =>
  new KartStreamError('invalid-input', `kubeconfig ${path} cannot be used`, {
    details: [why],
    fix: `repair ${path} (\`kubectl --kubeconfig ${path} config view\` shows what it holds), or bring the lab back with \`npx kartstream up\``,
  });

/** The longest a single API request (not a watch or a log stream) may take. */
export const API_REQUEST_TIMEOUT_MS = 20_000;

// node-fetch with a deadline for requests that carry no signal of their own.
const boundedHttp = (server: string): HttpLibrary => {
  const fetchLibrary = new IsomorphicFetchHttpLibrary();
  return wrapHttpLibrary({
    send: async (request) => {
      if (request.getSignal()) return fetchLibrary.send(request).toPromise();
      const deadline = AbortSignal.timeout(API_REQUEST_TIMEOUT_MS);
      request.setSignal(deadline);
      try {
        return await fetchLibrary.send(request).toPromise();
      } catch (error) {
        if (!deadline.aborted) throw error;
        throw new KartStreamError(
          'timeout',
          `the Kubernetes API at ${server} did not answer within ${API_REQUEST_TIMEOUT_MS / 1000} s`,
          { fix: 'check that the lab is running (npx kartstream status), or bring it back on the Labs page' },
        );
      }
    },
  });
};

// What `KubeConfig.makeApiClient` builds, with the bounded HTTP library.
const apiConfiguration = (config: KubeConfig): Configuration => {
  const server = config.getCurrentCluster()?.server ?? '';
  return createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: config },
    httpApi: boundedHttp(server),
  });
};

// KubernetesObjectApi.makeApiClient, on the bounded configuration: the context's namespace is the default.
class ContextObjectApi extends KubernetesObjectApi {
  constructor(api: Configuration, config: KubeConfig) {
    super(api);
    this.setDefaultNamespace(config);
  }
}

// Clients for the cluster a kubeconfig points at.
export const kubeClients = (kubeconfigPath: string): KubeClients => {
  if (!existsSync(kubeconfigPath)) {
    throw new KartStreamError('not-found', `kubeconfig ${kubeconfigPath} does not exist`, {
      fix: 'create the lab with `npx kartstream up`, or check the lab name with --name',
    });
  }
  const config = loadKubeConfig(kubeconfigPath);
  const api = apiConfiguration(config);
  return {
    config,
    core: new CoreV1Api(api),
    apps: new AppsV1Api(api),
    objects: new ContextObjectApi(api, config),
  };
};

// The HTTP status of an API error, if it has one.
export const apiStatus = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
};
