// restoreShop: the shop's manifests are applied again, undoing what a scenario changed of them.
import type { KubernetesObject, V1Deployment, V1Service } from '@kubernetes/client-node';
import { findSimBinaries } from '../../backends/sim/binaries.ts';
import { FAULT_LABEL } from '../../backends/sim/pod-faults.ts';
import type { KubeClients } from '../../kube/kube-client.ts';
import { jsonPatch, mergePatch } from '../../kube/patch-options.ts';
import { waitDeploymentsSettled } from '../../kube/readiness.ts';
import { serverSideApply } from '../../kube/server-side-apply.ts';
import { renderStack } from '../../stack/render-overlay.ts';
import { ERROR_RATE_ANNOTATION } from '../../traffic/shop-view.ts';
import type { ActionHandler } from './action-handler.ts';

// Long enough for a real cluster's rollout (image pulls on kind or EKS); the sim settles in seconds.
const SETTLE_TIMEOUT_MS = 180_000;

// A Service keeps the type it has in the cluster: it is the target's choice (frontend-external is
// a ClusterIP on sim, a NodePort on kind, a LoadBalancer on EKS), and an attached cluster's shop
// was not necessarily deployed from the overlay its backend renders. No scenario changes a type.
const keepServiceTypes = async (clients: KubeClients, objects: KubernetesObject[]) =>
  Promise.all(
    objects.map(async (o) => {
      if (o.kind !== 'Service' || !o.metadata?.name) return o;
      const live = await clients.core
        .readNamespacedService({ name: o.metadata.name, namespace: o.metadata.namespace ?? '' })
        .catch(() => undefined);
      const service = o as V1Service;
      const type = live?.spec?.type;
      if (!type || type === (service.spec?.type ?? 'ClusterIP')) return o;
      const ports = service.spec?.ports?.map(({ nodePort: _nodePort, ...port }) => port);
      return { ...service, spec: { ...service.spec, type, ...(ports ? { ports } : {}) } };
    }),
  );

export const restoreShop: ActionHandler<'restoreShop'> = {
  run: async (ctx) => {
    const { backend, lab, clients, namespace } = ctx;
    const kubectl = (await findSimBinaries()).found.kubectl?.path ?? 'kubectl';
    const objects = await keepServiceTypes(clients, await renderStack(kubectl, backend.shopOverlay, lab.topology));
    // Server-side apply takes back every field the manifests set (tolerations, images, labels);
    // replicas are not in the manifests, so each Deployment is also scaled back to its own.
    await serverSideApply(clients, objects);
    const scaleBack = objects.filter((o) => o.kind === 'Deployment');
    await Promise.all(
      scaleBack.map((o) =>
        clients.apps.patchNamespacedDeploymentScale(
          {
            name: o.metadata?.name ?? '',
            namespace,
            body: { spec: { replicas: (o as V1Deployment).spec?.replicas ?? 1 } },
          },
          mergePatch,
        ),
      ),
    );
    // A fault label or error rate put on a pod template (a simulated bad version) is not
    // KartStream's field, so apply leaves it: it is removed here, and broken pods are replaced.
    // Read fresh, not from the watch cache, so a fault put on just before a rollback is seen.
    const live = (await clients.apps.listNamespacedDeployment({ namespace })).items;
    const pointer = (key: string) => key.replace('/', '~1');
    const faults = live.flatMap((d) => {
      const template = d.spec?.template.metadata;
      const ops = [
        ...(template?.labels?.[FAULT_LABEL] ? [`/spec/template/metadata/labels/${pointer(FAULT_LABEL)}`] : []),
        ...(template?.annotations?.[ERROR_RATE_ANNOTATION] !== undefined
          ? [`/spec/template/metadata/annotations/${pointer(ERROR_RATE_ANNOTATION)}`]
          : []),
      ].map((path) => ({ op: 'remove', path }));
      return ops.length ? [{ name: d.metadata?.name ?? '', ops }] : [];
    });
    await Promise.all(
      faults.map(({ name, ops }) =>
        clients.apps.patchNamespacedDeployment({ name, namespace, body: ops }, jsonPatch),
      ),
    );
    // Likewise spread constraints a learner added (zone-outage): the manifests have none to take back.
    const spreadInManifests = new Set(
      scaleBack
        .filter((o) => (o as V1Deployment).spec?.template.spec?.topologySpreadConstraints?.length)
        .map((o) => o.metadata?.name),
    );
    const spread = live.filter(
        (d) => d.spec?.template.spec?.topologySpreadConstraints?.length && !spreadInManifests.has(d.metadata?.name),
      );
    await Promise.all(
      spread.map((d) =>
        clients.apps.patchNamespacedDeployment(
          {
            name: d.metadata?.name ?? '',
            namespace,
            body: { spec: { template: { spec: { topologySpreadConstraints: null } } } },
          },
          mergePatch,
        ),
      ),
    );
    await backend.healPods(lab, namespace, '');
    // Done means back: a rollback or reset that returned while a scale-down or a rollout was
    // still under way would hand the next run (or the learner) a shop that is not the baseline.
    await waitDeploymentsSettled(
      ctx.store,
      namespace,
      scaleBack.map((o) => o.metadata?.name ?? ''),
      { timeoutMs: SETTLE_TIMEOUT_MS },
    );
    return `re-applied the shop's ${objects.length} objects; every Deployment is back to its replicas`;
  },
};
