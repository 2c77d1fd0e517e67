// Deploys rendered objects by server-side apply, as a task step with progress.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/kube-client.ts';
import { serverSideApply } from '../kube/server-side-apply.ts';
import type { TaskReporter } from '../tasks/task.ts';

export const deployStack = (
  clients: KubeClients,
  objects: KubernetesObject[],
  task: TaskReporter,
): Promise<KubernetesObject[]> =>
  serverSideApply(clients, objects, {
    signal: task.signal,
    onApplied: (object, index, total) => {
      task.log(`applied ${object.kind}/${object.metadata?.name}`);
      task.progress((index + 1) / total);
    },
  });

// The names of the Deployments in a rendered set, in a namespace.
export const deploymentNames = (objects: readonly KubernetesObject[]): string[] =>
  objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata?.name ?? '');
