// Every input the core server accepts, validated before anything runs. A bad field comes back
// as a validation error that names it (see `WireError.fields`).
import { z } from 'zod';
import { MILESTONES, SEVERITIES } from './incident-types.ts';
import { ROLES } from './roles.ts';

/** Same rule as the CLI's --name: a DNS label of at most 32 characters. */
export const labName = z
  .string()
  .regex(
    /^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/,
    'a lab name has lower-case letters, digits and "-", starts with a letter, ends with a letter or digit, and has at most 32 characters',
  );

const k8sName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a Kubernetes object name');
const poolName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a pool name');
const filePath = z.string().min(1).max(4096);
const region = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as eu-west-1')
  .optional();
const profile = z.string().min(1).max(128).optional();

export const labInput = z.object({ lab: labName }).strict();
export const idInput = z.object({ id: z.string().min(1).max(200) }).strict();

export const createLabInput = z
  .object({
    name: labName,
    backend: z.enum(['sim', 'kind']).optional(),
    topologyFile: filePath.optional(),
    monitoring: z.boolean().default(true),
  })
  .strict();

export const backendChoiceInput = z.object({ backend: z.enum(['sim', 'kind']).optional() }).strict();
export const topologyInput = z.object({ topologyFile: filePath.optional() }).strict();

export const nodeInput = z.object({ lab: labName, node: k8sName }).strict();
export const scalePoolInput = z
  .object({ lab: labName, pool: poolName, nodes: z.number().int().min(0).max(5000) })
  .strict();
export const scaleDeploymentInput = z
  .object({ lab: labName, name: k8sName, replicas: z.number().int().min(0).max(100) })
  .strict();
export const breakPodsInput = z
  .object({ lab: labName, deployment: k8sName, mode: z.enum(['crashloop', 'notready', 'failed']) })
  .strict();
export const healPodsInput = z.object({ lab: labName, deployment: k8sName.optional() }).strict();
export const deploymentLogsInput = z
  .object({
    lab: labName,
    deployment: k8sName,
    /** Default: the shop's namespace. */
    namespace: k8sName.optional(),
    tailLines: z.number().int().min(1).max(5000).default(200),
    previous: z.boolean().default(false),
  })
  .strict();
export const eventsInput = z
  .object({
    lab: labName,
    kind: z.enum(['Node', 'Pod', 'Deployment']).optional(),
    name: k8sName.optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();

export const scenarioIdInput = z.object({ id: z.string().min(1).max(100) }).strict();
export const startScenarioInput = z
  .object({
    lab: labName,
    id: z.string().min(1).max(100),
    /** Overrides every step's time box, e.g. "5m". */
    stepTimeout: z
      .string()
      .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, 'expected a duration such as 90s or 5m')
      .optional(),
  })
  .strict();
export const runIdInput = z.object({ runId: z.string().min(1).max(200) }).strict();

export const rangeQueryInput = z
  .object({
    lab: labName,
    query: z.string().min(1).max(2000),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    stepSeconds: z.number().int().min(1).max(3600).default(15),
  })
  .strict();

/** A dashboard by uid (`kartstream-shop-overview`), for a lab. */
export const dashboardInput = z
  .object({ lab: labName, uid: z.string().regex(/^[a-z0-9-]{1,40}$/, 'a dashboard uid: a-z, 0-9, -') })
  .strict();
/** One panel's data: the variables' chosen values (`$__all` for All) and the time range. */
export const panelDataInput = z
  .object({
    lab: labName,
    uid: dashboardInput.shape.uid,
    panelId: z.number().int().min(1).max(10_000),
    vars: z.record(z.string().regex(/^\w{1,40}$/), z.string().max(200)).default({}),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
  })
  .strict();

export const awsInput = z.object({ region, profile }).strict();
export const promoteInput = z
  .object({ lab: labName, region, profile, nat: z.enum(['single', 'per-az']).optional() })
  .strict();
export const promoteScaleInput = z
  .object({ lab: labName, pool: poolName, nodes: z.number().int().min(0).max(100), region, profile })
  .strict();
/** Destroy asks the user to type the lab's name; the server checks it again. */
export const promoteDestroyInput = z
  .object({ lab: labName, confirm: z.string().max(64), region, profile })
  .strict();

/** A person's display name on an invite: letters, digits, spaces and . _ ' -, at most 40. */
export const personName = z
  .string()
  .trim()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._'-]{0,39}$/u,
    "a name has letters, digits, spaces and . _ ' -, at most 40 characters",
  );
/** How long an invite lasts: minutes (30m), hours (4h) or days (2d), at most 7 days. */
export const expiresIn = z.string().regex(/^[1-9]\d{0,3}[mhd]$/, 'expected a duration such as 30m, 4h or 2d');
export const createInviteInput = z
  .object({ lab: labName, person: personName, role: z.enum(ROLES), expires: expiresIn.default('4h') })
  .strict();
export const inviteIdInput = z
  .object({ lab: labName, id: z.string().regex(/^[a-f0-9]{8}$/, 'expected an invite id') })
  .strict();

/** Text people write (a note, a title): no control characters but newline and tab, which a terminal would obey. */
const writtenText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^(?:[^\p{Cc}]|[\n\t])*$/u, 'control characters (other than newline and tab) are not allowed');

export const declareIncidentInput = z
  .object({ lab: labName, severity: z.enum(SEVERITIES), title: writtenText(200) })
  .strict();
export const severityInput = z.object({ lab: labName, severity: z.enum(SEVERITIES) }).strict();
export const milestoneInput = z.object({ lab: labName, name: z.enum(MILESTONES) }).strict();
export const noteInput = z.object({ lab: labName, text: writtenText(2000) }).strict();

export type DeclareIncidentInput = z.infer<typeof declareIncidentInput>;
export type SeverityInput = z.infer<typeof severityInput>;
export type MilestoneInput = z.infer<typeof milestoneInput>;
export type NoteInput = z.infer<typeof noteInput>;
export type CreateInviteInput = z.infer<typeof createInviteInput>;
export type InviteIdInput = z.infer<typeof inviteIdInput>;
export type CreateLabInput = z.infer<typeof createLabInput>;
export type NodeInput = z.infer<typeof nodeInput>;
export type ScalePoolInput = z.infer<typeof scalePoolInput>;
export type ScaleDeploymentInput = z.infer<typeof scaleDeploymentInput>;
export type BreakPodsInput = z.infer<typeof breakPodsInput>;
export type HealPodsInput = z.infer<typeof healPodsInput>;
export type EventsInput = z.infer<typeof eventsInput>;
export type DeploymentLogsInput = z.input<typeof deploymentLogsInput>;
export type StartScenarioInput = z.infer<typeof startScenarioInput>;
export type RangeQueryInput = z.infer<typeof rangeQueryInput>;
export type DashboardInput = z.infer<typeof dashboardInput>;
export type PanelDataInput = z.infer<typeof panelDataInput>;
export type AwsInput = z.infer<typeof awsInput>;
export type PromoteInput = z.infer<typeof promoteInput>;
export type PromoteScaleInput = z.infer<typeof promoteScaleInput>;
export type PromoteDestroyInput = z.infer<typeof promoteDestroyInput>;

// ---- game days (docs/gameday.md) ----
export const startGamedayInput = z
  .object({
    lab: labName,
    id: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a game-day id such as cart-outage'),
    speed: z.number().positive().max(1000).optional(),
  })
  .strict();
export const gamedayInjectInput = z.object({ lab: labName, inject: z.string().min(1).max(100) }).strict();
export const gamedayExtendInput = z.object({ lab: labName, minutes: z.int().min(1).max(240) }).strict();
export const savePostmortemInput = z
  .object({ lab: labName, run: z.string().min(1).max(200), sections: z.unknown() })
  .strict();
export type StartGamedayInput = z.infer<typeof startGamedayInput>;
