// The actions a scenario can take (faults, repairs, changes), each in backend-neutral terms:
// node and pool actions go through the backend, the rest through the Kubernetes API.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { Capabilities } from '../backends/cluster-backend.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { serverSideApply } from '../kube/server-side-apply.ts';
import { renderStack } from '../stack/render-overlay.ts';
import { findSimBinaries } from '../backends/sim/binaries.ts';
import { FAULT_LABEL } from '../backends/sim/pod-faults.ts';
import { actionName, durationMs, type Action, type Scenario } from './scenario-types.ts';
import type { ScenarioContext } from './scenario-context.ts';

const patchTypes = {
  merge: PatchStrategy.MergePatch,
  strategic: PatchStrategy.StrategicMergePatch,
  json: PatchStrategy.JsonPatch,
} as const;

// Why a backend cannot run an action, or undefined when it can.
export const cannotRun = (
  action: Action,
  capabilities: Capabilities,
  backend: string,
): string | undefined => {
  // The backend's own reason, where it gives one (capabilities().unsupported).
  const why = capabilities.unsupported;
  if ('failNode' in action && !capabilities.failNode) return why.failNode ?? `${backend} cannot fail nodes`;
  if ('scalePool' in action && !capabilities.shrinkPool)
    return why.shrinkPool ?? `${backend} cannot scale node pools`;
  if ('breakPods' in action) {
    const mode = action.breakPods.mode === 'notready' ? 'not-ready' : action.breakPods.mode;
    if (!capabilities.breakPods.includes(mode))
      return `${backend} cannot break pods the "${action.breakPods.mode}" way${why[`breakPods:${mode}`] ? `: ${why[`breakPods:${mode}`]}` : ''}`;
  }
  if ('setUsage' in action) return `simulated CPU/memory usage (setUsage) is not available on ${backend} yet`;
  return undefined;
};

// Every action of a scenario that the backend cannot run, as "where: why" lines.
export const unsupportedActions = (
  scenario: Scenario,
  capabilities: Capabilities,
  backend: string,
): string[] => {
  const all: [string, Action][] = [
    ...scenario.setup.map((a, i): [string, Action] => [`setup[${i}]`, a]),
    ...scenario.steps.flatMap((s) => s.do.map((a, i): [string, Action] => [`steps.${s.id}.do[${i}]`, a])),
    ...scenario.rollback.map((a, i): [string, Action] => [`rollback[${i}]`, a]),
  ];
  return all.flatMap(([where, action]) => {
    const why = cannotRun(action, capabilities, backend);
    return why ? [`${where} (${actionName(action)}): ${why}`] : [];
  });
};

const nodesOfPool = (ctx: ScenarioContext, pool: string) =>
  ctx.store
    .nodes()
    .filter((n) => n.metadata?.labels?.pool === pool)
    .map((n) => n.metadata?.name ?? '')
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

const deployment = async (ctx: ScenarioContext, name: string): Promise<V1Deployment> =>
  ctx.clients.apps.readNamespacedDeployment({ name, namespace: ctx.namespace });

// Runs one action; returns a short description for the timeline.
export const runAction = async (ctx: ScenarioContext, action: Action): Promise<string> => {
  const { lab, backend, clients, namespace } = ctx;
  if ('failNode' in action) {
    const { node, pool, count = 1 } = action.failNode;
    const targets = node ? [node] : nodesOfPool(ctx, pool ?? '').slice(0, count);
    if (targets.length === 0) throw new KartStreamError('not-found', `failNode: no node in pool ${pool}`);
    for (const t of targets) await backend.failNode(lab, t);
    return `failed ${targets.join(', ')}`;
  }
  if ('healNode' in action) {
    const { node, pool } = action.healNode;
    const faulted = ctx.store
      .nodes()
      .filter(
        (n) =>
          n.metadata?.labels?.[FAULT_LABEL] ||
          n.status?.conditions?.some((c) => c.type === 'Ready' && c.status !== 'True'),
      );
    const targets = node
      ? [node]
      : faulted.filter((n) => !pool || n.metadata?.labels?.pool === pool).map((n) => n.metadata?.name ?? '');
    for (const t of targets) await backend.healNode(lab, t);
    return targets.length ? `healed ${targets.join(', ')}` : 'no node needed healing';
  }
  if ('scalePool' in action) {
    await backend.scalePool(lab, action.scalePool.pool, action.scalePool.nodes, ctx.task);
    return `pool ${action.scalePool.pool} scaled to ${action.scalePool.nodes}`;
  }
  if ('scaleDeployment' in action) {
    const { name, replicas } = action.scaleDeployment;
    await clients.apps.patchNamespacedDeploymentScale(
      { name, namespace, body: { spec: { replicas } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    return `deployment ${name} scaled to ${replicas}`;
  }
  if ('deletePods' in action) {
    const pods = await clients.core.listNamespacedPod({
      namespace,
      labelSelector: action.deletePods.selector,
    });
    await Promise.all(
      pods.items.map((p) => clients.core.deleteNamespacedPod({ name: p.metadata?.name ?? '', namespace })),
    );
    return `deleted ${pods.items.length} pod(s) matching ${action.deletePods.selector}`;
  }
  if ('breakPods' in action) {
    const { deployment: name, mode } = action.breakPods;
    const n = await backend.breakPods(
      lab,
      namespace,
      `app=${name}`,
      mode === 'notready' ? 'not-ready' : mode,
    );
    return `broke ${n} pod(s) of ${name} (${mode})`;
  }
  if ('healPods' in action) {
    const selector = action.healPods.deployment ? `app=${action.healPods.deployment}` : '';
    return `replaced ${await backend.healPods(lab, namespace, selector)} broken pod(s)`;
  }
  if ('apply' in action) {
    const file = resolve(ctx.scenarioDir, action.apply.file);
    const objects = parseAllDocuments(await readFile(file, 'utf8'))
      .map((d) => d.toJS() as KubernetesObject | null)
      .filter((o): o is KubernetesObject => o !== null)
      .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespace } }));
    await serverSideApply(clients, objects);
    return `applied ${file}`;
  }
  if ('patch' in action) {
    const { kind, name, type = 'merge', patch } = action.patch;
    const options = setHeaderOptions('Content-Type', patchTypes[type]);
    if (kind === 'Deployment')
      await clients.apps.patchNamespacedDeployment({ name, namespace, body: patch as object }, options);
    else if (kind === 'Service')
      await clients.core.patchNamespacedService({ name, namespace, body: patch as object }, options);
    else await clients.core.patchNode({ name, body: patch as object }, options);
    return `patched ${kind}/${name}`;
  }
  if ('removeToleration' in action) {
    const name = action.removeToleration.deployment;
    const current = await deployment(ctx, name);
    const kept = (current.spec?.template.spec?.tolerations ?? []).filter((t) => t.key !== 'pool');
    await clients.apps.patchNamespacedDeployment(
      { name, namespace, body: [{ op: 'replace', path: '/spec/template/spec/tolerations', value: kept }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    return `removed the pool toleration of ${name}`;
  }
  if ('restoreShop' in action) {
    const kubectl = (await findSimBinaries()).found.kubectl?.path ?? 'kubectl';
    const objects = await renderStack(kubectl, backend.name, lab.topology);
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
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ),
      ),
    );
    // A fault label put on a pod template (a simulated bad version) is not KartStream's field,
    // so apply leaves it: it is removed here, and broken pods are replaced.
    const faulty = ctx.store
      .deployments(namespace)
      .filter((d) => d.spec?.template.metadata?.labels?.[FAULT_LABEL]);
    await Promise.all(
      faulty.map((d) =>
        clients.apps.patchNamespacedDeployment(
          {
            name: d.metadata?.name ?? '',
            namespace,
            body: [
              { op: 'remove', path: `/spec/template/metadata/labels/${FAULT_LABEL.replace('/', '~1')}` },
            ],
          },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        ),
      ),
    );
    await backend.healPods(lab, namespace, '');
    return `re-applied the shop's ${objects.length} objects`;
  }
  if ('wait' in action) {
    await new Promise((r) => setTimeout(r, durationMs(action.wait.for)));
    return `waited ${action.wait.for}`;
  }
  throw new KartStreamError('invalid-input', `cannot run action ${actionName(action)} here`);
};
