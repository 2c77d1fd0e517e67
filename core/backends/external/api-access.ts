// Can KartStream reach the attached cluster with the lab's kubeconfig? Each way it can fail gets
// its own message: a credential plugin that is missing or fails, credentials the API server
// refuses (401), an API server that does not answer.
import { execa } from 'execa';
import { isAbsolute } from 'node:path';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { findOnPath, isExecutableFile } from '../../exec/find-on-path.ts';
import { apiStatus, kubeClients, type KubeClients } from '../../kube/kube-client.ts';
import type { ExecCredentialPlugin } from './kubeconfig.ts';

const PLUGIN_TIMEOUT_MS = 30_000;
const API_TIMEOUT_MS = 15_000;

// What to install for the credential plugins people meet most.
const PLUGIN_FIXES: Record<string, string> = {
  aws: 'install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and log in (aws sso login or aws configure)',
  'aws-iam-authenticator':
    'install aws-iam-authenticator (https://github.com/kubernetes-sigs/aws-iam-authenticator)',
  'gke-gcloud-auth-plugin': 'install it with: gcloud components install gke-gcloud-auth-plugin',
  kubelogin: 'install kubelogin (https://azure.github.io/kubelogin/)',
};

const lastLines = (text: string, n = 5): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n);

/** Runs the kubeconfig's credential plugin once, as kubectl would, and says plainly why it failed. */
export const checkCredentialPlugin = async (
  plugin: ExecCredentialPlugin,
  kubeconfig: string,
): Promise<void> => {
  const where = `the kubeconfig's credential plugin (users[].user.exec.command in ${kubeconfig})`;
  const found = isAbsolute(plugin.command)
    ? (await isExecutableFile(plugin.command))
      ? plugin.command
      : undefined
    : await findOnPath(plugin.command);
  if (!found)
    throw new KartStreamError(
      'missing-binary',
      `${where} runs "${plugin.command}", which is not ${isAbsolute(plugin.command) ? 'an executable file' : 'on PATH'}`,
      {
        fix: `${PLUGIN_FIXES[plugin.command] ?? `install ${plugin.command}, or put it on PATH`}; or edit the command in the kubeconfig`,
      },
    );
  const env = Object.fromEntries((plugin.env ?? []).map((e) => [e.name, e.value]));
  const result = await execa(found, plugin.args ?? [], {
    env: {
      ...env,
      KUBERNETES_EXEC_INFO: JSON.stringify({
        apiVersion: plugin.apiVersion ?? 'client.authentication.k8s.io/v1beta1',
        kind: 'ExecCredential',
        spec: { interactive: false },
      }),
    },
    reject: false,
    timeout: PLUGIN_TIMEOUT_MS,
    stdin: 'ignore',
  });
  const shown = [plugin.command, ...(plugin.args ?? [])].join(' ');
  if (result.timedOut || result.exitCode !== 0)
    throw new KartStreamError(
      'command-failed',
      `${where} failed: \`${shown}\` ${result.timedOut ? `did not finish within ${PLUGIN_TIMEOUT_MS / 1000} s` : `exited with ${result.exitCode}`}`,
      {
        details: lastLines(String(result.stderr)),
        fix: `run \`${shown}\` yourself to see why (often the login has expired: log in again with your provider's CLI)`,
      },
    );
  let credential: { status?: { token?: string; clientCertificateData?: string } } | undefined;
  try {
    credential = JSON.parse(String(result.stdout)) as typeof credential;
  } catch {
    credential = undefined;
  }
  if (!credential?.status?.token && !credential?.status?.clientCertificateData)
    throw new KartStreamError(
      'command-failed',
      `${where} printed no credential: \`${shown}\` must print an ExecCredential JSON with status.token`,
      {
        details: lastLines(String(result.stdout), 3),
        fix: `run \`${shown}\` yourself and check its output`,
      },
    );
};

// The first string `code` on an error or its causes (fetch puts ECONNREFUSED on the cause).
const networkCode = (error: unknown): string | undefined => {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 5;
    e = e.cause as typeof e, i++
  )
    if (typeof e.code === 'string') return e.code;
  return undefined;
};

/** Asks the API server for the nodes once; a clear error for each way that fails. Returns the clients. */
export const checkApiAccess = async (
  kubeconfig: string,
  server: string,
  source: string,
): Promise<KubeClients> => {
  const clients = kubeClients(kubeconfig);
  const timeout = new Promise<never>((_resolve, reject) =>
    setTimeout(
      () => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
      API_TIMEOUT_MS,
    ).unref(),
  );
  try {
    await Promise.race([clients.core.listNode({ limit: 1 }), timeout]);
    return clients;
  } catch (error) {
    const status = apiStatus(error);
    if (status === 401)
      throw new KartStreamError(
        'invalid-input',
        `the API server at ${server} refused the credentials of ${source} (401 Unauthorized)`,
        {
          details: ['the token or client certificate has expired or is not valid for this cluster'],
          fix: "get fresh credentials from your cluster's provider (for EKS: aws eks update-kubeconfig), then attach again",
        },
      );
    if (status === 403)
      throw new KartStreamError(
        'invalid-input',
        `the credentials of ${source} may not list nodes on ${server} (403 Forbidden)`,
        {
          fix: 'use a context whose user may read nodes and pods and patch nodes and Deployments (cluster-admin, or a role with those verbs)',
        },
      );
    const code = networkCode(error);
    if (code && status === undefined)
      throw new KartStreamError(
        'backend-unavailable',
        `the API server at ${server} does not answer (${code})`,
        {
          details: [`named by ${source}`],
          fix: 'check that the cluster is running and that this machine can reach that address (VPN, firewall), or pick another context with --context',
        },
      );
    throw new KartStreamError(
      'cluster-failed',
      `failed to list the nodes of ${server}: ${(error as Error).message}`,
      {
        cause: error,
        fix: `check the cluster with: kubectl --kubeconfig ${source} get nodes`,
      },
    );
  }
};
