// One run per lab, enforced where runs start: the claim on <lab dir>/active-run.json is an
// exclusive create, so of concurrent starts (in one process, or in several) exactly one wins and
// the others are told which run holds the lab and how to abort it; a dead runner's claim is
// recovered by the next start. No cluster is needed: the claim comes before the runner touches one.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isKartStreamError } from '../../../core/errors/kartstream-error.ts';
import { claimRun, readRunClaim, releaseRun, type RunClaim } from '../../../core/scenarios/run-claim.ts';
import { recoverStaleRun } from '../../../core/scenarios/scenario-recovery.ts';
import { activeRunId } from '../../../core/scenarios/run-files.ts';

const REPO = join(import.meta.dirname, '../../..');
const home = mkdtempSync(join(tmpdir(), 'kartstream-claim-'));
process.env.KARTSTREAM_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));

const claimOf = (id: string, pid = process.pid): RunClaim => ({
  id,
  pid,
  scenario: 'failover',
  title: 'Failover',
  startedAt: new Date().toISOString(),
});

let lab = '';
let n = 0;
beforeEach(() => {
  n += 1;
  lab = `claim-${n}`;
});

describe('claiming a lab for a run', () => {
  it('lets exactly one of many concurrent starts in one process win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => claimRun(lab, claimOf(`run-${i}`))),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    const holder = await readRunClaim(lab);
    for (const { reason } of lost) {
      expect(isKartStreamError(reason) && reason.code).toBe('conflict');
      expect((reason as Error).message).toBe(`a scenario ("Failover") is already running on lab ${lab}`);
      expect((reason as { details: string[] }).details[0]).toContain(`run ${holder?.id} (scenario failover)`);
      expect((reason as { fix?: string }).fix).toContain(`npx kartstream scenario abort --name ${lab}`);
    }
    await releaseRun(lab, holder!.id);
    expect(await readRunClaim(lab)).toBeUndefined();
  });

  it('lets exactly one of concurrent starts in separate processes win', async () => {
    const script = `
      import { claimRun } from ${JSON.stringify(join(REPO, 'core/scenarios/run-claim.ts'))};
      const id = 'run-' + process.pid;
      try {
        await claimRun(${JSON.stringify(lab)}, { id, pid: process.pid, scenario: 'failover', title: 'Failover', startedAt: new Date().toISOString() });
        console.log('won');
      } catch (error) { console.log('lost: ' + error.message); }`;
    const children = await Promise.all(
      Array.from({ length: 4 }, () =>
        execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: REPO,
          env: { ...process.env, KARTSTREAM_HOME: home },
        }),
      ),
    );
    const outputs = children.map((c) => c.stdout.trim());
    expect(outputs.filter((o) => o === 'won')).toHaveLength(1);
    expect(outputs.filter((o) => o.startsWith('lost: a scenario ("Failover") is already running'))).toHaveLength(3);
    // Four Node processes loading tsx: seconds on a busy two-core machine.
  }, 60_000);

  it('refuses a start while another live process holds the lab', async () => {
    // The parent of this test process is alive and is not a runner of this process.
    await claimRun(lab, claimOf('held-elsewhere', process.ppid));
    await expect(recoverStaleRun(lab)).resolves.toBeUndefined();
    await expect(claimRun(lab, claimOf('second'))).rejects.toThrow(/already running on lab/);
    expect((await readRunClaim(lab))?.id).toBe('held-elsewhere');
  });

  it('recovers the claim of a runner that died before it wrote its run, then lets the next start in', async () => {
    const dead = (await execa(process.execPath, ['-e', 'console.log(process.pid)'])).stdout.trim();
    mkdirSync(join(home, 'labs', lab), { recursive: true });
    writeFileSync(join(home, 'labs', lab, 'active-run.json'), JSON.stringify(claimOf('orphan', Number(dead))));
    expect((await readRunClaim(lab))?.id).toBe('orphan');
    await recoverStaleRun(lab);
    expect(await readRunClaim(lab)).toBeUndefined();
    await claimRun(lab, claimOf('next'));
    expect((await readRunClaim(lab))?.id).toBe('next');
  });

  it('never releases a claim it does not hold', async () => {
    await claimRun(lab, claimOf('mine'));
    await releaseRun(lab, 'someone-else');
    expect((await readRunClaim(lab))?.id).toBe('mine');
    await releaseRun(lab, 'mine');
  });

  it('tells a reader "no run" or the run, never an error, while another process claims and releases the lab', async () => {
    // A server watching the lab reads the active run while CLI runs start and end under it: here
    // another process links a claim into place and removes it, as fast as it can, for 3 s.
    const file = join(home, 'labs', lab, 'active-run.json');
    mkdirSync(join(home, 'labs', lab), { recursive: true });
    const churn = execa(process.execPath, [
      '-e',
      `const fs = require('node:fs');
       const [file, claim] = process.argv.slice(1);
       const end = Date.now() + 3000;
       while (Date.now() < end) {
         fs.writeFileSync(file + '.tmp', claim);
         fs.linkSync(file + '.tmp', file);
         fs.unlinkSync(file + '.tmp');
         fs.unlinkSync(file);
       }`,
      file,
      JSON.stringify(claimOf('cli-run', 1)),
    ], { reject: false });
    let ended = false;
    void churn.finally(() => (ended = true));
    const seen = new Set<string>();
    try {
      while (!ended) seen.add(String(await activeRunId(lab)));
    } finally {
      churn.kill();
    }
    expect((await churn).exitCode).toBe(0);
    expect([...seen].sort()).toEqual(['cli-run', 'undefined']);
  });
});
