// A promoted cluster is a lab: after `promote apply` deploys the shop, the EKS cluster is
// registered as the external lab `<lab>-eks`, so status, the map, the terminal and scenarios work
// on it as on any attached cluster. Its kubeconfig holds no token: its user is the exec credential
// plugin of eks-exec-credential.ts, which mints a fresh one whenever kubectl or the engine needs
// it. `promote destroy` forgets the lab; `kartstream down` on it forgets it too, and the cluster
// stays (promote destroy deletes that).
import { rm } from 'node:fs/promises';
import { readAttachment, writeAttachment } from '../backends/external/attachment.ts';
import { writeKubeconfig } from '../backends/external/kubeconfig.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { checkLabName } from '../home/lab-name.ts';
import { labDir } from '../home/paths.ts';
import { labKubeconfigPath, readLabRecord, SHOP_NAMESPACE, writeLabRecord } from '../lab/lab-record.ts';
import { waitUntil } from '../tasks/wait.ts';
import type { TaskReporter } from '../tasks/task.ts';
import { tokenPlugin } from './eks-exec-credential.ts';
import { renderEksKubeconfig, type ClusterAccess } from './eks-kubeconfig.ts';
import type { PromoteNames } from './names.ts';

/** How long apply waits for AWS to give the shop's LoadBalancer an address. */
const SHOP_URL_WAIT_MS = 120_000;

/** The name of the lab a promoted lab's cluster is registered as. */
export const eksLabName = (lab: string): string => `${lab}-eks`;

/** The source an attachment of a promoted cluster names (how `promote destroy` knows its own). */
const promotedSource = (names: PromoteNames): string =>
  `kartstream promote: EKS cluster ${names.cluster} in ${names.region}`;

// Is `<lab>-eks` free, or already this promotion's lab? Checked before apply creates anything.
export const checkEksLabName = async (names: PromoteNames): Promise<string> => {
  const name = eksLabName(names.lab);
  try {
    checkLabName(name);
  } catch {
    throw new KartStreamError(
      'invalid-input',
      `lab ${names.lab} is promoted as lab ${name}, which is longer than a lab name may be (32 characters)`,
      { fix: 'promote a lab with a name of at most 28 characters, or add --infra-only' },
    );
  }
  const existing = await readLabRecord(name);
  if (existing && readAttachment(labDir(name))?.source !== promotedSource(names))
    throw new KartStreamError(
      'conflict',
      `the promoted cluster would be registered as lab ${name}, but a ${existing.backend} lab of that name exists`,
      {
        fix: `remove that lab first (npx kartstream down --name ${name}), or add --infra-only to promote without registering the cluster as a lab`,
      },
    );
  return name;
};

/** The lab kubeconfig of a promoted cluster: endpoint, CA, and the token plugin as its user. */
export const renderEksLabKubeconfig = (
  names: PromoteNames,
  access: ClusterAccess,
  lab: string,
  profile?: string,
) => renderEksKubeconfig(access, lab, { exec: tokenPlugin(names, profile) });

export interface EksLabInput {
  names: PromoteNames;
  access: ClusterAccess;
  topologyFile: string;
  profile?: string;
  /** How long to wait for the LoadBalancer's address (default two minutes). */
  shopUrlWaitMs?: number;
}

/**
 * Registers (or refreshes) the promoted cluster as the external lab `<lab>-eks` and returns its
 * name and the shop's URL, when the frontend-external LoadBalancer has an address in time.
 */
export const registerEksLab = async (
  input: EksLabInput,
  task: TaskReporter,
): Promise<{ lab: string; shopUrl?: string }> => {
  const name = await checkEksLabName(input.names);
  const existing = await readLabRecord(name);
  const kubeconfig = labKubeconfigPath(name);
  await writeKubeconfig(kubeconfig, renderEksLabKubeconfig(input.names, input.access, name, input.profile));
  // Loaded here only: --infra-only never needs the Kubernetes client.
  const { readShopUrl } = await import('../lab/attach-lab.ts');
  const { kubeClients } = await import('../kube/kube-client.ts');
  const clients = kubeClients(kubeconfig);
  task.progress(0.5, "waiting for the shop's load balancer address");
  let shopUrl: string | undefined;
  await waitUntil(async () => (shopUrl = await readShopUrl(clients)) !== undefined, {
    timeoutMs: input.shopUrlWaitMs ?? SHOP_URL_WAIT_MS,
    intervalMs: 5_000,
    signal: task.signal,
  });
  await writeAttachment(labDir(name), {
    source: promotedSource(input.names),
    context: `kartstream-${name}`,
    server: input.access.endpoint,
    ...(shopUrl ? { shopUrl } : {}),
    // promote deployed the shop; promote destroy removes it with the cluster, `down` never does.
    applied: [],
  });
  await writeLabRecord({
    name,
    backend: 'external',
    createdAt: existing?.createdAt ?? new Date().toISOString(),
    topologyFile: input.topologyFile,
    state: 'ready',
    namespace: SHOP_NAMESPACE,
    monitoring: true, // promote deploys the monitoring stack with the shop
  });
  return { lab: name, ...(shopUrl ? { shopUrl } : {}) };
};

/** Forgets the lab `<lab>-eks` if it is this promotion's (its cluster is gone); true when it was. */
export const forgetEksLab = async (names: PromoteNames): Promise<boolean> => {
  const name = eksLabName(names.lab);
  try {
    checkLabName(name);
  } catch {
    return false;
  }
  if (readAttachment(labDir(name))?.source !== promotedSource(names)) return false;
  await rm(labDir(name), { recursive: true, force: true });
  return true;
};
