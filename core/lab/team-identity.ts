// A participant's identity in the lab's cluster (docs/sharing.md): made when they are invited,
// removed when the invite is revoked (deleting the ServiceAccount kills its tokens). Their
// kubeconfig carries a token from the TokenRequest API that lasts as long as the invite, and is
// what their console and the server's actions on their behalf use.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import type { Role } from '../contract/roles.ts';
import { TEAM_NAMESPACE, personServiceAccount } from '../contract/team-identity.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { personKubeconfigFile } from '../home/paths.ts';
import { writePrivateFile } from '../home/private-files.ts';
import { apiStatus, kubeClients, type KubeClients } from '../kube/kube-client.ts';
import { serverSideApply } from '../kube/server-side-apply.ts';
import { personObjectNames, renderPersonIdentity, renderTeamBase } from '../kube/team-rbac.ts';
import { labKubeconfigPath, readLabRecord } from './lab-record.ts';

/** The API server refuses tokens shorter than 10 minutes. */
const MIN_TOKEN_SECONDS = 600;

export interface PersonGrant {
  person: string;
  role: Role;
  expiresAt: string;
}

const ignoreMissing = (error: unknown): void => {
  if (apiStatus(error) !== 404) throw error;
};

const deleteBindings = async ({ config }: KubeClients, person: string, shopNamespace: string) => {
  const rbac = config.makeApiClient(RbacAuthorizationV1Api);
  const names = personObjectNames(person);
  await rbac
    .deleteNamespacedRoleBinding({ name: names.shopBinding, namespace: shopNamespace })
    .catch(ignoreMissing);
  await rbac.deleteClusterRoleBinding({ name: names.nodeBinding }).catch(ignoreMissing);
};

interface KubeconfigDocument {
  clusters: { name: string; cluster: Record<string, unknown> }[];
}

/** A kubeconfig for the lab's API server that authenticates with `token`, in the shop's namespace. */
export const renderPersonKubeconfig = (
  adminKubeconfig: string,
  lab: string,
  account: string,
  token: string,
  namespace: string,
): string => {
  const cluster = (parse(adminKubeconfig) as KubeconfigDocument).clusters[0];
  if (!cluster) throw new KartStreamError('cluster-failed', `the kubeconfig of lab ${lab} names no cluster`);
  const id = `kartstream-${lab}-${account}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: id, cluster: cluster.cluster }],
    users: [{ name: id, user: { token } }],
    contexts: [{ name: id, context: { cluster: id, user: id, namespace } }],
    'current-context': id,
  });
};

/**
 * Creates (or re-creates, for a new role) the person's ServiceAccount and bindings, and writes
 * their kubeconfig with a token lasting until the invite expires. Returns the kubeconfig's path,
 * or undefined when the lab has not been created.
 */
export const grantTeamIdentity = async (
  lab: string,
  grant: PersonGrant,
  now = Date.now(),
): Promise<string | undefined> => {
  // A lab shared before it was created has no cluster yet: nothing to grant in it.
  const record = await readLabRecord(lab);
  if (!record) return undefined;
  const clients = kubeClients(labKubeconfigPath(record.name));
  await deleteBindings(clients, grant.person, record.namespace);
  await serverSideApply(clients, [
    ...renderTeamBase(),
    ...renderPersonIdentity(grant.person, grant.role, record.namespace),
  ]);
  const account = personServiceAccount(grant.person);
  const seconds = Math.max(MIN_TOKEN_SECONDS, Math.ceil((Date.parse(grant.expiresAt) - now) / 1000));
  const request = await clients.core.createNamespacedServiceAccountToken({
    name: account,
    namespace: TEAM_NAMESPACE,
    body: { spec: { audiences: [], expirationSeconds: seconds } },
  });
  const token = request.status?.token;
  if (!token)
    throw new KartStreamError(
      'cluster-failed',
      `lab ${lab} gave no token for ${grant.person}'s ServiceAccount ${account}`,
    );
  const file = personKubeconfigFile(lab, account);
  await writePrivateFile(
    file,
    renderPersonKubeconfig(
      await readFile(labKubeconfigPath(record.name), 'utf8'),
      lab,
      account,
      token,
      record.namespace,
    ),
  );
  return file;
};

/** Deletes the person's ServiceAccount (its tokens stop working), bindings and kubeconfig. */
export const withdrawTeamIdentity = async (lab: string, person: string): Promise<void> => {
  const account = personServiceAccount(person);
  await rm(personKubeconfigFile(lab, account), { force: true });
  const record = await readLabRecord(lab);
  if (!record) return;
  const clients = kubeClients(labKubeconfigPath(record.name));
  await clients.core
    .deleteNamespacedServiceAccount({ name: account, namespace: TEAM_NAMESPACE })
    .catch(ignoreMissing);
  await deleteBindings(clients, person, record.namespace);
};

/** The person's kubeconfig, made when they were invited; a clear error when it is not there. */
export const personKubeconfig = (lab: string, person: string): string => {
  const file = personKubeconfigFile(lab, personServiceAccount(person));
  if (!existsSync(file))
    throw new KartStreamError('not-found', `${person} has no identity in lab ${lab}'s cluster`, {
      details: [`expected their kubeconfig at ${file}`],
      fix: `invite them again: kartstream invite revoke --name ${lab} "${person}", then kartstream invite --name ${lab} ...`,
    });
  return file;
};
