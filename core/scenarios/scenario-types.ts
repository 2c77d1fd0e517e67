// The scenario document (docs/scenarios.md) as TypeScript types. The schema in
// scenario-schema.ts validates YAML into exactly these types; the runner reads only these.
import { KartStreamError } from '../errors/kartstream-error.ts';

export type Level = 'beginner' | 'intermediate' | 'advanced';
export type BackendName = 'sim' | 'kind' | 'external' | 'eks';

/** A duration as written in YAML: "30s", "5m", "1m30s". */
export type Duration = string;

/** Each action is a one-key mapping, e.g. `{ failNode: { pool: backend } }`. */
export type Action =
  | { failNode: { pool?: string; node?: string; count?: number } }
  | { healNode: { pool?: string; node?: string } }
  | { scalePool: { pool: string; nodes: number } }
  | { scaleDeployment: { name: string; replicas: number } }
  | { deletePods: { selector: string } }
  | { breakPods: { deployment: string; mode: 'crashloop' | 'notready' | 'failed' } }
  | { healPods: { deployment?: string } }
  | { setUsage: { deployment: string; cpu?: string; memory?: string } }
  /** A manifest file, relative to the scenario file, applied to the shop's namespace. */
  | { apply: { file: string } }
  /** The objects of a manifest file (as for apply) are deleted; those already gone are skipped. */
  | { delete: { file: string } }
  | {
      patch: {
        kind: 'Deployment' | 'Service' | 'Node';
        name: string;
        type?: 'merge' | 'strategic' | 'json';
        patch: unknown;
      };
    }
  | { removeToleration: { deployment: string } }
  /** Re-applies the shop's manifests (server-side apply), undoing changes to what KartStream manages. */
  | { restoreShop: Record<string, never> }
  | { wait: { for: Duration } }
  /** Every node of a zone (a letter of the topology's zones), across pools. */
  | { failZone: { zone: string } }
  /** The loadgenerator's simulated users (its USERS). */
  | { setLoad: { users: number } }
  /** Every object of that kind in the shop's namespace (what a learner made) is deleted. */
  | { deleteAll: { kind: 'HorizontalPodAutoscaler' | 'PodDisruptionBudget' } }
  /** Cordon and evict, as `kubectl drain`: a node, or the node that runs a shop pod matching `selector`. */
  | { drainNode: { node?: string; selector?: string } }
  | { uncordonNode: { node?: string; pool?: string } };

export type ActionName = Action extends infer A ? (A extends Record<infer K, unknown> ? K : never) : never;

/** The monitoring processes the engine reaches through their Services. */
export type MonitoringPart = 'prometheus' | 'alertmanager';

export type CompareOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** Each check is a one-key mapping, e.g. `{ nodesReady: { pool: backend, count: 2 } }`. */
export type Check =
  | { deploymentsAvailable: { names?: string[]; all?: boolean } }
  | { podsOnPool: { selector: string; pool: string } }
  | { noPodsOn: { node?: string; pool?: string; zone?: string; selector?: string } }
  | { nodesReady: { pool: string; count: number } }
  | { pendingPods: { min?: number; max?: number; selector?: string } }
  | { alert: { name: string; state: 'firing' | 'resolved'; labels?: Record<string, string> } }
  | { alertRule: { name: string; forAtMost?: Duration } }
  | { promql: { query: string; op: CompareOp; value: number } }
  | { event: { reason: string; object?: string } }
  | { http: { path: string; status: number; method?: 'GET' | 'POST' } }
  | { httpFails: { path: string; method?: 'GET' | 'POST' } }
  | { monitoringAnswers: { part: MonitoringPart; answers: boolean } }
  | { learnerRan: { pattern: string } }
  /** Each Deployment is available with Ready pods in at least `zones` zones and a zone spread constraint. */
  | { spreadAcrossZones: { names?: string[]; all?: boolean; zones?: number } }
  /** Each Deployment has at least one Ready pod: it still serves, whatever its replica count. */
  | { deploymentsServing: { names?: string[]; all?: boolean } }
  | { nodesCordoned: { pool: string; count: number; drained?: boolean } }
  | { disruptionBudget: { selector: string; minAvailable: number } };

export type CheckName = Check extends infer C ? (C extends Record<infer K, unknown> ? K : never) : never;

export interface Step {
  id: string;
  title: string;
  /** Markdown; fenced `sh` blocks are commands the UI can run in the terminal. */
  text: string;
  do: Action[];
  checks: Check[];
  timeout: Duration;
  hints: string[];
  /** Shell commands that solve the step (run with the lab's KUBECONFIG by --auto-solve). */
  solution: string;
}

export interface Scoring {
  step: number;
  hint: number;
  solution: number;
  timeBonus: boolean;
}

export interface Scenario {
  id: string;
  title: string;
  summary: string;
  level: Level;
  minutes: number;
  backends: BackendName[];
  requires: 'monitoring'[];
  objectives: string[];
  setup: Action[];
  steadyState: Check[];
  steps: Step[];
  rollback: Action[];
  scoring: Scoring;
  debrief: string;
}

/** A loaded scenario and where it came from. */
export interface LoadedScenario {
  scenario: Scenario;
  file: string;
}

export const actionName = (action: Action): ActionName => Object.keys(action)[0] as ActionName;
export const checkName = (check: Check): CheckName => Object.keys(check)[0] as CheckName;

// "1m30s" -> 90000; throws on anything else (the schema has already checked the shape).
export const durationMs = (text: Duration): number => {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '')
    throw new KartStreamError('invalid-input', `not a duration: ${JSON.stringify(text)}`, {
      fix: 'write a duration such as 30s, 5m or 1m30s',
    });
  return ((Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 1000;
};
