// At server start: a scenario run (or game day) whose runner died with the last server (killed,
// crashed, machine restarted) is rolled back now, not when someone next opens its lab, so no
// fault outlives the process that injected it. A lab that cannot be reached keeps its claim and
// is rolled back by the next command on it.
import { describeError } from '../errors/kartstream-error.ts';
import { listLabNames } from '../lab/lab-record.ts';
import { recoverStaleGameday } from '../gameday/gameday-recovery.ts';
import { recoverStaleRun } from '../scenarios/scenario-recovery.ts';

export const recoverInterruptedRuns = async (log: (line: string) => void): Promise<void> => {
  for (const lab of await listLabNames()) {
    try {
      await recoverStaleGameday(lab);
      const recovered = await recoverStaleRun(lab);
      if (recovered)
        log(`lab ${lab}: run ${recovered.id} had stopped with the last server; it was rolled back`);
    } catch (error) {
      log(
        `lab ${lab}: could not roll back the run interrupted with the last server (${describeError(error).split('\n')[0]}); the next scenario command on the lab tries again`,
      );
    }
  }
};
