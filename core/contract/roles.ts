// Who may call what: the one role table of a shared lab (docs/sharing.md). Every procedure and
// subscription of the router has a row here naming the capability it needs; the router's
// middleware refuses a caller without it, and the WebSocket upgrades are checked against the
// same capabilities. The local user (the loopback token) has every capability; a participant
// (an invite's token on the share listener) has those of their role, never `host`.

import { LOCAL_ACTOR } from './timeline-types.ts';

export const ROLES = ['facilitator', 'commander', 'operator', 'scribe', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * read: see the lab. note: notes and milestones. act: change the lab to repair it (scale, heal,
 * apply). inject: break it (faults, scenarios). facilitate: run the session (invites, hints).
 * host: touch this machine (create or delete labs, host files, AWS, the shell): local user only.
 */
export const CAPABILITIES = ['read', 'note', 'act', 'inject', 'facilitate', 'host'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  facilitator: ['read', 'note', 'act', 'inject', 'facilitate'],
  commander: ['read', 'note', 'act'],
  operator: ['read', 'act'],
  scribe: ['read', 'note'],
  observer: ['read'],
};

/** The capability each procedure needs, by its dotted path. */
export const PROCEDURE_CAPABILITY: Record<string, Capability> = {
  'app.info': 'read',
  'labs.list': 'read',
  'labs.info': 'read',
  'labs.backendChoice': 'read',
  'labs.topology': 'host', // reads a file of this machine
  'labs.doctor': 'host',
  'labs.create': 'host',
  'labs.remove': 'host',
  'labs.reset': 'host',
  'tasks.list': 'read',
  'tasks.get': 'read',
  'tasks.watch': 'read',
  'tasks.cancel': 'host', // a task id does not say which lab it belongs to
  'cluster.watch': 'read',
  'cluster.events': 'read',
  'cluster.usage': 'read',
  'logs.deployment': 'read',
  'logs.follow': 'read',
  'actions.failNode': 'inject',
  'actions.breakPods': 'inject',
  'actions.healNode': 'act',
  'actions.healPods': 'act',
  'actions.scalePool': 'act',
  'actions.scaleDeployment': 'act',
  'scenarios.list': 'read',
  'scenarios.get': 'read',
  'scenarios.active': 'read',
  'scenarios.watch': 'read',
  'scenarios.report': 'read',
  'scenarios.runs': 'read',
  'scenarios.start': 'inject',
  'scenarios.hint': 'facilitate',
  'scenarios.solution': 'facilitate',
  'scenarios.abort': 'facilitate',
  'alerts.list': 'read',
  'alerts.watch': 'read',
  'metrics.range': 'read',
  'dashboards.list': 'read',
  'dashboards.variableValues': 'read',
  'dashboards.panel': 'read',
  'traffic.graph': 'read',
  'grafana.open': 'host', // a port-forward on this machine's loopback
  'promote.identity': 'host', // this machine's AWS credentials
  'promote.plan': 'host',
  'promote.applyPlan': 'host',
  'promote.status': 'host',
  'promote.scale': 'host',
  'promote.destroy': 'host',
  'gameday.list': 'read',
  'gameday.status': 'read', // upcoming injects only for callers who may facilitate
  'gameday.start': 'inject',
  'gameday.pause': 'facilitate',
  'gameday.resume': 'facilitate',
  'gameday.injectNow': 'inject',
  'gameday.extend': 'facilitate',
  'gameday.end': 'facilitate',
  'gameday.hint': 'facilitate',
  'gameday.postmortem': 'read',
  'gameday.savePostmortem': 'note', // the scribe edits the draft with the team
  'share.status': 'read',
  'share.whoami': 'read',
  'share.invites': 'facilitate',
  'share.invite': 'facilitate',
  'share.revoke': 'facilitate',
  'share.stop': 'host',
  'timeline.list': 'read',
  'timeline.watch': 'read',
  'incident.declare': 'note',
  'incident.severity': 'note',
  'incident.milestone': 'note',
  'incident.note': 'note',
};

/**
 * The sockets outside tRPC: the lab terminal is a shell on this machine (local user only); a
 * participant's terminal socket is the kubectl console instead, with their own cluster identity.
 */
export const SOCKET_CAPABILITY = { terminal: 'host', console: 'read' } as const satisfies Record<
  string,
  Capability
>;

export type Caller =
  { kind: 'local' } | { kind: 'participant'; inviteId: string; person: string; role: Role; lab: string };

export const callerHas = (caller: Caller, capability: Capability): boolean =>
  caller.kind === 'local' || ROLE_CAPABILITIES[caller.role].includes(capability);

/** Who the caller is on the lab timeline: their person, or `local` for the local user. */
export const actorOf = (caller: Caller): string => (caller.kind === 'local' ? LOCAL_ACTOR : caller.person);

/**
 * What the caller sees of the timeline (core/lab/timeline-visibility.ts): everything for the
 * local user and facilitators (they run the game day), hidden entries held back for responders.
 */
export type TimelineViewer = 'all' | 'responder';
export const timelineViewerOf = (caller: Caller): TimelineViewer =>
  caller.kind === 'local' || caller.role === 'facilitator' ? 'all' : 'responder';

const rolesWith = (capability: Capability): string => {
  const roles = ROLES.filter((r) => ROLE_CAPABILITIES[r].includes(capability));
  return roles.length
    ? `roles ${roles.join(', ')}`
    : 'only the local user (on the machine that runs the lab)';
};

/**
 * Why `caller` may not call `path`, or undefined when it may. A path without a row is refused
 * to everyone but the local user, so a new procedure is never open by accident.
 */
export const refusal = (caller: Caller, path: string): string | undefined => {
  if (caller.kind === 'local') return undefined;
  const needs = PROCEDURE_CAPABILITY[path];
  if (needs === undefined) return `${path} has no row in the role table: only the local user may call it`;
  if (callerHas(caller, needs)) return undefined;
  return `${caller.person} has the ${caller.role} role, which may not call ${path} (it needs "${needs}": ${rolesWith(needs)})`;
};
