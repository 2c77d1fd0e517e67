// The lab's changes as the API server's audit log records them (docs/sharing.md): each audited
// write becomes {at, actor, verb, resource, namespace, name, text}, its actor read from the
// identity that made it, never guessed. A team ServiceAccount is its person (from the invites,
// or its PERSON_ANNOTATION); the lab's admin identity is `local`; controllers, kubelets and KWOK
// (which also use the admin identity) are left out.
import { existsSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { kindAuditFiles } from '../backends/kind/audit.ts';
import { kwokAuditLog } from '../backends/sim/kwokctl.ts';
import { LOCAL_ACTOR } from '../contract/timeline-types.ts';
import {
  PERSON_ANNOTATION,
  TEAM_NAMESPACE,
  personServiceAccount,
  teamServiceAccountOf,
} from '../contract/team-identity.ts';
import { invitesFile, labDir } from '../home/paths.ts';
import { kubeClients } from '../kube/kube-client.ts';
import { labKubeconfigPath, requireLabRecord } from './lab-record.ts';

export interface AuditChange {
  at: string;
  /** The person, or `local` for the lab's owner. */
  actor: string;
  verb: string;
  /** `deployments`, or `deployments/scale` for a subresource. */
  resource: string;
  namespace?: string;
  name?: string;
  text: string;
}

/** The fields of an audit.k8s.io/v1 Event that are read here. */
export interface AuditEvent {
  stage?: string;
  verb?: string;
  user?: { username?: string; groups?: string[] };
  userAgent?: string;
  objectRef?: {
    resource?: string;
    subresource?: string;
    namespace?: string;
    name?: string;
    apiGroup?: string;
  };
  responseStatus?: { code?: number };
  stageTimestamp?: string;
  requestReceivedTimestamp?: string;
}

/** Who a team ServiceAccount is: its person's name, by ServiceAccount name. */
export type PeopleByAccount = ReadonlyMap<string, string>;

const PAST: Record<string, string> = {
  create: 'created',
  update: 'updated',
  patch: 'patched',
  delete: 'deleted',
  deletecollection: 'deleted every',
};

// KWOK (the kubelets) and, on sim, the controller manager and scheduler use the admin identity
// too: their writes (node taints, finishing pod deletions) are the cluster's own, not the owner's.
const isClusterMachinery = (event: AuditEvent): boolean =>
  /^(kwok|kwokctl|kube-controller-manager|kube-scheduler|metrics-server)\//.test(event.userAgent ?? '');

const describe = (event: AuditEvent, actor: string): string => {
  const ref = event.objectRef ?? {};
  const kind = (ref.resource ?? 'object').replace(/s$/, '');
  const what = `${kind}${ref.name ? ` ${ref.name}` : 's'}${ref.namespace ? ` in ${ref.namespace}` : ''}`;
  if (ref.subresource === 'scale') return `${actor} scaled ${what}`;
  const verb = PAST[event.verb ?? ''] ?? event.verb ?? 'changed';
  return `${actor} ${verb} ${what}${ref.subresource ? ` (${ref.subresource})` : ''}`;
};

/** The change an audit event records, or undefined when it is no person's successful write. */
export const auditChange = (event: AuditEvent, people: PeopleByAccount): AuditChange | undefined => {
  if (event.stage !== 'ResponseComplete' || !event.verb || !(event.verb in PAST)) return undefined;
  const code = event.responseStatus?.code ?? 0;
  if (code < 200 || code >= 300) return undefined;
  const username = event.user?.username ?? '';
  const account = teamServiceAccountOf(username);
  let actor: string;
  if (account !== undefined) actor = people.get(account) ?? account;
  else if (username.startsWith('system:') || !username || isClusterMachinery(event)) return undefined;
  else actor = LOCAL_ACTOR;
  const ref = event.objectRef ?? {};
  return {
    at: event.stageTimestamp ?? event.requestReceivedTimestamp ?? new Date(0).toISOString(),
    actor,
    verb: event.verb,
    resource: ref.subresource ? `${ref.resource ?? ''}/${ref.subresource}` : (ref.resource ?? ''),
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    ...(ref.name ? { name: ref.name } : {}),
    text: describe(event, actor),
  };
};

/** The changes of a chunk of the log (JSON lines); lines that are not events are skipped. */
export const auditChanges = (text: string, people: PeopleByAccount): AuditChange[] =>
  text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      const change = auditChange(JSON.parse(line) as AuditEvent, people);
      return change ? [change] : [];
    } catch {
      return [];
    }
  });

/** Where the lab's API server writes its audit log, or undefined for a backend without one. */
export const labAuditLog = async (lab: string): Promise<string | undefined> => {
  const record = await requireLabRecord(lab);
  if (record.backend === 'sim') return kwokAuditLog({ dir: labDir(lab), name: lab });
  if (record.backend === 'kind') return kindAuditFiles(labDir(lab)).log;
  return undefined;
};

/**
 * Every person the lab's team ServiceAccounts stand for: from the invites (revoked ones too, so
 * old changes keep their person) and from the annotations of the accounts in the cluster.
 */
export const teamPeople = async (lab: string): Promise<Map<string, string>> => {
  const people = new Map<string, string>();
  const invites = await readFile(invitesFile(lab), 'utf8').then(
    (text) => (JSON.parse(text) as { invites?: { person?: unknown }[] }).invites ?? [],
    () => [],
  );
  for (const { person } of invites)
    if (typeof person === 'string') people.set(personServiceAccount(person), person);
  try {
    const { core } = kubeClients(labKubeconfigPath(lab));
    for (const sa of (await core.listNamespacedServiceAccount({ namespace: TEAM_NAMESPACE })).items) {
      const person = sa.metadata?.annotations?.[PERSON_ANNOTATION];
      if (sa.metadata?.name && person) people.set(sa.metadata.name, person);
    }
  } catch {
    // The cluster is down or has no team yet: the invites say who is who.
  }
  return people;
};

/** Reads the log from `offset`: the complete lines after it, and where the next read starts. */
const readFrom = async (file: string, offset: number): Promise<{ text: string; next: number }> => {
  const size = (await stat(file)).size;
  // A smaller file was rotated: start again from its beginning.
  const from = size < offset ? 0 : offset;
  if (size === from) return { text: '', next: from };
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    const end = buffer.lastIndexOf(0x0a) + 1;
    return { text: buffer.subarray(0, end).toString('utf8'), next: from + end };
  } finally {
    await handle.close();
  }
};

/** Every attributed change the lab's audit log holds (empty when the lab has no audit log). */
export const readAuditChanges = async (lab: string, since?: string): Promise<AuditChange[]> => {
  const file = await labAuditLog(lab);
  if (!file || !existsSync(file)) return [];
  const changes = auditChanges((await readFrom(file, 0)).text, await teamPeople(lab));
  return since ? changes.filter((c) => c.at >= since) : changes;
};

const FOLLOW_INTERVAL_MS = 500;
const TEAM_USERNAME = new RegExp(`system:serviceaccount:${TEAM_NAMESPACE}:([a-z0-9-]+)`, 'g');

/**
 * Follows the lab's audit log from its current end, calling `onChange` for each new change
 * until `stop()`. New people are looked up again whenever a team account is not known yet.
 */
export const followAuditChanges = async (
  lab: string,
  onChange: (change: AuditChange) => void,
): Promise<{ stop(): void }> => {
  const file = await labAuditLog(lab);
  let people = await teamPeople(lab);
  let offset = file && existsSync(file) ? (await stat(file)).size : 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (!file || !existsSync(file)) return;
    const { text, next } = await readFrom(file, offset);
    offset = next;
    if (!text) return;
    if ([...text.matchAll(TEAM_USERNAME)].some((m) => !people.has(m[1]!))) people = await teamPeople(lab);
    for (const change of auditChanges(text, people)) onChange(change);
  };
  const loop = () => {
    timer = setTimeout(() => {
      void tick()
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) loop();
        });
    }, FOLLOW_INTERVAL_MS);
  };
  loop();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
