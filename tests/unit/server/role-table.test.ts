// The role table, cell by cell: every procedure of the router × every role, through the router's
// own middleware. The procedure lists below are this test's reading of the roles, written
// independently of core/contract/roles.ts; a procedure added to the router without a row in both
// fails here.
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { appRouter, type ApiContext } from '../../../core/contract/router.ts';
import { PROCEDURE_CAPABILITY, ROLES, type Caller, type Role } from '../../../core/contract/roles.ts';
import type { KartStreamServices } from '../../../core/contract/services.ts';

const READ = [
  'app.info',
  'labs.list',
  'labs.info',
  'labs.backendChoice',
  'tasks.list',
  'tasks.get',
  'tasks.watch',
  'cluster.watch',
  'cluster.events',
  'cluster.usage',
  'logs.deployment',
  'logs.follow',
  'scenarios.list',
  'scenarios.get',
  'scenarios.active',
  'scenarios.watch',
  'scenarios.report',
  'scenarios.runs',
  'alerts.list',
  'alerts.watch',
  'metrics.range',
  'dashboards.list',
  'dashboards.variableValues',
  'dashboards.panel',
  'traffic.graph',
  'share.status',
  'share.whoami',
  'timeline.list',
  'timeline.watch',
  'gameday.list',
  'gameday.status',
  'gameday.postmortem',
];
// Notes and milestones: the scribe's part, and editing the postmortem draft with the team.
const NOTE = [
  'incident.declare',
  'incident.severity',
  'incident.milestone',
  'incident.note',
  'gameday.savePostmortem',
];
const ACT = ['actions.healNode', 'actions.healPods', 'actions.scalePool', 'actions.scaleDeployment'];
const INJECT = [
  'actions.failNode',
  'actions.breakPods',
  'scenarios.start',
  'gameday.start',
  'gameday.injectNow',
];
const FACILITATE = [
  'scenarios.hint',
  'scenarios.solution',
  'scenarios.abort',
  'share.invites',
  'share.invite',
  'share.revoke',
  'gameday.pause',
  'gameday.resume',
  'gameday.extend',
  'gameday.end',
  'gameday.hint',
];
const HOST = [
  'labs.topology',
  'labs.doctor',
  'labs.create',
  'labs.remove',
  'labs.reset',
  'tasks.cancel',
  'grafana.open',
  'promote.identity',
  'promote.plan',
  'promote.applyPlan',
  'promote.status',
  'promote.scale',
  'promote.destroy',
  'share.stop',
];

const ALLOWED: Record<Role, string[]> = {
  facilitator: [...READ, ...NOTE, ...ACT, ...INJECT, ...FACILITATE],
  commander: [...READ, ...NOTE, ...ACT],
  operator: [...READ, ...ACT],
  scribe: [...READ, ...NOTE],
  observer: [...READ],
};

const paths = Object.keys(appRouter._def.procedures).sort();

// Every service method answers "reached": the test is about who gets past the middleware.
const reached = (): KartStreamServices =>
  new Proxy({} as KartStreamServices, {
    get: () =>
      new Proxy(
        {},
        {
          get: (_area, method) =>
            String(method) === 'watch' || String(method) === 'follow'
              ? async function* () {
                  yield 'reached';
                }
              : () => Promise.resolve('reached'),
        },
      ),
  });

const context = (caller: Caller, valid = true): ApiContext => ({
  services: reached(),
  caller,
  callerValid: () => valid,
});

const participant = (role: Role, lab = 'demo'): Caller => ({
  kind: 'participant',
  inviteId: 'abcd1234',
  person: `Pat ${role}`,
  role,
  lab,
});

/** Calls a procedure by path; resolves to 'reached' or to the error the caller got. */
const call = async (ctx: ApiContext, path: string, input: unknown = { lab: 'demo' }): Promise<unknown> => {
  const [area = '', name = ''] = path.split('.');
  const caller = appRouter.createCaller(ctx) as unknown as Record<
    string,
    Record<string, (i: unknown) => unknown>
  >;
  try {
    const result = await caller[area]?.[name]?.(input);
    if (result && typeof result === 'object' && Symbol.asyncIterator in result)
      for await (const value of result as AsyncIterable<unknown>) return value;
    return result;
  } catch (error) {
    return error;
  }
};

const isForbidden = (outcome: unknown): outcome is TRPCError =>
  outcome instanceof TRPCError && outcome.code === 'FORBIDDEN';

describe('the role table', () => {
  it('has one row for every procedure of the router, and none for a procedure that does not exist', () => {
    expect(Object.keys(PROCEDURE_CAPABILITY).sort()).toEqual(paths);
    expect([...READ, ...NOTE, ...ACT, ...INJECT, ...FACILITATE, ...HOST].sort()).toEqual(paths);
  });

  it('keeps the local user and the host-only procedures apart from every role', () => {
    for (const path of HOST) expect(PROCEDURE_CAPABILITY[path]).toBe('host');
  });

  describe.each(ROLES)('%s', (role) => {
    it.each(paths)(`%s`, async (path) => {
      const outcome = await call(context(participant(role)), path);
      if (ALLOWED[role].includes(path)) {
        // Past the role check: the service answered, or the input was refused (this test sends
        // only `{ lab }`), never FORBIDDEN.
        expect(isForbidden(outcome), String(outcome)).toBe(false);
      } else {
        expect(isForbidden(outcome)).toBe(true);
        expect((outcome as TRPCError).message).toContain(`the ${role} role, which may not call ${path}`);
      }
    });
  });

  it('lets the local user call every procedure', async () => {
    for (const path of paths) expect(isForbidden(await call(context({ kind: 'local' }), path))).toBe(false);
  });

  it('keeps a participant in the lab of their invite', async () => {
    const outcome = await call(context(participant('facilitator')), 'labs.info', { lab: 'other' });
    expect(isForbidden(outcome)).toBe(true);
    expect((outcome as TRPCError).message).toBe("Pat facilitator's invite is for lab demo, not other");
    expect(await call(context(participant('observer')), 'labs.info', { lab: 'demo' })).toBe('reached');
  });

  it('refuses every call of a revoked or expired invite, reads included', async () => {
    const outcome = await call(context(participant('facilitator'), false), 'app.info');
    expect(outcome).toBeInstanceOf(TRPCError);
    expect((outcome as TRPCError).code).toBe('UNAUTHORIZED');
    expect((outcome as TRPCError).message).toBe('this invite was revoked or has expired');
  });

  it('tells each caller who they are and what they may do', async () => {
    expect(await call(context(participant('scribe')), 'share.whoami', undefined)).toEqual({
      kind: 'participant',
      person: 'Pat scribe',
      role: 'scribe',
      capabilities: ['read', 'note'],
    });
    expect(await call(context({ kind: 'local' }), 'share.whoami', undefined)).toMatchObject({
      kind: 'local',
      capabilities: ['read', 'note', 'act', 'inject', 'facilitate', 'host'],
    });
  });
});
