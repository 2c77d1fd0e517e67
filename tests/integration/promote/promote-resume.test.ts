// An apply killed (SIGKILL, no cleanup) at the start of each of its steps, then run again, must
// converge: everything the plan promised exists as boto3 sees it, and a plan afterwards has
// nothing left to do. Each step gets its own lab, so the cases do not share state.
import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, useTempHome } from '../helpers/lab-env.ts';
import { startMoto, type MotoServer } from './moto-server.ts';
import { checkPromoted, promoteCli } from './promote-helpers.ts';

let moto: MotoServer;
let home: { cleanup: () => void };

beforeAll(async () => {
  home = useTempHome();
  moto = await startMoto();
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  home?.cleanup();
});

/** apply --infra-only has 13 steps: identity, plan, stack, policies, cluster, access entry,
 * four node groups, wait, add-ons, kubeconfig. */
const STEPS = Array.from({ length: 13 }, (_, i) => i + 1);

// Runs apply and SIGKILLs it as soon as it announces step `step`; returns what it printed.
const applyKilledAt = async (lab: string, step: number): Promise<{ killed: boolean; stderr: string }> => {
  const child = execa(
    'node',
    [join(REPO, 'bin/kartstream.js'), 'promote', 'apply', '--infra-only', '--name', lab],
    {
      cwd: REPO,
      env: { ...process.env, ...moto.env },
      reject: false,
      buffer: false,
    },
  );
  let stderr = '';
  let killed = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += String(chunk);
    if (!killed && new RegExp(`^\\[${step}\\] `, 'm').test(stderr)) {
      killed = true;
      child.kill('SIGKILL');
    }
  });
  await child;
  return { killed, stderr };
};

describe('an interrupted apply converges when run again', () => {
  it.each(STEPS)('killed at step %i', async (step) => {
    const lab = `resume-${step}`;
    const first = await applyKilledAt(lab, step);
    expect(first.killed, `apply never reached step ${step}:\n${first.stderr}`).toBe(true);

    const again = await promoteCli(moto.env, ['apply', '--infra-only', '--name', lab]);
    expect(again.exitCode, again.stderr).toBe(0);

    const r = await checkPromoted(moto.env, lab);
    expect(r.vpcs).toHaveLength(1);
    expect(Object.values(r.subnets).flat()).toHaveLength(6);
    expect(r.natGateways).toHaveLength(1);
    expect(r.roles.map((role) => role.policies.length).sort()).toEqual([1, 1, 3]);
    expect(r.cluster?.status).toBe('ACTIVE');
    expect(r.nodegroups.map((n) => `${n.name}:${n.status}`)).toEqual([
      'backend:ACTIVE',
      'database:ACTIVE',
      'frontend:ACTIVE',
      'monitoring:ACTIVE',
    ]);

    const plan = await promoteCli(moto.env, ['plan', '--name', lab, '-o', 'json']);
    expect((JSON.parse(plan.stdout) as { changes: boolean }).changes).toBe(false);
  });
});
