// What the core server implements behind the API. The router (router.ts) maps each procedure to
// one of these methods; `core/server` provides them from the engine. Long work returns a task id
// at once; its progress streams through `tasks.watch`.
import type {
  AwsInput,
  DashboardInput,
  PanelDataInput,
  BreakPodsInput,
  CreateInviteInput,
  CreateLabInput,
  DeclareIncidentInput,
  MilestoneInput,
  NoteInput,
  SeverityInput,
  DeploymentLogsInput,
  EventsInput,
  HealPodsInput,
  InviteIdInput,
  NodeInput,
  PromoteDestroyInput,
  PromoteInput,
  PromoteScaleInput,
  RangeQueryInput,
  ScaleDeploymentInput,
  ScalePoolInput,
  StartScenarioInput,
  StartGamedayInput,
} from './inputs.ts';
import type { DashboardView, PanelData } from './dashboard-types.ts';
import type { ServiceGraph } from './graph-types.ts';
import type {
  AlertsMessage,
  AppInfo,
  BackendChoiceView,
  ClusterEventView,
  ClusterMessage,
  DoctorView,
  IdentityView,
  LabInfo,
  LabSummary,
  PlanView,
  PromoteStatusView,
  RangeResult,
  RunReport,
  RunView,
  ScenarioDetail,
  ScenarioSummary,
  TaskSummary,
  TaskDetail,
  TaskUpdate,
  TopologyPreview,
} from './wire-types.ts';
import type { DeploymentLogsView, LogsMessage } from './log-wire-types.ts';
import type { ClusterUsage } from './usage-types.ts';
import type { TimelineView } from './incident-types.ts';
import type { TimelineEntry } from './timeline-types.ts';
import type { TimelineViewer } from './roles.ts';
import type { CreatedInvite, InviteView, ShareStatus } from './share-types.ts';
import type { Caller } from './roles.ts';
import type { GamedayRequest, GamedaySummary, GamedayView, PostmortemReport } from './gameday-types.ts';

export interface Started {
  taskId: string;
}

export interface KartStreamServices {
  app: {
    info(): Promise<AppInfo>;
  };
  labs: {
    list(): Promise<LabSummary[]>;
    info(lab: string): Promise<LabInfo>;
    backendChoice(backend?: 'sim' | 'kind'): Promise<BackendChoiceView>;
    topology(topologyFile?: string): Promise<TopologyPreview>;
    doctor(): Promise<DoctorView>;
    create(input: CreateLabInput): Promise<Started>;
    remove(lab: string): Promise<Started>;
    reset(lab: string): Promise<Started>;
  };
  tasks: {
    list(): Promise<TaskSummary[]>;
    get(id: string): Promise<TaskDetail>;
    cancel(id: string): Promise<void>;
    watch(id: string, signal: AbortSignal): AsyncIterable<TaskUpdate>;
  };
  cluster: {
    watch(lab: string, signal: AbortSignal): AsyncIterable<ClusterMessage>;
    events(input: EventsInput): Promise<ClusterEventView[]>;
    /** CPU and memory per node and pod now, or why the lab has no Metrics API. */
    usage(lab: string): Promise<ClusterUsage>;
  };
  logs: {
    deployment(input: DeploymentLogsInput): Promise<DeploymentLogsView>;
    follow(input: DeploymentLogsInput, signal: AbortSignal): AsyncIterable<LogsMessage>;
  };
  actions: {
    // A participant's action is made with their own identity in the cluster (docs/sharing.md),
    // except a pool's scale: that is the node group's (the cloud's) work, done by the lab.
    failNode(input: NodeInput, caller?: Caller): Promise<void>;
    healNode(input: NodeInput, caller?: Caller): Promise<void>;
    scalePool(input: ScalePoolInput): Promise<Started>;
    scaleDeployment(input: ScaleDeploymentInput, caller?: Caller): Promise<void>;
    breakPods(input: BreakPodsInput, caller?: Caller): Promise<void>;
    healPods(input: HealPodsInput, caller?: Caller): Promise<void>;
  };
  scenarios: {
    list(): Promise<ScenarioSummary[]>;
    get(id: string): Promise<ScenarioDetail>;
    start(input: StartScenarioInput): Promise<{ runId: string; taskId: string }>;
    /** The lab's running (or last) run, or null when it has none. */
    active(lab: string): Promise<RunView | null>;
    watch(lab: string, signal: AbortSignal): AsyncIterable<RunView | null>;
    hint(lab: string): Promise<RunView>;
    solution(lab: string): Promise<RunView>;
    abort(lab: string): Promise<RunView>;
    report(runId: string): Promise<RunReport>;
    runs(lab: string): Promise<RunView[]>;
  };
  alerts: {
    list(lab: string): Promise<AlertsMessage>;
    watch(lab: string, signal: AbortSignal): AsyncIterable<AlertsMessage>;
  };
  metrics: {
    range(input: RangeQueryInput): Promise<RangeResult>;
  };
  dashboards: {
    /** The dashboards Grafana loads on kind/EKS, as the app draws them. */
    list(): Promise<DashboardView[]>;
    /** Each variable's values in the lab (its `label_values` query), by variable name. */
    variableValues(input: DashboardInput): Promise<Record<string, string[]>>;
    panel(input: PanelDataInput): Promise<PanelData>;
  };
  traffic: {
    /** The shop's workloads by pool and the live calls between them, from the lab's Prometheus. */
    graph(lab: string): Promise<ServiceGraph>;
  };
  grafana: {
    /** Port-forwards the lab's in-cluster Grafana (one forward per lab) and returns its URL. */
    open(lab: string): Promise<{ url: string }>;
  };
  promote: {
    identity(input: AwsInput): Promise<IdentityView>;
    plan(input: PromoteInput): Promise<PlanView>;
    apply(input: PromoteInput): Promise<Started>;
    status(input: PromoteInput): Promise<PromoteStatusView>;
    scale(input: PromoteScaleInput): Promise<Started>;
    destroy(input: PromoteDestroyInput): Promise<Started>;
  };
  /** The lab timeline (docs/gameday.md): what `viewer` may see of it, now and live. */
  timeline: {
    list(lab: string, viewer: TimelineViewer): Promise<TimelineView>;
    watch(lab: string, viewer: TimelineViewer, signal: AbortSignal): AsyncIterable<TimelineView>;
  };
  /** The incident workflow: each call writes one timeline entry with `actor` (the caller's person). */
  incident: {
    declare(input: DeclareIncidentInput, actor: string): Promise<TimelineEntry>;
    severity(input: SeverityInput, actor: string): Promise<TimelineEntry>;
    milestone(input: MilestoneInput, actor: string): Promise<TimelineEntry>;
    note(input: NoteInput, actor: string): Promise<TimelineEntry>;
  };
  /** Game days (docs/gameday.md); `by` is who asks: a participant's person name, or `local`. */
  gameday: {
    list(): Promise<GamedaySummary[]>;
    /** The lab's current or latest game day as this caller may see it; null when none ran. */
    status(lab: string, facilitator: boolean): Promise<GamedayView | null>;
    start(input: StartGamedayInput, by: string): Promise<{ run: string; taskId: string }>;
    control(lab: string, request: GamedayRequest, by: string): Promise<GamedayView | null>;
    postmortem(lab: string): Promise<PostmortemReport>;
    savePostmortem(lab: string, run: string, sections: unknown): Promise<PostmortemReport>;
  };
  /** Sharing a lab (docs/sharing.md): provided by the core server, which owns the share listener. */
  share: {
    status(lab: string): Promise<ShareStatus>;
    invites(lab: string): Promise<InviteView[]>;
    invite(input: CreateInviteInput): Promise<CreatedInvite>;
    revoke(input: InviteIdInput): Promise<InviteView>;
    /** Closes the share listener and every remote connection at once. */
    stop(): Promise<void>;
  };
}

/** The services built from the engine; the core server adds `share`. */
export type EngineServices = Omit<KartStreamServices, 'share'>;
