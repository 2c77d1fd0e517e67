// Pod faults on real containers, through the API only (kind and external clusters share this). A
// pod label does nothing where real kubelets run (only the sim's KWOK stages read it), so a fault
// is a JSON patch of the pods' owner Deployment: `crashloop` replaces each container's
// command with a path that does not exist (the runtime cannot start it, exit 128, and the kubelet
// restarts it with back-off: CrashLoopBackOff) — no image needs a shell for this; `not-ready`
// gives each container a readiness probe on TCP port 1, where nothing listens. The rollout
// strategy becomes Recreate, so the healthy pods go at once instead of waiting for broken ones to
// become ready. What was there before is kept in an annotation, and heal puts exactly that back.
import type { V1Container, V1Deployment, V1DeploymentStrategy } from '@kubernetes/client-node';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import type { PodFault } from '../cluster-backend.ts';

export const FAULT_ANNOTATION = 'kartstream.dev/fault';
/** The faults a patched Deployment can give its pods; `failed` cannot be had (a Deployment pod restarts forever). */
export const DEPLOYMENT_POD_FAULTS = ['crashloop', 'not-ready'] as const satisfies readonly PodFault[];
export const CRASHLOOP_COMMAND = ['/kartstream-fault/crashloop'];
export const NOT_READY_PROBE = { tcpSocket: { port: 1 }, periodSeconds: 2, failureThreshold: 1 };

export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

interface SavedContainer {
  name: string;
  command?: string[];
  readinessProbe?: V1Container['readinessProbe'];
}
interface SavedFault {
  fault: PodFault;
  strategy?: V1DeploymentStrategy;
  containers: SavedContainer[];
}

const ANNOTATION_PATH = `/metadata/annotations/${FAULT_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1')}`;
const containersOf = (d: V1Deployment) => d.spec?.template?.spec?.containers ?? [];
const at = (i: number, field = '') => `/spec/template/spec/containers/${i}${field}`;

/** The fault a Deployment carries now, if any. */
export const currentFault = (d: V1Deployment): PodFault | undefined => {
  const text = d.metadata?.annotations?.[FAULT_ANNOTATION];
  return text ? (JSON.parse(text) as SavedFault).fault : undefined;
};

/** The JSON patch that gives a (healthy) Deployment's pods `fault`. */
export const faultPatch = (d: V1Deployment, fault: PodFault): JsonPatchOp[] => {
  if (!(DEPLOYMENT_POD_FAULTS as readonly string[]).includes(fault))
    throw new KartStreamError(
      'backend-unavailable',
      `patching a Deployment cannot give pods the fault "${fault}"`,
      {
        fix: `use one of: ${DEPLOYMENT_POD_FAULTS.join(', ')}`,
      },
    );
  if (currentFault(d))
    throw new KartStreamError('conflict', `Deployment ${d.metadata?.name} already has a fault`, {
      fix: 'heal its pods first (Heal in the pod details on the map, or a scenario step that heals them)',
    });
  const containers = containersOf(d);
  const saved: SavedFault = {
    fault,
    ...(d.spec?.strategy ? { strategy: d.spec.strategy } : {}),
    containers: containers.map((c) => ({
      name: c.name,
      ...(c.command ? { command: c.command } : {}),
      ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
    })),
  };
  const annotations = d.metadata?.annotations;
  return [
    ...containers.map((c, i): JsonPatchOp => ({ op: 'test', path: at(i, '/name'), value: c.name })),
    annotations
      ? { op: 'add', path: ANNOTATION_PATH, value: JSON.stringify(saved) }
      : { op: 'add', path: '/metadata/annotations', value: { [FAULT_ANNOTATION]: JSON.stringify(saved) } },
    { op: 'add', path: '/spec/strategy', value: { type: 'Recreate' } },
    ...containers.map((_c, i): JsonPatchOp =>
      fault === 'crashloop'
        ? { op: 'add', path: at(i, '/command'), value: CRASHLOOP_COMMAND }
        : { op: 'add', path: at(i, '/readinessProbe'), value: NOT_READY_PROBE },
    ),
  ];
};

/** The JSON patch that puts back what faultPatch changed; [] for a Deployment without a fault. */
export const healPatch = (d: V1Deployment): JsonPatchOp[] => {
  const text = d.metadata?.annotations?.[FAULT_ANNOTATION];
  if (!text) return [];
  const saved = JSON.parse(text) as SavedFault;
  const containers = containersOf(d);
  const restore = (i: number, field: 'command' | 'readinessProbe', value: unknown): JsonPatchOp[] => {
    const present = containers[i]?.[field] !== undefined;
    if (value !== undefined) return [{ op: present ? 'replace' : 'add', path: at(i, `/${field}`), value }];
    return present ? [{ op: 'remove', path: at(i, `/${field}`) }] : [];
  };
  return [
    ...saved.containers.map((c, i): JsonPatchOp => ({ op: 'test', path: at(i, '/name'), value: c.name })),
    // The annotation map goes whole when ours is all it holds (an empty map is no annotations).
    Object.keys(d.metadata?.annotations ?? {}).length === 1
      ? { op: 'remove', path: '/metadata/annotations' }
      : { op: 'remove', path: ANNOTATION_PATH },
    saved.strategy
      ? { op: 'replace', path: '/spec/strategy', value: saved.strategy }
      : { op: 'remove', path: '/spec/strategy' },
    ...saved.containers.flatMap((c, i) => [
      ...restore(i, 'command', c.command),
      ...restore(i, 'readinessProbe', c.readinessProbe),
    ]),
  ];
};
