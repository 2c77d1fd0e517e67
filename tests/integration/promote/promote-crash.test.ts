// `promote apply` killed (SIGKILL) mid-way and never resumed: `plan` finds what exists and
// `destroy` removes all of it, as boto3 sees it. And two promote commands on one lab at once: the
// second is refused naming the first, which goes on and converges. Against moto_server.
import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, useTempHome } from '../helpers/lab-env.ts';
import { present, waitFor } from '../../helpers/wait.ts';
import { startMoto, type MotoServer } from './moto-server.ts';
import { checkPromoted, promoteCli } from './promote-helpers.ts';

let moto: MotoServer;
let home: { home: string; cleanup: () => void };
const children: ResultPromise[] = [];

beforeAll(async () => {
  home = useTempHome();
  moto = await startMoto();
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await moto?.stop();
  home?.cleanup();
});

// `promote apply --infra-only` in the background; `printed()` is what it wrote on stderr so far.
const startApply = (lab: string) => {
  const child = execa(
    'node',
    [join(REPO, 'bin/kartstream.js'), 'promote', 'apply', '--infra-only', '--name', lab],
    { cwd: REPO, env: { ...process.env, ...moto.env }, reject: false },
  );
  children.push(child);
  let stderr = '';
  let ended = false;
  child.stderr?.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  void child.then(() => (ended = true));
  // Resolves once `pattern` is printed; fails if the command ends first.
  const printed = (what: string, pattern: RegExp) =>
    waitFor(
      `${what} printed by \`promote apply\` (or the command ended)`,
      () => (ended ? 'ended' : pattern.test(stderr) ? 'printed' : undefined),
      present,
      120_000,
      { intervalMs: 20 },
    ).then((seen) => {
      if (seen === 'ended') throw new Error(`\`promote apply\` ended before ${what}:\n${stderr}`);
    });
  return { child, printed, stderr: () => stderr };
};

describe('promote apply killed mid-way', () => {
  it('plan afterwards finds the stack and the cluster it made, and destroy removes everything', async () => {
    const lab = 'killed-apply';
    const apply = startApply(lab);
    // Killed as the first node group is being created: the stack and the cluster exist.
    await apply.printed('the node-group step', /^\[7\] /m);
    apply.child.kill('SIGKILL');
    expect((await apply.child).signal).toBe('SIGKILL');

    const plan = await promoteCli(moto.env, ['plan', '--name', lab, '-o', 'json']);
    expect(plan.exitCode, plan.stderr).toBe(0);
    const planned = JSON.parse(plan.stdout) as {
      changes: boolean;
      items: { resource: string; action: string }[];
    };
    expect(planned.changes).toBe(true);
    const actionOf = (resource: RegExp) => planned.items.find((i) => resource.test(i.resource))?.action;
    // What the killed apply made is seen as there, not planned again.
    expect(actionOf(/cluster/i)).not.toBe('create');
    expect(actionOf(/stack/i)).not.toBe('create');
    expect(planned.items.some((i) => /node ?group/i.test(i.resource) && i.action === 'create')).toBe(true);

    const destroy = await promoteCli(moto.env, ['destroy', '--name', lab]);
    expect(destroy.exitCode, destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain(`lab ${lab} is destroyed`);
    const r = await checkPromoted(moto.env, lab);
    expect(r.taggedCount).toBe(0);
    expect(r.cluster).toBeNull();
    expect(r.vpcs).toEqual([]);
    expect(r.nodegroups).toEqual([]);
    expect(existsSync(join(home.home, 'locks', `${lab}.promote.lock`))).toBe(false);
  }, 300_000);
});

describe('two promote commands on one lab at once', () => {
  it('a second apply and a destroy are refused naming the running apply, which then converges', async () => {
    const lab = 'two-applies';
    const apply = startApply(lab);
    await apply.printed('the network stack step', /^\[3\] /m);
    // Paused (SIGSTOP), so it is surely still running while the others try; it goes on after.
    apply.child.kill('SIGSTOP');
    const lockFile = join(home.home, 'locks', `${lab}.promote.lock`);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({
      pid: apply.child.pid,
      command: 'promote apply',
    });
    const busy = `lab ${lab} is busy: \`promote apply\` (pid ${apply.child.pid}) is running`;
    const second = await promoteCli(moto.env, ['apply', '--infra-only', '--name', lab]);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain(busy);
    const destroy = await promoteCli(moto.env, ['destroy', '--name', lab]);
    expect(destroy.exitCode).toBe(1);
    expect(destroy.stderr).toContain(busy);

    apply.child.kill('SIGCONT');
    const first = await apply.child;
    expect(first.exitCode, apply.stderr()).toBe(0);
    const plan = await promoteCli(moto.env, ['plan', '--name', lab, '-o', 'json']);
    expect((JSON.parse(plan.stdout) as { changes: boolean }).changes).toBe(false);
    expect(existsSync(lockFile)).toBe(false);
    const gone = await promoteCli(moto.env, ['destroy', '--name', lab]);
    expect(gone.exitCode, gone.stderr).toBe(0);
  }, 300_000);
});
