// Exec credential plugins (users[].user.exec), run once at a time. client-node runs the plugin
// for every request that finds no cached credential, so the first requests of a watch store
// (four lists, four watches) start eight plugins at once; a promoted lab's plugin is a Node
// process taking seconds, and eight of them took a loaded machine 50 s. Here every request of
// a KubeConfig waits for the one run in flight, and its credential is reused until it expires.
import { execa } from 'execa';
import type { KubeConfig, User } from '@kubernetes/client-node';

interface ExecPlugin {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  apiVersion?: string;
}

interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

const PLUGIN_TIMEOUT_MS = 60_000;
/** A credential this close to its expiry is minted again (a request may take that long). */
const EXPIRY_MARGIN_MS = 30_000;

// One plugin's credential: the cached one while it is fresh, else the one run in flight.
const sharedCredential = (plugin: ExecPlugin): (() => Promise<ExecCredentialStatus>) => {
  let cached: { status: ExecCredentialStatus; expires: number } | undefined;
  let running: Promise<ExecCredentialStatus> | undefined;
  const run = async (): Promise<ExecCredentialStatus> => {
    const apiVersion = plugin.apiVersion ?? 'client.authentication.k8s.io/v1beta1';
    const result = await execa(plugin.command, plugin.args ?? [], {
      env: {
        ...Object.fromEntries((plugin.env ?? []).map((e) => [e.name, e.value])),
        KUBERNETES_EXEC_INFO: JSON.stringify({
          apiVersion,
          kind: 'ExecCredential',
          spec: { interactive: false },
        }),
      },
      stdin: 'ignore',
      timeout: PLUGIN_TIMEOUT_MS,
      reject: false,
    });
    if (result.exitCode !== 0 || result.timedOut)
      throw new Error(
        `the credential plugin \`${plugin.command}\` failed: ${String(result.stderr).trim() || `exit ${result.exitCode}`}`,
      );
    const status = (JSON.parse(String(result.stdout)) as { status?: ExecCredentialStatus }).status ?? {};
    const expires = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Infinity;
    cached = { status, expires };
    return status;
  };
  return () => {
    if (cached && cached.expires - EXPIRY_MARGIN_MS > Date.now()) return Promise.resolve(cached.status);
    running ??= run().finally(() => (running = undefined));
    return running;
  };
};

/** Makes the exec credential plugins of a loaded KubeConfig run once at a time, shared by all its requests. */
export const shareExecCredentials = (config: KubeConfig): void => {
  const sources = new WeakMap<User, () => Promise<ExecCredentialStatus>>();
  // client-node's own runner picks any user with `exec`: those users lose it, and the
  // authenticator below (asked when no built-in one applies) runs it instead.
  config.users = config.users.map((user) => {
    if (!user.exec) return user;
    const { exec, ...rest } = user as User & { exec: ExecPlugin };
    const plain: User = { ...rest };
    sources.set(plain, sharedCredential(exec));
    return plain;
  });
  config.addAuthenticator({
    isAuthProvider: (user) => sources.has(user),
    applyAuthentication: async (user, opts) => {
      const status = await sources.get(user)!();
      const target = opts as { cert?: string; key?: string; headers?: Record<string, string> };
      if (status.clientCertificateData) target.cert = status.clientCertificateData;
      if (status.clientKeyData) target.key = status.clientKeyData;
      if (status.token) {
        target.headers ??= {};
        target.headers.Authorization = `Bearer ${status.token}`;
      }
    },
  });
};
