// Game days for the app (docs/gameday.md): the facilitator console and the postmortem. A game
// day started here runs in this process as a task; pause, inject now, extend, hints and end go
// through the same control file the CLI writes, so a game day started in a terminal is driven
// from the app and the other way round.
import type { KartStreamServices } from '../../contract/services.ts';
import type { GamedayView, PostmortemReport } from '../../contract/gameday-types.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { requireLabRecord } from '../../lab/lab-record.ts';
import { readGamedayState, requestGameday } from '../../gameday/gameday-files.ts';
import { activeGameday, runGameday } from '../../gameday/gameday-runner.ts';
import { recordLabTimeline } from '../timeline-recorder.ts';
import { gamedayView } from '../../gameday/gameday-view.ts';
import { findGameday, gamedayIds, loadGamedayFile } from '../../gameday/load-gameday.ts';
import { readPostmortem, savePostmortemSections } from '../../gameday/postmortem-store.ts';
import { renderPostmortemMarkdown } from '../../gameday/postmortem.ts';
import { sleep } from '../../tasks/wait.ts';
import type { ServiceContext } from './service-context.ts';

const STARTED_WITHIN_MS = 120_000;

const viewOf = async (lab: string, facilitator: boolean): Promise<GamedayView | null> => {
  const state = await readGamedayState(lab);
  if (!state) return null;
  return gamedayView(state, (await loadGamedayFile(state.file)).gameday, facilitator);
};

const report = async (lab: string): Promise<PostmortemReport> => {
  const postmortem = await readPostmortem(lab);
  return { postmortem, markdown: renderPostmortemMarkdown(postmortem) };
};

export const createGamedayService = (ctx: ServiceContext): KartStreamServices['gameday'] => ({
  list: async () =>
    Promise.all(
      (await gamedayIds()).map(async (id) => {
        const { gameday: g } = await findGameday(id);
        return {
          id: g.id,
          title: g.title,
          timeBox: g.timeBox,
          roles: g.roles,
          injects: g.injects.length,
          hints: g.hints.length,
        };
      }),
    ),

  status: async (lab, facilitator) => {
    await requireLabRecord(lab);
    await activeGameday(lab);
    return viewOf(lab, facilitator);
  },

  start: async ({ lab, id, speed }, by) => {
    await requireLabRecord(lab);
    const loaded = await findGameday(id);
    let runId: string | undefined;
    let failed: unknown;
    const { taskId, done } = ctx.tasks.start(
      `Game day "${loaded.gameday.title}" on lab ${lab}`,
      { kind: 'gameday', lab },
      async (task) => {
        // The timeline is recorded while a game day runs (docs/gameday.md).
        const stopRecording = recordLabTimeline(lab, 'gameday', { log: task.log });
        try {
          return await runGameday({
            labName: lab,
            loaded,
            speed,
            actor: by,
            signal: task.signal,
            stores: ctx.stores.lease,
            onUpdate: (state, line) => {
              runId = state.id;
              if (line) task.log(line);
            },
          });
        } finally {
          await stopRecording();
        }
      },
    );
    done.catch((error: unknown) => (failed = error));
    // Answer once the runner holds the lab (or refused to start: a scenario runs, no steady state).
    const deadline = Date.now() + STARTED_WITHIN_MS;
    while (runId === undefined && failed === undefined && Date.now() < deadline) await sleep(50);
    if (failed !== undefined) throw failed;
    if (runId === undefined)
      throw new KartStreamError(
        'timeout',
        `the game day did not start on lab ${lab} within ${STARTED_WITHIN_MS / 1000} s`,
        {
          fix: 'see the task log',
        },
      );
    return { run: runId, taskId };
  },

  control: async (lab, request, by) => {
    await requireLabRecord(lab);
    const state = await activeGameday(lab);
    if (!state)
      throw new KartStreamError('not-found', `no game day is running on lab ${lab}`, {
        fix: 'start one from the facilitator console',
      });
    if (request.type === 'inject' && !state.injects.some((i) => i.id === request.inject))
      throw new KartStreamError(
        'invalid-input',
        `game day ${state.gameday} has no inject "${request.inject}"`,
        {
          details: [`its injects: ${state.injects.map((i) => i.id).join(', ')}`],
        },
      );
    await requestGameday(lab, { ...request, by });
    return viewOf(lab, true);
  },

  postmortem: async (lab) => {
    await requireLabRecord(lab);
    return report(lab);
  },

  savePostmortem: async (lab, run, sections) => {
    await requireLabRecord(lab);
    await savePostmortemSections(lab, run, sections);
    return report(lab);
  },
});
