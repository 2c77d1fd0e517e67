// `promote apply`: one task, one step per resource, each step converging its resource from what
// exists now, so an apply interrupted at any step and run again picks up where it stopped.
// `infraOnly` stops after the node groups and the kubeconfig (moto has no Kubernetes API).
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { withLabLock } from '../lab/lab-lock.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { runTask, type RunTaskOptions } from '../tasks/task.ts';
import { applyAccessEntry, applyAddons, applyCluster } from './apply-cluster.ts';
import { applyNodegroup, removeStrayNodegroups, waitNodegroupsActive } from './apply-nodegroups.ts';
import { applyStack } from './apply-stack.ts';
import { closeClients } from './aws-clients.ts';
import { promoteContext, writePromoteRecord, type PromoteOptions } from './context.ts';
import { writeEksKubeconfig } from './eks-kubeconfig.ts';
import { checkEksLabName, eksLabName, registerEksLab } from './eks-lab.ts';
import { callerIdentity, describeIdentity, type CallerIdentity } from './identity.ts';
import { checkInstanceTypes, computePlan, type PromotionPlan } from './plan.ts';
import { summaryLine } from './plan-text.ts';
import { ensureRolePolicies } from './role-policies.ts';

export interface ApplyOptions extends PromoteOptions {
  /** Stop after the node groups and the kubeconfig: no in-cluster deploy. */
  infraOnly?: boolean;
}

export interface ApplyResult {
  lab: string;
  region: string;
  identity: CallerIdentity;
  plan: PromotionPlan;
  cluster: { name: string; status: string; endpoint?: string; version?: string };
  nodegroups: Record<string, string>;
  attachedPolicies: string[];
  kubeconfig: string;
  tokenExpiresAt: string;
  deployed: boolean;
  /** The external lab the cluster is registered as (not with infraOnly). */
  eksLab?: string;
  /** The shop's LoadBalancer URL, when AWS gave it an address in time. */
  shopUrl?: string;
  taskLog: string;
}

// One promote command at a time on a lab (lab-lock.ts): a second one is refused, naming the first.
export const applyPromotion = (
  options: ApplyOptions,
  taskOptions: RunTaskOptions = {},
): Promise<ApplyResult> =>
  withLabLock(
    checkLabName(options.name ?? DEFAULT_LAB_NAME),
    'promote apply',
    () => applyLocked(options, taskOptions),
    'promote',
  );

const applyLocked = async (options: ApplyOptions, taskOptions: RunTaskOptions): Promise<ApplyResult> => {
  const ctx = await promoteContext(options);
  const { clients, names } = ctx;
  if (clients.endpoint && !options.infraOnly) {
    closeClients(clients);
    throw new KartStreamError(
      'invalid-input',
      `AWS_ENDPOINT_URL points at ${clients.endpoint}, whose EKS clusters have no Kubernetes API to deploy to`,
      { fix: 'add --infra-only to stop after the node groups, or unset AWS_ENDPOINT_URL to use AWS' },
    );
  }
  try {
    return await runTask(
      `Promote lab ${names.lab} to EKS in ${names.region}`,
      async (task) => {
        task.step('Check the AWS identity and the inputs');
        // The lab the cluster will be registered as must be free before anything is created.
        if (!options.infraOnly) await checkEksLabName(names);
        const identity = await callerIdentity(clients);
        task.progress(0.5, describeIdentity(identity, clients));
        await checkInstanceTypes(clients, ctx.topology);

        task.step('Plan the changes');
        const { plan, desired } = await computePlan(ctx, identity);
        task.progress(1, summaryLine(plan));
        await writePromoteRecord(ctx);

        task.step(`Network and IAM stack ${names.stack}`);
        const outputs = await applyStack(clients, names, desired.template, desired.natMode, task);

        task.step("The roles' AWS managed policies");
        const attachedPolicies = await ensureRolePolicies(clients, outputs, task);

        task.step(`EKS cluster ${names.cluster} (Kubernetes ${desired.cluster.version})`);
        const cluster = await applyCluster(clients, names, desired.cluster, outputs, task);

        task.step(`Access entry for ${identity.principalArn}`);
        await applyAccessEntry(clients, names, identity.principalArn, task);

        const nodegroups: Record<string, string> = {};
        for (const spec of desired.nodegroups) {
          task.step(`Node group ${spec.name} (${spec.instanceType}, ${spec.subnetTier} subnets)`);
          nodegroups[spec.name] = await applyNodegroup(clients, names, spec, outputs, task);
          task.progress(1, `node group ${spec.name}: ${nodegroups[spec.name]}`);
        }
        task.step(`Wait for the ${desired.nodegroups.length} node groups to be ACTIVE`);
        await waitNodegroupsActive(clients, names.cluster, desired.nodegroups, task);
        for (const stray of await removeStrayNodegroups(clients, names.cluster, desired.nodegroups, task))
          nodegroups[stray] = 'deleted';

        task.step(`Core add-ons (${desired.addons.map((a) => a.name).join(', ')})`);
        await applyAddons(clients, names, desired.addons, task);

        task.step('Write the kubeconfig');
        const kubeconfig = await writeEksKubeconfig(clients, names, {
          endpoint: cluster.endpoint ?? '',
          certificateAuthority: cluster.certificateAuthority,
        });

        let deployed = false;
        let eksLab: string | undefined;
        let shopUrl: string | undefined;
        if (!options.infraOnly) {
          task.step('Deploy the shop and the monitoring stack');
          // Loaded here only: the Kubernetes client is heavy, and --infra-only never needs it.
          const { deployToEks } = await import('./deploy-in-cluster.ts');
          await deployToEks(kubeconfig.path, ctx.topology, task);
          deployed = true;
          task.step(`Register the cluster as lab ${eksLabName(names.lab)}`);
          const registered = await registerEksLab(
            {
              names,
              access: {
                endpoint: cluster.endpoint ?? '',
                certificateAuthority: cluster.certificateAuthority,
              },
              topologyFile: ctx.topologyFile,
              profile: clients.profile,
            },
            task,
          );
          eksLab = registered.lab;
          shopUrl = registered.shopUrl;
          task.log(
            `lab ${eksLab}: status, the map, the terminal and scenarios work on it; its kubeconfig mints its own EKS tokens${shopUrl ? `; the shop: ${shopUrl}` : "; the shop's load balancer has no address yet (kubectl -n shop get svc frontend-external shows when it has one; apply again to record it)"}`,
          );
        }
        return {
          lab: names.lab,
          region: names.region,
          identity,
          plan,
          cluster: {
            name: cluster.name,
            status: cluster.status,
            endpoint: cluster.endpoint,
            version: cluster.version,
          },
          nodegroups,
          attachedPolicies,
          kubeconfig: kubeconfig.path,
          tokenExpiresAt: kubeconfig.expiresAt.toISOString(),
          deployed,
          ...(eksLab ? { eksLab } : {}),
          ...(shopUrl ? { shopUrl } : {}),
          taskLog: task.logPath,
        };
      },
      taskOptions,
    );
  } finally {
    closeClients(clients);
  }
};
