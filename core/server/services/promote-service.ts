// Promote to AWS for the UI: the caller identity, the plan before anything happens, apply / scale /
// destroy as tasks (one step per resource, as the engine reports them), and status. Destroy needs
// the lab's name typed again. The AWS SDK loads on the first promote call, not at server start.
import type {
  AwsInput,
  PromoteDestroyInput,
  PromoteInput,
  PromoteScaleInput,
} from '../../contract/inputs.ts';
import type { KartStreamServices } from '../../contract/services.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { readLabRecord } from '../../lab/lab-record.ts';
import type { PromoteOptions } from '../../promote/context.ts';
import type { RunTaskOptions, TaskReporter } from '../../tasks/task.ts';
import { identityView, planView, statusView } from './promote-views.ts';
import type { ServiceContext } from './service-context.ts';

const load = {
  apply: () => import('../../promote/apply.ts'),
  clients: () => import('../../promote/aws-clients.ts'),
  context: () => import('../../promote/context.ts'),
  destroy: () => import('../../promote/destroy.ts'),
  identity: () => import('../../promote/identity.ts'),
  plan: () => import('../../promote/plan.ts'),
  planText: () => import('../../promote/plan-text.ts'),
  scale: () => import('../../promote/scale.ts'),
  status: () => import('../../promote/status.ts'),
};

// The engine's own task events, replayed into the server's task: its steps become ours.
const forwardTo = (task: TaskReporter): RunTaskOptions => ({
  signal: task.signal,
  onEvent: (event) => {
    if (event.type === 'step') task.step(event.title);
    else if (event.type === 'progress') task.progress(event.fraction, event.message);
    else if (event.type === 'log') task.log(event.line);
  },
});

// What the CLI's flags would say. A lab promoted before keeps the topology it was promoted
// with; otherwise the topology the local lab was created from, else the default one.
const promoteOptions = async (input: {
  lab: string;
  region?: string;
  profile?: string;
  nat?: string;
}): Promise<PromoteOptions> => {
  const { readPromoteRecord } = await load.context();
  const local = (await readPromoteRecord(input.lab)) ? undefined : await readLabRecord(input.lab);
  return {
    name: input.lab,
    region: input.region,
    profile: input.profile,
    nat: input.nat,
    topologyFile: local?.topologyFile,
  };
};

// Checks the inputs (topology, region, NAT mode) before a task starts, and gives the region.
const resolvedRegion = async (options: PromoteOptions): Promise<string> => {
  const [{ promoteContext }, { closeClients }] = await Promise.all([load.context(), load.clients()]);
  const resolved = await promoteContext(options);
  closeClients(resolved.clients);
  return resolved.names.region;
};

export const createPromoteService = (ctx: ServiceContext): KartStreamServices['promote'] => ({
  identity: async ({ region, profile }: AwsInput) => {
    const [{ promoteContext }, { closeClients }, { callerIdentity }] = await Promise.all([
      load.context(),
      load.clients(),
      load.identity(),
    ]);
    // The region a promote of the default lab would use, unless one is given.
    const resolved = await promoteContext({ name: ctx.defaultLab, region, profile });
    try {
      const identity = await callerIdentity(resolved.clients);
      return identityView(identity, resolved.clients.region, resolved.clients.endpoint);
    } finally {
      closeClients(resolved.clients);
    }
  },

  plan: async (input: PromoteInput) => {
    const [{ planPromotion }, { planText }] = await Promise.all([load.plan(), load.planText()]);
    const plan = await planPromotion(await promoteOptions(input));
    return planView(plan, planText(plan));
  },

  apply: async (input: PromoteInput) => {
    const options = await promoteOptions(input);
    const region = await resolvedRegion(options);
    const [{ applyPromotion }, { endpointOverride }] = await Promise.all([load.apply(), load.clients()]);
    // An emulator (AWS_ENDPOINT_URL, e.g. moto in tests) has no Kubernetes API to deploy into.
    const endpoint = endpointOverride();
    const { taskId } = ctx.tasks.start(
      `Promote lab ${input.lab} to EKS in ${region}`,
      { kind: 'promote', lab: input.lab },
      async (task) => {
        if (endpoint)
          task.log(
            `AWS_ENDPOINT_URL points at ${endpoint}, which has no Kubernetes API: apply stops after the node groups and the kubeconfig`,
          );
        return applyPromotion({ ...options, infraOnly: endpoint !== undefined }, forwardTo(task));
      },
    );
    return { taskId };
  },

  status: async (input: PromoteInput) => {
    const { promoteStatus } = await load.status();
    return statusView(await promoteStatus(await promoteOptions(input)));
  },

  scale: async ({ lab, pool, nodes, region, profile }: PromoteScaleInput) => {
    const options = await promoteOptions({ lab, region, profile });
    const [{ promoteContext }, { closeClients }, { scalePromotedPool, scalingFor }] = await Promise.all([
      load.context(),
      load.clients(),
      load.scale(),
    ]);
    // A pool that is not in the topology, or a size beyond its maximum, is refused at once.
    const resolved = await promoteContext(options);
    closeClients(resolved.clients);
    const spec = resolved.topology.pools.find((p) => p.name === pool);
    if (!spec)
      throw new KartStreamError('invalid-input', `pool: there is no pool named ${JSON.stringify(pool)}`, {
        fix: `use one of ${resolved.topology.pools.map((p) => p.name).join(', ')}`,
      });
    scalingFor(spec, nodes);
    const { taskId } = ctx.tasks.start(
      `Scale pool ${pool} of promoted lab ${lab} to ${nodes}`,
      { kind: 'promote', lab },
      (task) => scalePromotedPool({ ...options, pool, nodes }, forwardTo(task)),
    );
    return { taskId };
  },

  destroy: async ({ lab, confirm, region, profile }: PromoteDestroyInput) => {
    if (confirm !== lab)
      throw new KartStreamError(
        'invalid-input',
        `destroy needs the lab's name typed exactly: got ${JSON.stringify(confirm)}, expected ${JSON.stringify(lab)}`,
        { fix: `type the lab name to confirm: ${lab}` },
      );
    const options = await promoteOptions({ lab, region, profile });
    const resolvedIn = await resolvedRegion(options);
    const { destroyPromotion } = await load.destroy();
    const { taskId } = ctx.tasks.start(
      `Destroy promoted lab ${lab} in ${resolvedIn}`,
      { kind: 'promote', lab },
      (task) => destroyPromotion(options, forwardTo(task)),
    );
    return { taskId };
  },
});
