// `kartstream gameday ...`: a team rehearses an incident in one lab (docs/gameday.md). `run`
// plays the game day in this terminal with live progress; the other commands are the
// facilitator's console from another terminal (the app has the same one).
import type { Command } from 'commander';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { LOCAL_ACTOR } from '../contract/timeline-types.ts';
import type { GamedayState, NewGamedayControl } from '../gameday/gameday-files.ts';
import type { GamedayView } from '../contract/gameday-types.ts';
import { table } from '../text/table.ts';
import { outputFormat, type Output } from './output.ts';
import { addGamedayLintCommand } from './gameday-lint.ts';
import { cancelOnInterrupt } from './task-output.ts';

const running = async (lab: string): Promise<GamedayState> => {
  const { requireLabRecord } = await import('../lab/lab-record.ts');
  const { activeGameday } = await import('../gameday/gameday-runner.ts');
  await requireLabRecord(checkLabName(lab));
  const state = await activeGameday(lab);
  if (state) return state;
  throw new KartStreamError('not-found', `no game day is running on lab ${lab}`, {
    fix: `start one: npx kartstream gameday run cart-outage --name ${lab}`,
  });
};

const ask = async (lab: string, request: NewGamedayControl): Promise<GamedayState> => {
  const state = await running(lab);
  const { requestGameday } = await import('../gameday/gameday-files.ts');
  await requestGameday(lab, request);
  return state;
};

const viewLines = (v: GamedayView): string[] => [
  `${v.title} (${v.gameday}, run ${v.run}) on lab ${v.lab}: ${v.state}${v.endReason ? ` (${v.endReason})` : ''}`,
  `game time ${Math.floor(v.elapsedSeconds / 60)}m${v.elapsedSeconds % 60}s, ${Math.ceil(v.remainingSeconds / 60)} min left${v.speed !== 1 ? ` (speed ×${v.speed})` : ''}`,
  ...v.hints.map((h, i) => `hint ${i + 1}: ${h}`),
  ...(v.injects ?? []).map(
    (i) =>
      `inject ${i.id}: ${i.landedAt ? `landed ${i.landedAt} (${i.landedBy})` : 'not landed'} — ${i.title}`,
  ),
  ...(v.upcoming ?? []).map((u) =>
    u.inMs !== undefined
      ? `coming: ${u.id} in ${Math.ceil(u.inMs / 1000)}s of game time`
      : `coming: ${u.id} when ${u.when}${u.armed ? '' : ` (once ${u.after} landed)`}`,
  ),
];

export const addGamedayCommands = (program: Command, out: Output): void => {
  const gameday = program
    .command('gameday')
    .description('game days: a team rehearses an incident together in one lab');

  gameday
    .command('list')
    .description('the game days of gamedays/')
    .action(async () => {
      const { findGameday, gamedayIds } = await import('../gameday/load-gameday.ts');
      const rows: string[][] = [];
      for (const id of await gamedayIds()) {
        const { gameday: g } = await findGameday(id);
        rows.push([g.id, g.timeBox, String(g.injects.length), g.title]);
      }
      out.print(table(['ID', 'TIME BOX', 'INJECTS', 'TITLE'], rows));
    });

  gameday
    .command('run')
    .description('run a game day on a lab, with live progress, until its time box runs out or it is ended')
    .argument('<id>', 'game-day id (gamedays/<id>.yaml) or file')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('--speed <factor>', 'game time runs this many times faster (rehearsals, tests)', '1')
    .option('-o, --output <format>', 'text or json (the final state at the end)', 'text')
    .action(async (id: string, opts: { name: string; speed: string; output: string }) => {
      const output = outputFormat(opts.output, ['text', 'json'] as const);
      const speed = Number(opts.speed);
      if (!Number.isFinite(speed) || speed <= 0 || speed > 1000)
        throw new KartStreamError(
          'invalid-input',
          `--speed: got ${JSON.stringify(opts.speed)}, expected a number above 0, at most 1000`,
          {
            fix: 'leave it out for real time, or give e.g. --speed 10',
          },
        );
      const { findGameday } = await import('../gameday/load-gameday.ts');
      const { runGameday } = await import('../gameday/gameday-runner.ts');
      const loaded = await findGameday(id);
      out.info(
        `${loaded.gameday.title} on lab ${checkLabName(opts.name)}. Facilitate from another terminal: npx kartstream gameday status --name ${opts.name}`,
      );
      const { recordLabTimeline } = await import('../server/timeline-recorder.ts');
      // The timeline is recorded while a game day runs (docs/gameday.md).
      const stopRecording = recordLabTimeline(opts.name, 'gameday', { log: (line) => out.info(line) });
      const state = await cancelOnInterrupt(out, (signal) =>
        runGameday({
          labName: opts.name,
          loaded,
          speed,
          actor: LOCAL_ACTOR,
          signal,
          onUpdate: (_s, line) => line && out.info(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
        }),
      ).finally(stopRecording);
      if (output === 'json') out.print(JSON.stringify(state, null, 2));
      else
        out.print(
          `\nENDED: ${state.endReason ?? ''}; objectives ${state.objectives?.ok ? 'met' : 'not met'}; steady state ${state.steadyStateAfter?.ok ? 'held' : 'did not hold'}\npostmortem: npx kartstream gameday report --name ${state.lab}`,
        );
    });

  gameday
    .command('status')
    .description("the lab's game day: the facilitator's view (injects landed and coming), or --responder's")
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('--responder', 'what responders see (no injects until the end)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (opts: { name: string; responder?: boolean; output: string }) => {
      const output = outputFormat(opts.output, ['text', 'json'] as const);
      const { readGamedayState } = await import('../gameday/gameday-files.ts');
      const { activeGameday } = await import('../gameday/gameday-runner.ts');
      const { loadGamedayFile } = await import('../gameday/load-gameday.ts');
      const { gamedayView } = await import('../gameday/gameday-view.ts');
      await activeGameday(checkLabName(opts.name));
      const state = await readGamedayState(opts.name);
      if (!state)
        throw new KartStreamError('not-found', `no game day has run on lab ${opts.name}`, {
          fix: `start one: npx kartstream gameday run cart-outage --name ${opts.name}`,
        });
      const view = gamedayView(state, (await loadGamedayFile(state.file)).gameday, !opts.responder);
      out.print(output === 'json' ? JSON.stringify(view, null, 2) : viewLines(view).join('\n'));
    });

  const requests: [string, string, (lab: string) => NewGamedayControl, string][] = [
    [
      'pause',
      'stop the game clock (injects wait)',
      () => ({ type: 'pause', by: LOCAL_ACTOR }),
      'asked to pause',
    ],
    ['resume', 'start the game clock again', () => ({ type: 'resume', by: LOCAL_ACTOR }), 'asked to resume'],
    [
      'hint',
      'reveal the next hint to the team',
      () => ({ type: 'hint', by: LOCAL_ACTOR }),
      'asked to reveal the next hint',
    ],
    [
      'end',
      'end the game day now: objectives, rollback, steady state, then the postmortem',
      () => ({ type: 'end', by: LOCAL_ACTOR }),
      'asked to end; it rolls back and ends',
    ],
  ];
  for (const [verb, description, request, said] of requests)
    gameday
      .command(verb)
      .description(description)
      .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
      .action(async (opts: { name: string }) => {
        const state = await ask(opts.name, request(opts.name));
        out.print(`${said} (game day ${state.gameday}, run ${state.id})`);
      });

  gameday
    .command('inject')
    .description('land an inject now, whatever its schedule')
    .argument('<inject>', 'the inject id')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .action(async (inject: string, opts: { name: string }) => {
      const state = await running(opts.name);
      const progress = state.injects.find((i) => i.id === inject);
      if (!progress)
        throw new KartStreamError('invalid-input', `game day ${state.gameday} has no inject "${inject}"`, {
          details: [`its injects: ${state.injects.map((i) => i.id).join(', ')}`],
        });
      if (progress.landedAt) return out.print(`inject ${inject} already landed at ${progress.landedAt}`);
      await ask(opts.name, { type: 'inject', inject, by: LOCAL_ACTOR });
      out.print(`asked to land inject ${inject} now`);
    });

  gameday
    .command('extend')
    .description('add minutes to the time box')
    .argument('<minutes>', 'minutes to add (1-240)')
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .action(async (minutes: string, opts: { name: string }) => {
      const n = Number(minutes);
      if (!Number.isInteger(n) || n < 1 || n > 240)
        throw new KartStreamError(
          'invalid-input',
          `minutes: got ${JSON.stringify(minutes)}, expected a whole number from 1 to 240`,
        );
      await ask(opts.name, { type: 'extend', minutes: n, by: LOCAL_ACTOR });
      out.print(`asked to extend the time box by ${n} min`);
    });

  gameday
    .command('report')
    .description("the postmortem draft of the lab's latest game day, with the team's edits and both scores")
    .option('--name <name>', 'lab name', DEFAULT_LAB_NAME)
    .option('-o, --output <format>', 'md or json', 'md')
    .action(async (opts: { name: string; output: string }) => {
      const output = outputFormat(opts.output, ['md', 'json'] as const);
      const { readPostmortem } = await import('../gameday/postmortem-store.ts');
      const { renderPostmortemMarkdown } = await import('../gameday/postmortem.ts');
      const pm = await readPostmortem(checkLabName(opts.name));
      out.print(output === 'json' ? JSON.stringify(pm, null, 2) : renderPostmortemMarkdown(pm));
    });

  addGamedayLintCommand(gameday, out);
};
