// `promote status`: what a promoted lab has on AWS now (stack, cluster, node groups with their
// scaling, labels and taints) and where its kubeconfig is. Reads only.
import { existsSync } from 'node:fs';
import { closeClients } from './aws-clients.ts';
import { promoteContext, type PromoteOptions } from './context.ts';
import { callerIdentity, type CallerIdentity } from './identity.ts';
import { promoteKubeconfigPath } from './names.ts';
import { observe, type Observed } from './observe.ts';

export interface PromoteStatus {
  lab: string;
  region: string;
  identity: CallerIdentity;
  exists: boolean;
  stack?: { name: string; status: string };
  cluster?: { name: string; status: string; version?: string; endpoint?: string };
  nodegroups: Observed['nodegroups'];
  addons: Observed['addons'];
  kubeconfig?: string;
}

export const promoteStatus = async (options: PromoteOptions): Promise<PromoteStatus> => {
  const ctx = await promoteContext(options);
  try {
    const identity = await callerIdentity(ctx.clients);
    const observed = await observe(ctx.clients, ctx.names);
    const kubeconfig = promoteKubeconfigPath(ctx.names.lab);
    const { stack, cluster } = observed;
    return {
      lab: ctx.names.lab,
      region: ctx.names.region,
      identity,
      exists: Boolean(stack || cluster),
      stack: stack && { name: stack.name, status: stack.status },
      cluster: cluster && {
        name: cluster.name,
        status: cluster.status,
        version: cluster.version,
        endpoint: cluster.endpoint,
      },
      nodegroups: observed.nodegroups,
      addons: observed.addons,
      kubeconfig: existsSync(kubeconfig) ? kubeconfig : undefined,
    };
  } finally {
    closeClients(ctx.clients);
  }
};
