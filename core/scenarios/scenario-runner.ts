// Runs a scenario on a lab: refuse up front what cannot run here; setup; steady state before;
// each step (its actions, then its checks until they hold or time out, with hints and solution on
// request); steady state after; rollback, always. Every move goes into the run's timeline.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCliShim } from '../exec/cli-shim.ts';
import { findSimBinaries } from '../backends/sim/binaries.ts';
import { displayPath } from '../validation/load-yaml-file.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { runCommand } from '../exec/run-command.ts';
import { stateHome } from '../home/paths.ts';
import { kubeClients } from '../kube/kube-client.ts';
import { ownStore, type StoreSource } from '../kube/shared-watch-stores.ts';
import { openLab, type OpenLab } from '../lab/open-lab.ts';
import { readCustomerImpact } from '../monitoring/customer-impact.ts';
import { readLabMonitoring } from '../monitoring/lab-monitoring.ts';
import type { TaskReporter } from '../tasks/task.ts';
import {
  appendTimeline,
  newRunId,
  readControl,
  recordCommand,
  writeRunState,
  type RunState,
} from './run-files.ts';
import { runAction, unsupportedActions } from './scenario-actions.ts';
import { evaluateChecks, uncheckable, type CheckResult } from './scenario-checks.ts';
import type { ScenarioContext } from './scenario-context.ts';
import { actionName, durationMs, type Action, type LoadedScenario, type Scenario } from './scenario-types.ts';
import { maxScore, score } from './scoring.ts';
import { claimRun, releaseRun } from './run-claim.ts';
import { recoverStaleRun, rollback } from './scenario-recovery.ts';
import { poolsOf, unknownPoolLines } from './scenario-pools.ts';
import { waitForChecks } from './step-wait.ts';
import { labCommand, upCommand } from '../home/lab-name.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const STEADY_STATE_TIMEOUT_MS = 90_000;

export interface RunOptions {
  labName: string;
  loaded: LoadedScenario;
  autoSolve?: boolean;
  /** Overrides every step's time box (e.g. for drills and tests). */
  stepTimeout?: string;
  signal?: AbortSignal;
  /** Live progress: the state after each change, and the latest check results. */
  onUpdate?: (state: RunState, results?: CheckResult[]) => void;
  /** Hints and solutions revealed while the run goes on, to show the learner. */
  onReveal?: (kind: 'hint' | 'solution', text: string) => void;
  /** Where the run's watch store comes from: its own (default), or the server's shared one. */
  stores?: StoreSource;
}

const quietTask = (signal: AbortSignal, log: (line: string) => void): TaskReporter => ({
  step: () => undefined,
  progress: () => undefined,
  log,
  signal,
  logPath: '',
});

// Refuses a scenario that cannot run on this lab, naming each reason; `file` is the scenario's file.
export const checkRunnable = async (opened: OpenLab, scenario: Scenario, file = 'FILE'): Promise<void> => {
  const { backend, lab } = opened;
  const problems: string[] = [];
  if (!scenario.backends.includes(backend.name))
    problems.push(`it runs on ${scenario.backends.join(', ')}, and this lab is ${backend.name}`);
  const monitoring = opened.record.monitoring;
  if (scenario.requires.includes('monitoring') && !monitoring)
    problems.push('it needs monitoring, and this lab runs without it');
  problems.push(...unsupportedActions(scenario, backend.capabilities(), backend.name));
  problems.push(...uncheckable(scenario, backend.capabilities(), backend.name, monitoring));
  const pools = poolsOf(opened.record.topologyFile, lab.topology);
  const badPools = unknownPoolLines(scenario, pools);
  problems.push(...badPools);
  if (problems.length > 0) {
    throw new KartStreamError('invalid-input', `scenario ${scenario.id} cannot run on lab ${lab.name}`, {
      details: problems,
      fix:
        scenario.requires.includes('monitoring') && !monitoring
          ? `start the lab with monitoring: ${upCommand(lab.name)}`
          : badPools.length === problems.length
            ? `name only pools of the lab's topology in the scenario; check it with: npx kartstream scenario lint --topology ${displayPath(pools.file)} ${file === 'FILE' ? file : displayPath(file)}`
            : 'pick a scenario for this backend: npx kartstream scenario list',
    });
  }
};

const runActions = async (
  ctx: ScenarioContext,
  runId: string,
  phase: string,
  actions: readonly Action[],
): Promise<void> => {
  for (const action of actions) {
    const done = await runAction(ctx, action);
    await appendTimeline(runId, { type: 'action', phase, action: actionName(action), detail: done });
  }
};

// Runs the step's solution as a learner would type it, with the lab's kubeconfig and the
// `kartstream` shim on PATH, as in the lab shell.
const autoSolve = async (ctx: ScenarioContext, solution: string): Promise<void> => {
  const kubectl = (await findSimBinaries()).found.kubectl?.path;
  for (const line of solution
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')))
    await recordCommand(ctx.lab.name, line, 'auto-solve');
  await runCommand('bash', ['-euo', 'pipefail', '-c', solution], {
    cwd: REPO,
    env: {
      ...process.env,
      KUBECONFIG: ctx.lab.kubeconfigPath,
      KARTSTREAM_LAB: ctx.lab.name,
      KARTSTREAM_HOME: stateHome(),
      PATH: [await writeCliShim(ctx.lab.dir), kubectl ? dirname(kubectl) : '', process.env.PATH ?? '']
        .filter(Boolean)
        .join(':'),
    },
    log: ctx.task.log,
    timeoutMs: 300_000,
  });
};

const steadyState = async (
  ctx: ScenarioContext,
  scenario: Scenario,
  runId: string,
  when: 'before' | 'after',
  signal: AbortSignal,
) => {
  const outcome = await waitForChecks(ctx, scenario.steadyState, {
    since: new Date(0),
    deadline: Date.now() + STEADY_STATE_TIMEOUT_MS,
    signal,
  });
  const checks = outcome.results.length
    ? outcome.results
    : await evaluateChecks(ctx, scenario.steadyState, new Date(0));
  const result = { ok: outcome.outcome === 'passed', checks };
  await appendTimeline(runId, { type: 'steady-state', when, ok: result.ok, checks });
  return result;
};

export const runScenario = async (options: RunOptions): Promise<RunState> => {
  const { scenario, file } = options.loaded;
  const opened = await openLab(options.labName);
  await recoverStaleRun(opened.lab.name);
  await checkRunnable(opened, scenario, file);
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const id = newRunId(scenario.id);
  const state: RunState = {
    id,
    scenario: scenario.id,
    scenarioFile: file,
    title: scenario.title,
    lab: opened.lab.name,
    pid: process.pid,
    autoSolve: options.autoSolve ?? false,
    state: 'running',
    startedAt: new Date().toISOString(),
    currentStep: -1,
    steps: scenario.steps.map((s) => ({
      id: s.id,
      title: s.title,
      state: 'pending',
      hintsRevealed: 0,
      solutionRevealed: false,
      checks: [],
    })),
    maxScore: maxScore(scenario),
  };
  const save = async (results?: CheckResult[]) => {
    await writeRunState(state);
    options.onUpdate?.(state, results);
  };
  // One run per lab: a second start (this process or another) is refused here, naming the run.
  const claim = { id, pid: process.pid, scenario: scenario.id, title: scenario.title, startedAt: state.startedAt };
  await claimRun(opened.lab.name, claim);
  const clients = kubeClients(opened.lab.kubeconfigPath);
  const lease = (options.stores ?? ownStore)(opened.lab.kubeconfigPath);
  const store = lease.store;
  const logLines: string[] = [];
  let ctx: ScenarioContext;
  try {
    await save();
    await appendTimeline(id, {
      type: 'run-start',
      scenario: scenario.id,
      lab: opened.lab.name,
      autoSolve: state.autoSolve,
    });
    ctx = {
      ...opened,
      clients,
      store,
      monitoring: await readLabMonitoring(opened.lab, opened.record),
      namespace: opened.record.namespace,
      scenarioDir: dirname(file),
      runId: id,
      task: quietTask(controller.signal, (l) => logLines.push(l)),
    };
  } catch (error) {
    await releaseRun(opened.lab.name, id);
    throw error;
  }
  const started = Date.now();
  try {
    await lease.start();
    await runActions(ctx, id, 'setup', scenario.setup);
    state.steadyStateBefore = await steadyState(ctx, scenario, id, 'before', controller.signal);
    if (!state.steadyStateBefore.ok)
      throw new KartStreamError(
        'cluster-failed',
        'the lab is not at its baseline, so the scenario cannot start',
        { fix: labCommand('reset', opened.lab.name) },
      );
    for (const [index, step] of scenario.steps.entries()) {
      const outcome = state.steps[index]!;
      // Hints, solutions and aborts asked for once the step shows as running count for the step,
      // also while its actions run.
      const controlFrom = (await readControl(id)).length;
      state.currentStep = index;
      Object.assign(outcome, { state: 'running', startedAt: new Date().toISOString() });
      await save();
      await appendTimeline(id, { type: 'step-start', step: step.id, title: step.title });
      const since = new Date();
      await runActions(ctx, id, `step ${step.id}`, step.do);
      if (state.autoSolve) {
        await appendTimeline(id, { type: 'auto-solve', step: step.id });
        await autoSolve(ctx, step.solution).catch((e: unknown) =>
          appendTimeline(id, { type: 'auto-solve-failed', step: step.id, error: (e as Error).message }),
        );
      }
      const deadline = Date.now() + durationMs(options.stepTimeout ?? step.timeout);
      outcome.deadline = new Date(deadline).toISOString();
      await save();
      const waited = await waitForChecks(ctx, step.checks, {
        since,
        deadline,
        controlFrom,
        signal: controller.signal,
        onResults: (results) => {
          const changed = JSON.stringify(results) !== JSON.stringify(outcome.checks);
          outcome.checks = results;
          // A write that fails here (a full disk) must not bring the process down as an
          // unhandled rejection; the step's next awaited write fails with the same clear error.
          if (changed) {
            appendTimeline(id, { type: 'checks', step: step.id, results }).catch(() => undefined);
            save(results).catch(() => undefined);
          }
        },
        onControl: async (request) => {
          if (request.type === 'hint' && outcome.hintsRevealed < step.hints.length) {
            outcome.hintsRevealed += 1;
            options.onReveal?.('hint', step.hints[outcome.hintsRevealed - 1] ?? '');
            await appendTimeline(id, { type: 'hint', step: step.id, index: outcome.hintsRevealed });
          } else if (request.type === 'solution' && !outcome.solutionRevealed) {
            outcome.solutionRevealed = true;
            options.onReveal?.('solution', step.solution);
            await appendTimeline(id, { type: 'solution', step: step.id });
          }
          await save();
        },
      });
      Object.assign(outcome, {
        state: waited.outcome,
        endedAt: new Date().toISOString(),
        checks: waited.results,
      });
      await appendTimeline(id, { type: `step-${waited.outcome}`, step: step.id });
      await save();
      if (waited.outcome !== 'passed') {
        state.reason =
          waited.outcome === 'aborted' ? 'aborted' : `step "${step.title}" timed out after ${options.stepTimeout ?? step.timeout}`;
        break;
      }
    }
    if (state.steps.every((s) => s.state === 'passed'))
      state.steadyStateAfter = await steadyState(ctx, scenario, id, 'after', controller.signal);
  } catch (error) {
    // Stopped before or between steps (setup, steady state): an abort, not the lab's fault.
    state.reason = controller.signal.aborted ? 'aborted' : (error as Error).message;
    await appendTimeline(id, { type: 'error', error: (error as Error).message });
  } finally {
    // The lab is given back even when the run's end cannot be written (a full disk): its
    // faults are rolled back by then, and the error says which file failed.
    try {
      await rollback(ctx, scenario, state);
      await lease.release();
      state.customerImpact = await readCustomerImpact(ctx.monitoring?.prometheus, {
        from: new Date(state.startedAt),
        to: new Date(),
      });
      const passed = state.steps.every((s) => s.state === 'passed') && state.steadyStateAfter?.ok === true;
      const aborted = controller.signal.aborted || state.steps.some((s) => s.state === 'aborted');
      state.state = passed ? 'passed' : aborted ? 'aborted' : 'failed';
      state.score = score(scenario, state, Date.now() - started);
      state.endedAt = new Date().toISOString();
      if (!passed && !state.reason && state.steadyStateAfter && !state.steadyStateAfter.ok)
        state.reason = 'the steady state did not hold at the end';
      await appendTimeline(id, { type: 'run-end', state: state.state, score: state.score });
      await save();
    } finally {
      await lease.release();
      await releaseRun(opened.lab.name, id);
    }
  }
  return state;
};
