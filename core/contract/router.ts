// The typed API between the core server and the renderer (tRPC v11). Inputs are validated by the
// zod schemas in inputs.ts; errors carry a `WireError` in `error.data.wire`. The renderer imports
// only `type AppRouter` from here; `core/server` supplies the services in the request context.
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import * as input from './inputs.ts';
import { actorOf, CAPABILITIES, callerHas, refusal, timelineViewerOf, type Caller } from './roles.ts';
import type { KartStreamServices } from './services.ts';
import type { WhoAmI } from './share-types.ts';
import type { WireError } from './wire-types.ts';

export interface ApiContext {
  services: KartStreamServices;
  /** Who sent the request: the local user, or an invite's person and role (roles.ts). */
  caller: Caller;
  /** False once the caller's invite is revoked or expired (always true for the local user). */
  callerValid(): boolean;
}

/** Pulls `{ code, message, details, fix, logPath }` out of an engine error without importing it. */
const wireErrorOf = (error: TRPCError): WireError => {
  const cause = error.cause as
    | {
        code?: unknown;
        message?: string;
        details?: unknown;
        fix?: unknown;
        logPath?: unknown;
        issues?: unknown;
      }
    | undefined;
  if (cause && Array.isArray(cause.issues)) {
    const issues = cause.issues as { path: PropertyKey[]; message: string }[];
    const fields = issues.map((i) => ({
      path: i.path.map(String).join('.') || '(input)',
      message: i.message,
    }));
    return {
      code: 'invalid-input',
      message: `invalid input: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
      details: [],
      fields,
    };
  }
  if (cause && typeof cause.code === 'string' && typeof cause.message === 'string') {
    return {
      code: cause.code,
      message: cause.message,
      details: Array.isArray(cause.details) ? cause.details.map(String) : [],
      ...(typeof cause.fix === 'string' ? { fix: cause.fix } : {}),
      ...(typeof cause.logPath === 'string' ? { logPath: cause.logPath } : {}),
    };
  }
  // tRPC's own refusals, in words that say what was wrong and what to send instead.
  if (error.code === 'PAYLOAD_TOO_LARGE')
    return {
      code: 'payload-too-large',
      message: `the request is larger than ${MAX_REQUEST_BYTES / 1024} KiB`,
      details: [],
      fix: 'send a smaller input',
    };
  // Only a WebSocket message that is no tRPC request gets this code.
  if (error.code === 'PARSE_ERROR')
    return {
      code: 'parse-error',
      message: `the WebSocket message is not a tRPC request: ${error.message}`,
      details: [],
      fix: 'send JSON text frames such as {"id":1,"method":"query","params":{"path":"app.info"}} (method: query, mutation, subscription or subscription.stop)',
    };
  if (error.cause instanceof SyntaxError)
    return {
      code: 'bad-request',
      message: `the input is not valid JSON: ${error.cause.message}`,
      details: [],
      fix: 'send the input as JSON: the body of a POST, or ?input=<URL-encoded JSON> on a GET',
    };
  return { code: error.code.toLowerCase().replace(/_/g, '-'), message: error.message, details: [] };
};

const t = initTRPC.context<ApiContext>().create({
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: { ...shape.data, stack: undefined, wire: wireErrorOf(error) },
  }),
});

const labOf = (raw: unknown): unknown =>
  raw && typeof raw === 'object' && 'lab' in raw ? (raw as { lab: unknown }).lab : undefined;

// Every procedure and subscription passes the role table first; a participant also stays in the
// lab their invite is for. Subscriptions are checked when they start; a revoked invite's sockets
// are closed by the server.
const authorized = t.middleware(async ({ ctx, path, getRawInput, next }) => {
  if (!ctx.callerValid())
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'this invite was revoked or has expired' });
  const why = refusal(ctx.caller, path);
  if (why) throw new TRPCError({ code: 'FORBIDDEN', message: why });
  if (ctx.caller.kind === 'participant') {
    const lab = labOf(await getRawInput());
    if (lab !== undefined && lab !== ctx.caller.lab)
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `${ctx.caller.person}'s invite is for lab ${ctx.caller.lab}, not ${String(lab)}`,
      });
  }
  return next();
});
const q = t.procedure.use(authorized);

// A facilitator's request that needs nothing but the lab (pause, resume, end, reveal a hint).
const gamedayRequest = (type: 'pause' | 'resume' | 'end' | 'hint') =>
  q
    .input(input.labInput)
    .mutation(({ ctx, input }) => ctx.services.gameday.control(input.lab, { type }, actorOf(ctx.caller)));

const whoAmI = (caller: Caller): WhoAmI =>
  caller.kind === 'local'
    ? { kind: 'local', capabilities: [...CAPABILITIES] }
    : {
        kind: 'participant',
        person: caller.person,
        role: caller.role,
        capabilities: CAPABILITIES.filter((c) => callerHas(caller, c)),
      };

export const appRouter = t.router({
  app: t.router({
    info: q.query(({ ctx }) => ctx.services.app.info()),
  }),
  labs: t.router({
    list: q.query(({ ctx }) => ctx.services.labs.list()),
    info: q.input(input.labInput).query(({ ctx, input }) => ctx.services.labs.info(input.lab)),
    backendChoice: q
      .input(input.backendChoiceInput)
      .query(({ ctx, input }) => ctx.services.labs.backendChoice(input.backend)),
    topology: q
      .input(input.topologyInput)
      .query(({ ctx, input }) => ctx.services.labs.topology(input.topologyFile)),
    doctor: q.query(({ ctx }) => ctx.services.labs.doctor()),
    create: q.input(input.createLabInput).mutation(({ ctx, input }) => ctx.services.labs.create(input)),
    remove: q.input(input.labInput).mutation(({ ctx, input }) => ctx.services.labs.remove(input.lab)),
    reset: q.input(input.labInput).mutation(({ ctx, input }) => ctx.services.labs.reset(input.lab)),
  }),
  tasks: t.router({
    list: q.query(({ ctx }) => ctx.services.tasks.list()),
    get: q.input(input.idInput).query(({ ctx, input }) => ctx.services.tasks.get(input.id)),
    cancel: q.input(input.idInput).mutation(({ ctx, input }) => ctx.services.tasks.cancel(input.id)),
    watch: q.input(input.idInput).subscription(async function* ({ ctx, input, signal }) {
      yield* ctx.services.tasks.watch(input.id, signal ?? new AbortController().signal);
    }),
  }),
  cluster: t.router({
    watch: q.input(input.labInput).subscription(async function* ({ ctx, input, signal }) {
      yield* ctx.services.cluster.watch(input.lab, signal ?? new AbortController().signal);
    }),
    events: q.input(input.eventsInput).query(({ ctx, input }) => ctx.services.cluster.events(input)),
    usage: q.input(input.labInput).query(({ ctx, input }) => ctx.services.cluster.usage(input.lab)),
  }),
  logs: t.router({
    deployment: q
      .input(input.deploymentLogsInput)
      .query(({ ctx, input }) => ctx.services.logs.deployment(input)),
    follow: q.input(input.deploymentLogsInput).subscription(async function* ({ ctx, input, signal }) {
      yield* ctx.services.logs.follow(input, signal ?? new AbortController().signal);
    }),
  }),
  actions: t.router({
    failNode: q
      .input(input.nodeInput)
      .mutation(({ ctx, input }) => ctx.services.actions.failNode(input, ctx.caller)),
    healNode: q
      .input(input.nodeInput)
      .mutation(({ ctx, input }) => ctx.services.actions.healNode(input, ctx.caller)),
    scalePool: q
      .input(input.scalePoolInput)
      .mutation(({ ctx, input }) => ctx.services.actions.scalePool(input)),
    scaleDeployment: q
      .input(input.scaleDeploymentInput)
      .mutation(({ ctx, input }) => ctx.services.actions.scaleDeployment(input, ctx.caller)),
    breakPods: q
      .input(input.breakPodsInput)
      .mutation(({ ctx, input }) => ctx.services.actions.breakPods(input, ctx.caller)),
    healPods: q
      .input(input.healPodsInput)
      .mutation(({ ctx, input }) => ctx.services.actions.healPods(input, ctx.caller)),
  }),
  scenarios: t.router({
    list: q.query(({ ctx }) => ctx.services.scenarios.list()),
    get: q.input(input.scenarioIdInput).query(({ ctx, input }) => ctx.services.scenarios.get(input.id)),
    start: q
      .input(input.startScenarioInput)
      .mutation(({ ctx, input }) => ctx.services.scenarios.start(input)),
    active: q.input(input.labInput).query(({ ctx, input }) => ctx.services.scenarios.active(input.lab)),
    watch: q.input(input.labInput).subscription(async function* ({ ctx, input, signal }) {
      yield* ctx.services.scenarios.watch(input.lab, signal ?? new AbortController().signal);
    }),
    hint: q.input(input.labInput).mutation(({ ctx, input }) => ctx.services.scenarios.hint(input.lab)),
    solution: q
      .input(input.labInput)
      .mutation(({ ctx, input }) => ctx.services.scenarios.solution(input.lab)),
    abort: q.input(input.labInput).mutation(({ ctx, input }) => ctx.services.scenarios.abort(input.lab)),
    report: q.input(input.runIdInput).query(({ ctx, input }) => ctx.services.scenarios.report(input.runId)),
    runs: q.input(input.labInput).query(({ ctx, input }) => ctx.services.scenarios.runs(input.lab)),
  }),
  alerts: t.router({
    list: q.input(input.labInput).query(({ ctx, input }) => ctx.services.alerts.list(input.lab)),
    watch: q.input(input.labInput).subscription(async function* ({ ctx, input, signal }) {
      yield* ctx.services.alerts.watch(input.lab, signal ?? new AbortController().signal);
    }),
  }),
  metrics: t.router({
    range: q.input(input.rangeQueryInput).query(({ ctx, input }) => ctx.services.metrics.range(input)),
  }),
  dashboards: t.router({
    list: q.query(({ ctx }) => ctx.services.dashboards.list()),
    variableValues: q
      .input(input.dashboardInput)
      .query(({ ctx, input }) => ctx.services.dashboards.variableValues(input)),
    panel: q.input(input.panelDataInput).query(({ ctx, input }) => ctx.services.dashboards.panel(input)),
  }),
  traffic: t.router({
    graph: q.input(input.labInput).query(({ ctx, input }) => ctx.services.traffic.graph(input.lab)),
  }),
  grafana: t.router({
    open: q.input(input.labInput).mutation(({ ctx, input }) => ctx.services.grafana.open(input.lab)),
  }),
  promote: t.router({
    identity: q.input(input.awsInput).query(({ ctx, input }) => ctx.services.promote.identity(input)),
    plan: q.input(input.promoteInput).query(({ ctx, input }) => ctx.services.promote.plan(input)),
    // Not `apply`: tRPC reserves then/call/apply as procedure names (its client is a proxy).
    applyPlan: q.input(input.promoteInput).mutation(({ ctx, input }) => ctx.services.promote.apply(input)),
    status: q.input(input.promoteInput).query(({ ctx, input }) => ctx.services.promote.status(input)),
    scale: q.input(input.promoteScaleInput).mutation(({ ctx, input }) => ctx.services.promote.scale(input)),
    destroy: q
      .input(input.promoteDestroyInput)
      .mutation(({ ctx, input }) => ctx.services.promote.destroy(input)),
  }),
  gameday: t.router({
    list: q.query(({ ctx }) => ctx.services.gameday.list()),
    status: q
      .input(input.labInput)
      .query(({ ctx, input }) => ctx.services.gameday.status(input.lab, callerHas(ctx.caller, 'facilitate'))),
    start: q
      .input(input.startGamedayInput)
      .mutation(({ ctx, input }) => ctx.services.gameday.start(input, actorOf(ctx.caller))),
    pause: gamedayRequest('pause'),
    resume: gamedayRequest('resume'),
    end: gamedayRequest('end'),
    hint: gamedayRequest('hint'),
    injectNow: q
      .input(input.gamedayInjectInput)
      .mutation(({ ctx, input }) =>
        ctx.services.gameday.control(
          input.lab,
          { type: 'inject', inject: input.inject },
          actorOf(ctx.caller),
        ),
      ),
    extend: q
      .input(input.gamedayExtendInput)
      .mutation(({ ctx, input }) =>
        ctx.services.gameday.control(
          input.lab,
          { type: 'extend', minutes: input.minutes },
          actorOf(ctx.caller),
        ),
      ),
    postmortem: q.input(input.labInput).query(({ ctx, input }) => ctx.services.gameday.postmortem(input.lab)),
    savePostmortem: q
      .input(input.savePostmortemInput)
      .mutation(({ ctx, input }) =>
        ctx.services.gameday.savePostmortem(input.lab, input.run, input.sections),
      ),
  }),
  share: t.router({
    status: q.input(input.labInput).query(({ ctx, input }) => ctx.services.share.status(input.lab)),
    whoami: q.query(({ ctx }) => whoAmI(ctx.caller)),
    invites: q.input(input.labInput).query(({ ctx, input }) => ctx.services.share.invites(input.lab)),
    invite: q.input(input.createInviteInput).mutation(({ ctx, input }) => ctx.services.share.invite(input)),
    revoke: q.input(input.inviteIdInput).mutation(({ ctx, input }) => ctx.services.share.revoke(input)),
    stop: q.mutation(({ ctx }) => ctx.services.share.stop()),
  }),
  timeline: t.router({
    list: q
      .input(input.labInput)
      .query(({ ctx, input }) => ctx.services.timeline.list(input.lab, timelineViewerOf(ctx.caller))),
    watch: q.input(input.labInput).subscription(async function* ({ ctx, input, signal }) {
      const viewer = timelineViewerOf(ctx.caller);
      yield* ctx.services.timeline.watch(input.lab, viewer, signal ?? new AbortController().signal);
    }),
  }),
  incident: t.router({
    declare: q
      .input(input.declareIncidentInput)
      .mutation(({ ctx, input }) => ctx.services.incident.declare(input, actorOf(ctx.caller))),
    severity: q
      .input(input.severityInput)
      .mutation(({ ctx, input }) => ctx.services.incident.severity(input, actorOf(ctx.caller))),
    milestone: q
      .input(input.milestoneInput)
      .mutation(({ ctx, input }) => ctx.services.incident.milestone(input, actorOf(ctx.caller))),
    note: q
      .input(input.noteInput)
      .mutation(({ ctx, input }) => ctx.services.incident.note(input, actorOf(ctx.caller))),
  }),
});

export type AppRouter = typeof appRouter;

/** Input size limit for one RPC call; bigger bodies are refused before parsing. */
export const MAX_REQUEST_BYTES = 64 * 1024;

// Keep zod reachable for callers that build inputs with the same schemas.
export { z };
