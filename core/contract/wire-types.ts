// The data the core server sends to the renderer. These are wire shapes, kept apart from the
// engine's own types on purpose: the engine may change inside, the renderer sees only these.
import type { CustomerImpact } from './impact-types.ts';

export type BackendName = 'sim' | 'kind' | 'external';

/** A typed error as the renderer shows it: what failed, why, and how to fix it. */
export interface WireError {
  code: string;
  message: string;
  details: string[];
  fix?: string;
  logPath?: string;
  /** For invalid input: each field that failed and why, e.g. `{ path: 'nodes', message: ... }`. */
  fields?: { path: string; message: string }[];
}

export interface AppInfo {
  version: string;
  /** The lab the server was started for (`serve --name`), or the default lab name. */
  defaultLab: string;
  /** Running inside the Electron shell (native dialogs available). */
  desktop: boolean;
}

// ---- labs -------------------------------------------------------------------------------

export interface LabSummary {
  name: string;
  /** `unknown` only for a broken lab, whose record cannot be read. */
  backend: BackendName | 'unknown';
  /** `broken`: the lab's folder is there but its record cannot be read (see `problem`). */
  state: 'creating' | 'ready' | 'failed' | 'broken';
  createdAt: string;
  monitoring: boolean;
  /** Why a broken lab is broken: the error, the record's path and what to do. */
  problem?: { message: string; path: string; fix?: string };
}

export interface BackendChoiceView {
  backend: BackendName;
  /** Why this backend was picked, in words ("no Docker engine answers ..."). */
  reason: string;
}

export interface PoolPreview {
  name: string;
  nodes: number;
  /** e.g. `pool=backend:NoSchedule`. */
  taint: string;
  labels: Record<string, string>;
  instanceType: string;
}

export interface TopologyPreview {
  file: string;
  pools: PoolPreview[];
  totalNodes: number;
}

export interface DoctorFinding {
  /** e.g. "kubectl", "sim binaries", "Docker engine". */
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export interface DoctorView {
  findings: DoctorFinding[];
  conclusion: { backend: BackendName; why: string };
}

export interface LabInfo {
  name: string;
  backend: BackendName;
  state: LabSummary['state'];
  /** When the lab was first created (ISO); charts of a younger lab start there. */
  createdAt: string;
  namespace: string;
  kubeconfigPath: string;
  apiServer?: string;
  monitoring?: { prometheusUrl: string; alertmanagerUrl: string };
  /** Where Grafana answers (in-cluster monitoring on kind). */
  grafanaUrl?: string;
  /** Where the shop answers in a browser. */
  shopUrl?: string;
}

// ---- tasks ------------------------------------------------------------------------------

export type TaskState = 'running' | 'done' | 'failed' | 'canceled';

export interface TaskStepView {
  title: string;
  state: TaskState;
  startedAt: string;
  endedAt?: string;
}

export interface TaskSummary {
  id: string;
  title: string;
  state: TaskState;
  startedAt: string;
  endedAt?: string;
  steps: TaskStepView[];
  /** 0..1, the last progress reported. */
  progress: number;
  progressMessage?: string;
  error?: WireError;
  logPath: string;
  /** What the task works on, e.g. `{ lab: 'kartstream' }`, so views can filter. */
  lab?: string;
  kind:
    'lab-create' | 'lab-delete' | 'lab-reset' | 'pool-scale' | 'promote' | 'scenario' | 'gameday' | 'other';
}

export interface TaskDetail extends TaskSummary {
  /** The full log so far (also after a failure). */
  log: string[];
}

/** What `tasks.watch` streams: the task as it is, then each change. */
export type TaskUpdate =
  | { type: 'snapshot'; task: TaskDetail }
  | { type: 'step'; index: number; title: string }
  | { type: 'progress'; fraction: number; message?: string }
  | { type: 'log'; line: string }
  | { type: 'end'; state: Exclude<TaskState, 'running'>; error?: WireError };

// ---- cluster ----------------------------------------------------------------------------

export interface PoolView {
  name: string;
  /** e.g. `pool=backend:NoSchedule`. */
  taint: string;
  /** Nodes the topology asks for. */
  desiredNodes: number;
}

export interface NodeView {
  name: string;
  pool: string;
  ready: boolean;
  /** False when cordoned. */
  schedulable: boolean;
  /** The lab's fault on this node, if any (e.g. `not-ready`). */
  fault?: string;
  taints: string[];
  createdAt: string;
}

export interface PodView {
  /** `namespace/name`. */
  key: string;
  name: string;
  namespace: string;
  workload: string;
  node: string;
  pool: string;
  phase: string;
  ready: boolean;
  restarts: number;
  reason?: string;
  /** For a pod no node takes: why, pool by pool. */
  unschedulable?: string[];
  createdAt: string;
}

export interface WorkloadView {
  /** `namespace/name`. */
  key: string;
  name: string;
  namespace: string;
  pool: string;
  desired: number;
  available: number;
  ready: boolean;
}

export interface ClusterEventView {
  at: string;
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
}

/**
 * What `cluster.watch` streams: the whole view first, then only what changed. Pods and workloads
 * are keyed by `namespace/name`, nodes by name.
 */
export type ClusterMessage =
  | {
      type: 'reset';
      lab: string;
      pools: PoolView[];
      nodes: NodeView[];
      pods: PodView[];
      workloads: WorkloadView[];
      /** Server time of the change that produced this message (ms since epoch). */
      at: number;
    }
  | {
      type: 'delta';
      nodes: NodeView[];
      pods: PodView[];
      workloads: WorkloadView[];
      deletedNodes: string[];
      deletedPods: string[];
      deletedWorkloads: string[];
      at: number;
    }
  | { type: 'offline'; message: string; at: number }
  /** The lab answers but some of its watches could not be restarted: what is shown may be out of
   * date. `reason` says why; null when every watch runs again. */
  | { type: 'stale'; reason: string | null; at: number };

// ---- scenarios --------------------------------------------------------------------------

export interface ScenarioSummary {
  id: string;
  title: string;
  summary: string;
  level: 'beginner' | 'intermediate' | 'advanced';
  minutes: number;
  backends: string[];
  requires: string[];
  objectives: string[];
  steps: number;
}

export interface ScenarioStepView {
  id: string;
  title: string;
  /** Markdown; fenced `sh` blocks are commands the player can run in the terminal. */
  text: string;
  timeoutSeconds: number;
  hints: number;
}

export interface ScenarioDetail extends ScenarioSummary {
  stepsDetail: ScenarioStepView[];
  scoring: { step: number; hint: number; solution: number; timeBonus: boolean };
  maxScore: number;
  debrief: string;
}

export interface CheckView {
  /** The check in words, e.g. "2 Ready nodes in backend". */
  text: string;
  /** The check as written in the scenario, e.g. `nodesReady {"pool":"backend","count":2}`. */
  check: string;
  ok: boolean;
  detail: string;
}

export interface RunStepView {
  id: string;
  title: string;
  state: 'pending' | 'running' | 'passed' | 'timed-out' | 'aborted';
  startedAt?: string;
  endedAt?: string;
  /** When the step's time box ends (running steps). */
  deadline?: string;
  hintsRevealed: number;
  solutionRevealed: boolean;
  checks: CheckView[];
}

export interface TimelineEntry {
  at: string;
  type: string;
  /** One line in words, e.g. "action failNode: backend-1 failed". */
  text: string;
}

export interface RunView {
  id: string;
  scenario: string;
  title: string;
  lab: string;
  state: 'running' | 'passed' | 'failed' | 'aborted';
  startedAt: string;
  endedAt?: string;
  currentStep: number;
  steps: RunStepView[];
  steadyStateBefore?: { ok: boolean; checks: CheckView[] };
  steadyStateAfter?: { ok: boolean; checks: CheckView[] };
  /** What shoppers felt during the run, once it ended. */
  customerImpact?: CustomerImpact;
  score?: number;
  maxScore?: number;
  reason?: string;
  /** Hints and solutions revealed so far, in order, with their text. */
  revealed: { step: string; kind: 'hint' | 'solution'; text: string; cost: number }[];
  /** The task that runs the scenario (its log). */
  taskId?: string;
}

export interface RunReport {
  run: RunView;
  timeline: TimelineEntry[];
  /** The debrief as Markdown, ready to save. */
  markdown: string;
}

// ---- alerts and metrics -----------------------------------------------------------------

export interface AlertView {
  name: string;
  state: 'pending' | 'firing' | 'resolved';
  severity: string;
  pool: string;
  service: string;
  since: string;
  summary: string;
  suppressed?: boolean;
}

export interface AlertsMessage {
  /** False when the lab runs without monitoring; `reason` says why. */
  available: boolean;
  reason?: string;
  alerts: AlertView[];
}

export interface RangeSeries {
  /** A readable name built from the labels, e.g. `cartservice` or `pool=backend`. */
  name: string;
  labels: Record<string, string>;
  /** [unix seconds, value] pairs. */
  points: [number, number][];
}

export interface RangeResult {
  query: string;
  series: RangeSeries[];
}

// ---- promote ----------------------------------------------------------------------------

export interface IdentityView {
  account: string;
  arn: string;
  region: string;
  /** Where the AWS calls go when it is not AWS itself (e.g. a local emulator). */
  endpoint?: string;
}

export interface PlanItemView {
  resource: string;
  name: string;
  action: string;
  details: string[];
}

export interface CostView {
  currency: string;
  perHour: number;
  lines: { item: string; count: number; unit: number; perHour: number }[];
  unpriced: string[];
  note: string;
}

export interface PlanView {
  lab: string;
  region: string;
  identity: IdentityView;
  zones: string[];
  items: PlanItemView[];
  summary: Record<string, number>;
  changes: boolean;
  cost: CostView;
  /** The plan as the CLI prints it. */
  text: string;
}

export interface PromoteStatusView {
  lab: string;
  region: string;
  exists: boolean;
  stack?: { name: string; status: string };
  cluster?: { name: string; status: string; version?: string; endpoint?: string };
  nodegroups: { name: string; status: string; desired?: number; instanceType?: string }[];
  addons: { name: string; status: string }[];
}
