// `kartstream scenario ...`, `kartstream reset` and `kartstream shell`: guided labs from the
// terminal, usable while the learner works with kubectl in another one.
import type { Command } from 'commander';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { checkLabName, DEFAULT_LAB_NAME, labCommand } from '../home/lab-name.ts';
import type { RunState } from '../scenarios/run-files.ts';
import { sentenceOf } from '../scenarios/check-text.ts';
import type { CheckResult } from '../scenarios/scenario-checks.ts';
import { outputFormat, type Output } from './output.ts';
import { addScenarioLintCommand } from './scenario-lint.ts';
import { table } from '../text/table.ts';
import { cancelOnInterrupt } from './task-output.ts';

// The run a command acts on: the lab's active one, after rolling back a dead runner's.
const activeRun = async (lab: string): Promise<RunState> => {
  const { recoverStaleRun } = await import('../scenarios/scenario-recovery.ts');
  const { activeRunId, readRunState } = await import('../scenarios/run-files.ts');
  const { requireLabRecord } = await import('../lab/lab-record.ts');
  await requireLabRecord(checkLabName(lab));
  const { recoverStaleGameday } = await import('../gameday/gameday-recovery.ts');
  await recoverStaleGameday(lab);
  const recovered = await recoverStaleRun(lab);
  const id = await activeRunId(lab);
  const state = id ? await readRunState(id) : undefined;
  if (state) return state;
  const { noScenarioRunning } = await import('../gameday/gameday-files.ts');
  throw await noScenarioRunning(lab, 'start one: npx kartstream scenario run failover', recovered?.id);
};

// Live progress of a run, one line per change.
const progressPrinter = (out: Output) => {
  let lastStep = -1;
  let lastChecks = '';
  return (state: RunState, results?: CheckResult[]) => {
    const step = state.steps[state.currentStep];
    if (step && state.currentStep !== lastStep) {
      lastStep = state.currentStep;
      lastChecks = '';
      out.info(`\n[step ${state.currentStep + 1}/${state.steps.length}] ${step.title}`);
    }
    if (results) {
      const text = results.map((r) => `  ${r.ok ? '✓' : '·'} ${r.text}: ${r.detail}`).join('\n');
      if (text !== lastChecks) {
        lastChecks = text;
        out.info(text);
      }
    }
  };
};

export const addScenarioCommands = (program: Command, out: Output): void => {
  const scenario = program
    .command('scenario')
    .description('guided labs: inject a fault, repair it, get graded');

  scenario
    .command('list')
    .description('the scenario catalog')
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (opts: { output: string }) => {
      const output = outputFormat(opts.output, ['table', 'json'] as const);
      const { listScenarios } = await import('../scenarios/catalog.ts');
      const all = (await listScenarios()).map(({ scenario: s }) => ({
        id: s.id,
        title: s.title,
        level: s.level,
        minutes: s.minutes,
        backends: s.backends,
        requires: s.requires,
        summary: s.summary,
      }));
      if (output === 'json') return out.print(JSON.stringify(all, null, 2));
      out.print(
        table(
          ['ID', 'LEVEL', 'MIN', 'BACKENDS', 'TITLE'],
          all.map((s) => [s.id, s.level, s.minutes, s.backends.join(','), s.title]),
        ),
      );
    });

  scenario
    .command('show')
    .description('a scenario: objectives and steps')
    .argument('<id>', 'scenario id or file')
    .action(async (id: string) => {
      const { findScenario } = await import('../scenarios/catalog.ts');
      const { scenario: s } = await findScenario(id);
      out.print(
        [
          `${s.title} (${s.id}, ${s.level}, ~${s.minutes} min, ${s.backends.join('/')})`,
          s.summary,
          '',
          'You will be able to:',
          ...s.objectives.map((o) => `  - ${o}`),
          '',
          'Steps:',
          ...s.steps.map(
            (st, i) => `  ${i + 1}. ${st.title} (time box ${st.timeout}, ${st.hints.length} hints)`,
          ),
        ].join('\n'),
      );
    });

  scenario
    .command('run')
    .description('run a scenario on a lab, with live progress')
    .argument('<id>', 'scenario id or file')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('--auto-solve', "run each step's solution (demos and tests)")
    .option('--step-timeout <duration>', "override every step's time box, e.g. 30s or 2m")
    .option('-o, --output <format>', 'text or json (a machine-readable result at the end)', 'text')
    .action(
      async (
        id: string,
        opts: { name: string; autoSolve?: boolean; stepTimeout?: string; output: string },
      ) => {
        if (opts.stepTimeout !== undefined && !/^(\d+h)?(\d+m)?(\d+s)?$/.test(opts.stepTimeout || 'x')) {
          throw new KartStreamError(
            'invalid-input',
            `--step-timeout: got ${JSON.stringify(opts.stepTimeout)}, expected a duration such as 30s, 2m or 1m30s`,
          );
        }
        const output = outputFormat(opts.output, ['text', 'json'] as const);
        const { findScenario } = await import('../scenarios/catalog.ts');
        const { runScenario } = await import('../scenarios/scenario-runner.ts');
        const loaded = await findScenario(id);
        // A game day whose runner died gives the lab back (rolled back) before a scenario claims it.
        const { recoverStaleGameday } = await import('../gameday/gameday-recovery.ts');
        await recoverStaleGameday(checkLabName(opts.name));
        out.info(
          `${loaded.scenario.title} on lab ${opts.name}${opts.autoSolve ? ' (auto-solve)' : ''}. In another terminal: ${labCommand('shell', opts.name)}`,
        );
        const state = await cancelOnInterrupt(out, (signal) =>
          runScenario({
            labName: opts.name,
            loaded,
            autoSolve: opts.autoSolve,
            stepTimeout: opts.stepTimeout,
            signal,
            onUpdate: progressPrinter(out),
            onReveal: (kind, text) => out.info(`\n${kind}: ${text}`),
          }),
        );
        const result = {
          run: state.id,
          scenario: state.scenario,
          passed: state.state === 'passed',
          state: state.state,
          score: state.score,
          maxScore: state.maxScore,
          reason: state.reason,
          steadyStateBefore: state.steadyStateBefore?.ok,
          steadyStateAfter: state.steadyStateAfter?.ok,
          rolledBack: state.rolledBack,
          customerImpact: state.customerImpact,
          steps: state.steps.map((s) => ({
            id: s.id,
            outcome: s.state,
            seconds:
              s.startedAt && s.endedAt ? (Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000 : null,
            hints: s.hintsRevealed,
            solution: s.solutionRevealed,
          })),
        };
        if (output === 'json') out.print(JSON.stringify(result, null, 2));
        else
          out.print(
            `\n${state.state.toUpperCase()}: score ${state.score}/${state.maxScore}${state.reason ? ` (${state.reason})` : ''}\nreport: npx kartstream scenario report ${state.id}`,
          );
        if (state.state !== 'passed') process.exitCode = 1;
      },
    );

  for (const [verb, description] of [
    ['hint', 'reveal the next hint of the current step (it costs points)'],
    ['solution', 'reveal the solution of the current step (it costs the step)'],
  ] as const) {
    scenario
      .command(verb)
      .description(description)
      .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
      .action(async (opts: { name: string }) => {
        const state = await activeRun(opts.name);
        const { findScenario } = await import('../scenarios/catalog.ts');
        const { requestControl } = await import('../scenarios/run-files.ts');
        const step = (await findScenario(state.scenarioFile)).scenario.steps[state.currentStep];
        const outcome = state.steps[state.currentStep];
        if (!step || !outcome) throw new KartStreamError('not-found', 'the run has not reached a step yet');
        if (verb === 'hint') {
          const next = step.hints[outcome.hintsRevealed];
          if (!next)
            return out.print(
              `no more hints for "${step.title}"; the solution is: npx kartstream scenario solution`,
            );
          await requestControl(state.id, 'hint');
          out.print(`hint ${outcome.hintsRevealed + 1}/${step.hints.length}: ${next}`);
        } else {
          await requestControl(state.id, 'solution');
          out.print(step.solution);
        }
      });
  }

  scenario
    .command('abort')
    .description('stop the running scenario; its rollback runs')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .action(async (opts: { name: string }) => {
      const state = await activeRun(opts.name);
      const { requestControl } = await import('../scenarios/run-files.ts');
      await requestControl(state.id, 'abort');
      out.print(`asked run ${state.id} to abort; it rolls back and ends`);
    });

  scenario
    .command('status')
    .description('the running scenario: current step and its checks')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (opts: { name: string; output: string }) => {
      const output = outputFormat(opts.output, ['table', 'json'] as const);
      const state = await activeRun(opts.name);
      if (output === 'json') return out.print(JSON.stringify(state, null, 2));
      const step = state.steps[state.currentStep];
      out.print(
        [
          `${state.title} (run ${state.id})`,
          step ? `step ${state.currentStep + 1}/${state.steps.length}: ${step.title}` : 'starting',
          ...(step?.checks ?? []).map((c) => `  ${c.ok ? '✓' : '·'} ${sentenceOf(c)}: ${c.detail}`),
        ].join('\n'),
      );
    });

  scenario
    .command('report')
    .description('the debrief of a run: score, steady state, steps, timeline (a postmortem draft)')
    .argument('[run]', 'run id (default: the latest run)')
    .option('--format <format>', 'md or json', 'md')
    .action(async (run: string | undefined, opts: { format: string }) => {
      const f = outputFormat(opts.format, ['md', 'json'] as const);
      const { readRunState, readTimeline, runsDir } = await import('../scenarios/run-files.ts');
      const { readdir } = await import('node:fs/promises');
      const id = run ?? (await readdir(runsDir()).catch(() => [] as string[])).sort().at(-1);
      const state = id ? await readRunState(id) : undefined;
      if (!id || !state)
        throw new KartStreamError('not-found', run ? `there is no run ${run}` : 'there are no runs yet', {
          fix: 'npx kartstream scenario run failover',
        });
      const timeline = await readTimeline(id);
      if (f === 'json') return out.print(JSON.stringify({ ...state, timeline }, null, 2));
      const { findScenario } = await import('../scenarios/catalog.ts');
      const { renderReport } = await import('../scenarios/run-report.ts');
      const scenarioDoc = await findScenario(state.scenarioFile).then(
        (l) => l.scenario,
        () => undefined,
      );
      out.print(renderReport(scenarioDoc, state, timeline));
    });

  addScenarioLintCommand(scenario, out);

  program
    .command('reset')
    .description('return a lab to its clean baseline without recreating the cluster')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .action(async (opts: { name: string }) => {
      const { resetLab } = await import('../scenarios/reset-lab.ts');
      await resetLab(checkLabName(opts.name), (line) => out.info(`  ${line}`));
      out.print(`lab ${opts.name} is back at its baseline`);
    });

  program
    .command('shell')
    .description('your shell, bound to the lab: its kubeconfig, its kubectl, commands recorded for scenarios')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .action(async (opts: { name: string }) => {
      const { openLabShell } = await import('./lab-shell.ts');
      process.exitCode = await openLabShell(checkLabName(opts.name), out);
    });
};
