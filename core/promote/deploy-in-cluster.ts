// The in-cluster half of apply, on a real EKS API only: the eks overlay (the shop, placed by the
// same placement component as every backend) and the monitoring stack, deployed through the
// engine's render + server-side apply, then waited available. moto has no Kubernetes API, so
// tests reach this only behind KARTSTREAM_EKS_E2E=1 with real credentials.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findSimBinaries } from '../backends/sim/binaries.ts';
import { kubeClients } from '../kube/kube-client.ts';
import { WatchStore } from '../kube/watch-store.ts';
import { SHOP_NAMESPACE } from '../lab/lab-record.ts';
import { deployStack, deploymentNames } from '../stack/deploy-stack.ts';
import { waitDeploymentsAvailable } from '../kube/readiness.ts';
import { MANIFESTS_DIR, renderKustomization, renderStack } from '../stack/render-overlay.ts';
import type { TaskReporter } from '../tasks/task.ts';
import type { Topology } from '../topology/schema.ts';

const WORKLOADS_TIMEOUT_MS = 10 * 60_000;
export const MONITORING_DIR = join(MANIFESTS_DIR, 'monitoring', 'overlays', 'eks');

// kubectl only renders here (kustomize); the lab's own build, else the one on PATH.
const renderingKubectl = async (): Promise<string> =>
  (await findSimBinaries()).found.kubectl?.path ?? 'kubectl';

export const deployToEks = async (
  kubeconfig: string,
  topology: Topology,
  task: TaskReporter,
): Promise<void> => {
  const kubectl = await renderingKubectl();
  const objects = await renderStack(kubectl, 'eks', topology);
  if (existsSync(join(MONITORING_DIR, 'kustomization.yaml'))) {
    objects.push(...(await renderKustomization(kubectl, MONITORING_DIR)));
  } else {
    task.log(`no monitoring manifests at ${MONITORING_DIR}; deployed the shop only`);
  }
  const clients = kubeClients(kubeconfig);
  await deployStack(clients, objects, task);
  const store = new WatchStore(clients);
  try {
    await store.start();
    const names = deploymentNames(
      objects.filter((o) => (o.metadata?.namespace ?? SHOP_NAMESPACE) === SHOP_NAMESPACE),
    );
    task.progress(0.9, `waiting for the ${names.length} workloads of the shop to be available`);
    await waitDeploymentsAvailable(store, SHOP_NAMESPACE, names, {
      timeoutMs: WORKLOADS_TIMEOUT_MS,
      signal: task.signal,
    });
  } finally {
    await store.stop();
  }
};
