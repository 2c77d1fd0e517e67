// The team's edits of a game day's postmortem draft, kept beside the run: the report is the
// fresh draft (scores always recomputed) with the sections the team saved for that run.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { formatPath } from '../validation/describe-issues.ts';
import { ensurePrivateDir, writePrivateJson } from '../home/private-files.ts';
import { readLabTimeline } from '../lab/lab-timeline.ts';
import { gamedayDir, postmortemFile, readGamedayState } from './gameday-files.ts';
import { loadGamedayFile } from './load-gameday.ts';
import {
  postmortemSectionsSchema,
  type Postmortem,
  type PostmortemSections,
} from '../contract/gameday-types.ts';
import { draftPostmortem } from './postmortem.ts';

/** The lab's latest game day's postmortem: the draft, with the team's saved sections. */
export const readPostmortem = async (lab: string): Promise<Postmortem> => {
  const state = await readGamedayState(lab);
  if (!state)
    throw new KartStreamError('not-found', `no game day has run on lab ${lab}`, {
      fix: `start one: npx kartstream gameday run cart-outage --name ${lab}`,
    });
  const script = await loadGamedayFile(state.file).then(
    (l) => l.gameday,
    () => ({ hints: [], roles: [] }),
  );
  const draft = draftPostmortem(state, (await readLabTimeline(lab)).entries, script);
  if (!existsSync(postmortemFile(lab))) return draft;
  const saved = JSON.parse(await readFile(postmortemFile(lab), 'utf8')) as {
    run: string;
    sections: PostmortemSections;
  };
  return saved.run === state.id ? { ...draft, sections: saved.sections } : draft;
};

export const savePostmortemSections = async (lab: string, run: string, sections: unknown): Promise<void> => {
  const state = await readGamedayState(lab);
  if (!state || state.id !== run)
    throw new KartStreamError('conflict', `run ${run} is not the latest game day of lab ${lab}`, {
      fix: 'reload the postmortem and edit the current draft',
    });
  await ensurePrivateDir(gamedayDir(lab));
  const parsed = postmortemSectionsSchema.safeParse(sections);
  if (!parsed.success)
    throw new KartStreamError('invalid-input', 'the postmortem draft has problems, so it was not saved', {
      details: parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
      fix: 'correct those fields and save again',
    });
  await writePrivateJson(postmortemFile(lab), { run, sections: parsed.data });
};
