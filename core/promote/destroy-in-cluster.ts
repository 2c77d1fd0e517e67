// Before a real cluster is deleted: its LoadBalancer Services made AWS load balancers (and their
// security groups) in the lab's VPC that no stack owns. Deleting the Services first lets the
// cloud controller remove them; otherwise they would block the VPC's deletion.
import { kubeClients } from '../kube/kube-client.ts';
import type { TaskReporter } from '../tasks/task.ts';
import type { AwsClients } from './aws-clients.ts';
import { writeEksKubeconfig } from './eks-kubeconfig.ts';
import type { PromoteNames } from './names.ts';
import type { ObservedCluster } from './observe.ts';
import { sleep } from '../tasks/wait.ts';

const LB_WAIT_MS = 5 * 60_000;

export const deleteLoadBalancers = async (
  clients: AwsClients,
  names: PromoteNames,
  cluster: ObservedCluster,
  task: TaskReporter,
): Promise<void> => {
  if (!cluster.endpoint) return;
  try {
    const { path } = await writeEksKubeconfig(clients, names, {
      endpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthority,
    });
    const { core } = kubeClients(path);
    const list = async () =>
      (await core.listServiceForAllNamespaces()).items.filter((s) => s.spec?.type === 'LoadBalancer');
    const services = await list();
    for (const s of services) {
      task.log(`deleting Service ${s.metadata?.namespace}/${s.metadata?.name} (type LoadBalancer)`);
      await core.deleteNamespacedService({
        name: s.metadata?.name ?? '',
        namespace: s.metadata?.namespace ?? '',
      });
    }
    const started = Date.now();
    while ((await list()).length > 0 && Date.now() - started < LB_WAIT_MS) await sleep(5_000, task.signal);
    // The controller deletes the AWS load balancer after the Service is gone; give it a moment.
    if (services.length > 0) await sleep(30_000, task.signal);
  } catch (error) {
    task.log(
      `could not delete the LoadBalancer Services (${(error as Error).message}); the sweep will try the rest`,
    );
  }
};
