// Promote through the core server's API against a real moto_server: the caller identity, the plan
// (with the CLI's text and a cost), apply and scale as tasks with a step per resource, status,
// and destroy behind the typed lab name. The services run in this process, as in `serve`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../../core/contract/router.ts';
import type { TaskUpdate } from '../../../core/contract/wire-types.ts';
import { isKartStreamError, type KartStreamError } from '../../../core/errors/kartstream-error.ts';
import { createServices, type CreatedServices } from '../../../core/server/services/index.ts';
import { loadTopology } from '../../../core/topology/index.ts';
import type { Topology } from '../../../core/topology/schema.ts';
import { useTempHome } from '../helpers/lab-env.ts';
import { startMoto, type MotoServer } from './moto-server.ts';
import { checkPromoted } from './promote-helpers.ts';
import { localContext } from '../../../core/server/share-service.ts';

const LAB = 'srv-promote';

let moto: MotoServer;
let home: { cleanup: () => void };
let topology: Topology;
let created: CreatedServices;
let api: ReturnType<typeof appRouter.createCaller>;
const savedEnv: Record<string, string | undefined> = {};

// The environment the server process would have: moto's endpoint and dummy credentials.
const setEnv = (env: Record<string, string | undefined>) => {
  for (const [k, v] of Object.entries(env)) {
    if (!(k in savedEnv)) savedEnv[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
};

// The engine error behind a failed call (the router sends it as `error.data.wire`).
const failure = async (call: Promise<unknown>): Promise<KartStreamError> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as { cause?: unknown },
  );
  expect(error, 'the call should have failed').toBeDefined();
  const cause = error?.cause;
  if (!isKartStreamError(cause)) throw error;
  return cause;
};

// Follows a task to its end, as the task view does.
const finish = async (taskId: string) => {
  const updates: TaskUpdate[] = [];
  for await (const update of await api.tasks.watch({ id: taskId })) {
    updates.push(update);
    if (update.type === 'end') break;
  }
  return { updates, task: await api.tasks.get({ id: taskId }) };
};

beforeAll(async () => {
  home = useTempHome();
  moto = await startMoto();
  setEnv(moto.env);
  topology = await loadTopology();
  created = createServices({ defaultLab: LAB, desktop: false });
  api = appRouter.createCaller(localContext(created.services));
}, 60_000);

afterAll(async () => {
  await created?.close();
  setEnv(savedEnv);
  await moto?.stop();
  home?.cleanup();
});

describe('promote through the core server', () => {
  it('shows who calls AWS, in which region, through which endpoint', async () => {
    const identity = await api.promote.identity({});
    expect(identity.account).toBe('123456789012');
    expect(identity.arn).toMatch(/^arn:aws:(iam|sts)::123456789012:/);
    expect(identity.region).toBe(topology.eks.region);
    expect(identity.endpoint).toBe(moto.endpoint);
    expect((await api.promote.identity({ region: 'us-east-2' })).region).toBe('us-east-2');
  });

  it('says plainly when there are no AWS credentials', async () => {
    const keys = {
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
    };
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const error = await failure(api.promote.identity({}));
      expect(error.message).toMatch(/no AWS credentials were found/);
      expect(error.fix).toMatch(/aws configure/);
    } finally {
      setEnv(keys);
    }
  });

  it('plans: every pool as a node group, a cost per hour, and the text the CLI prints', async () => {
    const plan = await api.promote.plan({ lab: LAB });
    expect(plan.lab).toBe(LAB);
    expect(plan.identity.account).toBe('123456789012');
    expect(plan.items.filter((i) => i.resource === 'node group').map((i) => i.name)).toEqual(
      topology.pools.map((p) => p.name),
    );
    expect(plan.items.every((i) => i.action === 'create')).toBe(true);
    expect(plan.changes).toBe(true);
    expect(plan.cost.perHour).toBeGreaterThan(0);
    expect(plan.cost.lines.reduce((sum, l) => sum + l.perHour, 0)).toBeCloseTo(plan.cost.perHour, 3);
    expect(plan.text).toContain(`Promote lab ${LAB} to EKS in ${plan.region} as ${plan.identity.arn}`);
    expect(plan.text).toMatch(/total \$\d+\.\d{4} per hour/);
    expect(plan.text).toContain(`plan: ${plan.summary.create} to create`);
    // A plan creates nothing.
    expect((await checkPromoted(moto.env, LAB)).taggedCount).toBe(0);
  });

  it('applies as a task with a step per resource, and status shows what exists', async () => {
    const { taskId } = await api.promote.applyPlan({ lab: LAB });
    expect((await api.tasks.get({ id: taskId })).kind).toBe('promote');
    const { updates, task } = await finish(taskId);
    expect(task.state, JSON.stringify(task.error)).toBe('done');
    expect(task.lab).toBe(LAB);
    const steps = task.steps.map((s) => s.title);
    expect(steps[0]).toBe('Check the AWS identity and the inputs');
    expect(steps.some((s) => s.startsWith('Network and IAM stack'))).toBe(true);
    expect(steps.some((s) => s.startsWith('EKS cluster'))).toBe(true);
    for (const pool of topology.pools)
      expect(steps.some((s) => s.startsWith(`Node group ${pool.name} `))).toBe(true);
    expect(task.steps.every((s) => s.state === 'done')).toBe(true);
    // The watcher saw the steps as they happened, and the log says why nothing was deployed.
    expect(updates.filter((u) => u.type === 'step').length).toBe(task.steps.length);
    expect(task.log.join('\n')).toMatch(/AWS_ENDPOINT_URL points at .* no Kubernetes API/);

    const status = await api.promote.status({ lab: LAB });
    expect(status.exists).toBe(true);
    expect(status.cluster?.status).toBe('ACTIVE');
    expect(status.nodegroups.map((n) => n.name).sort()).toEqual(topology.pools.map((p) => p.name).sort());
    for (const pool of topology.pools)
      expect(status.nodegroups.find((n) => n.name === pool.name)?.desired).toBe(pool.nodes);
  });

  it('scales a pool to zero as a task, and refuses a pool that does not exist at once', async () => {
    const error = await failure(api.promote.scale({ lab: LAB, pool: 'nosuchpool', nodes: 1 }));
    expect(error.code).toBe('invalid-input');
    expect(error.fix).toContain(topology.pools[0]!.name);

    const pool = topology.pools[1]!.name;
    const { taskId } = await api.promote.scale({ lab: LAB, pool, nodes: 0 });
    const { task } = await finish(taskId);
    expect(task.state, JSON.stringify(task.error)).toBe('done');
    expect(task.steps.map((s) => s.title)).toContain(`Wait for node group ${pool} to be ACTIVE`);
    const status = await api.promote.status({ lab: LAB });
    expect(status.nodegroups.find((n) => n.name === pool)?.desired).toBe(0);
  });

  it('refuses to destroy unless the lab name is typed exactly', async () => {
    for (const confirm of ['', 'srv', `${LAB} `, LAB.toUpperCase()]) {
      const error = await failure(api.promote.destroy({ lab: LAB, confirm }));
      expect(error.code).toBe('invalid-input');
      expect(error.fix).toMatch(/^type the lab name to confirm/);
    }
    expect((await api.promote.status({ lab: LAB })).exists).toBe(true);
  });

  it('destroys with the right name, as a task, and leaves nothing', async () => {
    const { taskId } = await api.promote.destroy({ lab: LAB, confirm: LAB });
    const { task } = await finish(taskId);
    expect(task.state, JSON.stringify(task.error)).toBe('done');
    expect(task.steps.at(-1)?.title).toBe('Check that nothing tagged is left');
    const status = await api.promote.status({ lab: LAB });
    expect(status.exists).toBe(false);
    expect(status.nodegroups).toEqual([]);
    expect((await checkPromoted(moto.env, LAB)).taggedCount).toBe(0);
  });
});
