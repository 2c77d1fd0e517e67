// Objects as the API server returns them (managedFields, kubectl's last-applied annotation, the
// service account token volume, node images): a small cluster of two nodes, four shop pods
// (running, crash-looping, Pending) and two Deployments.
import type { V1Deployment, V1ManagedFieldsEntry, V1Node, V1Pod } from '@kubernetes/client-node';
import { LAST_APPLIED } from '../../core/kube/slim-objects.ts';

const managedFields = (manager: string): V1ManagedFieldsEntry[] => [
  {
    manager,
    operation: 'Apply',
    apiVersion: 'v1',
    time: new Date('2026-12-06T03:00:00Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { 'f:app': {}, 'f:pool': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"server"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    },
  },
];

const node = (name: string, pool: string, ready: boolean, extra: Partial<V1Node['spec']> = {}): V1Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    uid: `uid-${name}`,
    resourceVersion: '10',
    creationTimestamp: new Date('2026-12-06T03:00:00Z'),
    labels: { pool, 'topology.kubernetes.io/zone': `zone-${name.at(-1)}`, 'kubernetes.io/hostname': name },
    annotations: { 'node.alpha.kubernetes.io/ttl': '0', [LAST_APPLIED]: '{"kind":"Node"}' },
    managedFields: managedFields('kwok'),
  },
  spec: {
    taints: [{ key: 'pool', value: pool, effect: 'NoSchedule' }],
    providerID: `kwok://${name}`,
    ...extra,
  },
  status: {
    conditions: [
      { type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletReady' },
      { type: 'MemoryPressure', status: 'False' },
    ],
    addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
    allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    nodeInfo: {
      kubeletVersion: 'v1.36.3',
      osImage: 'kwok',
      architecture: 'amd64',
      bootID: '',
      containerRuntimeVersion: '',
      kernelVersion: '',
      kubeProxyVersion: '',
      machineID: '',
      operatingSystem: 'linux',
      systemUUID: '',
    },
    images: [{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 1 }],
    volumesInUse: ['kubernetes.io/csi/x'],
  },
});

export const pod = (name: string, app: string, nodeName: string | undefined, phase: string): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'shop',
    uid: `uid-${name}`,
    resourceVersion: '20',
    generateName: `${app}-abc-`,
    creationTimestamp: new Date('2026-12-06T03:01:00Z'),
    labels: { app, 'kartstream.dev/pool': 'backend', 'pod-template-hash': 'abc' },
    annotations: { 'kartstream.dev/error-rate': '0.25', [LAST_APPLIED]: '{"kind":"Pod"}' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-abc`, uid: 'rs', controller: true },
    ],
    managedFields: managedFields('kube-controller-manager'),
  },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    nodeSelector: { pool: 'backend' },
    tolerations: [
      { key: 'pool', operator: 'Equal', value: 'backend', effect: 'NoSchedule' },
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
    priorityClassName: 'shop',
    containers: [
      {
        name: 'server',
        image: 'shop/cart:1',
        ports: [{ containerPort: 7070, protocol: 'TCP' }],
        env: [{ name: 'USERS', value: '30' }],
        resources: { limits: { cpu: '300m', memory: '128Mi' }, requests: { cpu: '100m' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [
          {
            name: 'kube-api-access-x',
            readOnly: true,
            mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
          },
        ],
      },
    ],
    volumes: [
      {
        name: 'kube-api-access-x',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ],
        },
      },
    ],
  },
  status: {
    phase,
    hostIP: nodeName ? '10.0.0.1' : undefined,
    podIP: nodeName ? '10.244.0.7' : undefined,
    conditions: nodeName
      ? [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: phase === 'Running' ? 'True' : 'False' },
        ]
      : [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
    containerStatuses: nodeName
      ? [
          {
            name: 'server',
            image: 'shop/cart:1',
            imageID: '',
            ready: phase === 'Running',
            restartCount: 2,
            state:
              phase === 'Running'
                ? { running: { startedAt: new Date() } }
                : { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ]
      : undefined,
  },
});

const deployment = (name: string, replicas: number, available: number): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name,
    namespace: 'shop',
    generation: 2,
    resourceVersion: '30',
    labels: { app: name, 'kartstream.dev/pool': 'backend' },
    annotations: { 'deployment.kubernetes.io/revision': '2', [LAST_APPLIED]: '{"kind":"Deployment"}' },
    managedFields: managedFields('kartstream'),
  },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        nodeSelector: { pool: 'backend' },
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
        ],
        containers: [{ name: 'main', image: 'x', env: [{ name: 'USERS', value: '30' }] }],
      },
    },
  },
  status: { observedGeneration: 2, replicas, updatedReplicas: replicas, availableReplicas: available },
});

export const NODES = [
  node('backend-1', 'backend', true),
  node('backend-2', 'backend', false, { unschedulable: true }),
];
export const PODS = [
  pod('cartservice-abc-1', 'cartservice', 'backend-1', 'Running'),
  pod('cartservice-abc-2', 'cartservice', 'backend-2', 'Pending'),
  pod('loadgenerator-abc-1', 'loadgenerator', 'backend-1', 'Running'),
  pod('cartservice-abc-3', 'cartservice', undefined, 'Pending'),
];
export const DEPLOYMENTS = [deployment('cartservice', 3, 1), deployment('loadgenerator', 1, 1)];
