// One run per lab, enforced where runs start: a run claims the lab by an exclusive create of
// <lab dir>/active-run.json (a complete file hard-linked into place, so of two concurrent starts,
// in one process or in two, exactly one wins and no reader sees half a file). The claim names
// its run and process, so a second start is refused with who holds the lab and how to abort it,
// and a claim whose process died is recovered (rolled back) by the next start.
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { isAlive } from '../exec/process-alive.ts';
import { labDir } from '../home/paths.ts';
import { ensurePrivateDir } from '../home/private-files.ts';

/** Who holds a lab: the run and the process running it. */
export interface RunClaim {
  id: string;
  pid: number;
  scenario: string;
  title: string;
  startedAt: string;
  /** A game day claims the lab the same way (core/gameday/); absent means a scenario. */
  kind?: 'scenario' | 'game day';
}

const claimFile = (lab: string) => join(labDir(lab), 'active-run.json');

// Runs going on in this process: a claim with our own pid is live only if it is one of these.
const runsHere = new Set<string>();

/** The lab's claim, or undefined when no run holds it. */
export const readRunClaim = async (lab: string): Promise<RunClaim | undefined> => {
  try {
    return JSON.parse(await readFile(claimFile(lab), 'utf8')) as RunClaim;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/** Whether the claim's runner still runs (here, or in a live process elsewhere). */
export const isClaimLive = (claim: Pick<RunClaim, 'id' | 'pid'>): boolean =>
  claim.pid === process.pid ? runsHere.has(claim.id) : isAlive(claim.pid);

/** The refusal for a start on a lab another run holds: which run, and how to abort it. */
export const labBusyError = (lab: string, holder: RunClaim): KartStreamError => {
  const kind = holder.kind ?? 'scenario';
  return new KartStreamError('conflict', `a ${kind} ("${holder.title}") is already running on lab ${lab}`, {
    details: [
      `run ${holder.id} (${kind} ${holder.scenario}), started ${holder.startedAt}${
        holder.pid === process.pid ? ' from this process' : ` by process ${holder.pid}`
      }`,
    ],
    fix:
      kind === 'game day'
        ? `end it first (npx kartstream gameday end --name ${lab}, or End in the facilitator console), or let its time box run out`
        : `abort it first (npx kartstream scenario abort --name ${lab}, or Abort in the scenario player), or let it finish`,
  });
};

/**
 * Claims the lab for a run, atomically; throws labBusyError naming the holder when a run
 * already holds it. The caller recovers stale claims first (recoverStaleRun).
 */
export const claimRun = async (lab: string, claim: RunClaim): Promise<void> => {
  const file = claimFile(lab);
  await ensurePrivateDir(labDir(lab));
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(claim, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(temp, file);
    runsHere.add(claim.id);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = await readRunClaim(lab);
    throw labBusyError(lab, holder ?? { ...claim, id: '(unknown)', title: 'another scenario' });
  } finally {
    await rm(temp, { force: true });
  }
};

/** Gives the lab back; only the run that holds it can (a recovered claim is left alone). */
export const releaseRun = async (lab: string, id: string): Promise<void> => {
  runsHere.delete(id);
  if ((await readRunClaim(lab))?.id === id) await rm(claimFile(lab), { force: true });
};
