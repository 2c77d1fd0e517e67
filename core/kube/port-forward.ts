// A port-forward through the Kubernetes API, as `kubectl port-forward` does it: a local server on
// 127.0.0.1 whose every connection becomes one API port-forward stream to a Ready pod. Given a
// Service, the pod is picked per connection among the Ready pods behind it (Service port →
// targetPort), so a forward outlives its pod: the next connection reaches the replacement.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { PortForward, type V1Pod, type V1Service } from '@kubernetes/client-node';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { kubeClients, type KubeClients } from './kube-client.ts';

/** What to forward to: a Service's port (the usual case) or a pod's own port. */
export type PortForwardTarget =
  { namespace: string; service: string; port: number } | { namespace: string; pod: string; port: number };

export interface PortForwardOptions {
  /** Where the local end listens; loopback only. */
  address?: '127.0.0.1';
  /** Local port; a free one when absent. */
  localPort?: number;
}

/** An open forward: connect to `url` (or 127.0.0.1:`localPort`); `close()` ends it and its streams. */
export interface OpenPortForward {
  url: string;
  localPort: number;
  close(): Promise<void>;
}

const isReady = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Running' &&
  !pod.metadata?.deletionTimestamp &&
  (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

// A named targetPort is looked up in the pod's containers, as the endpoints controller does.
const podPort = (pod: V1Pod, targetPort: number | string): number | undefined =>
  typeof targetPort === 'number'
    ? targetPort
    : pod.spec?.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === targetPort)?.containerPort;

const describe = (target: PortForwardTarget): string =>
  'service' in target
    ? `service ${target.namespace}/${target.service} port ${target.port}`
    : `pod ${target.namespace}/${target.pod} port ${target.port}`;

// The pod and its port one new connection goes to; throws when there is none to go to.
export const resolveForwardTarget = async (
  clients: KubeClients,
  target: PortForwardTarget,
): Promise<{ pod: string; port: number }> => {
  const { namespace } = target;
  if ('pod' in target) return { pod: target.pod, port: target.port };
  const service: V1Service = await clients.core.readNamespacedService({ name: target.service, namespace });
  const servicePort = service.spec?.ports?.find((p) => p.port === target.port);
  if (!servicePort)
    throw new KartStreamError('not-found', `${describe(target)}: the Service has no such port`, {
      fix: `ask for one of its ports: ${(service.spec?.ports ?? []).map((p) => p.port).join(', ')}`,
    });
  const selector = Object.entries(service.spec?.selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = selector
    ? (await clients.core.listNamespacedPod({ namespace, labelSelector: selector })).items
    : [];
  const ready = pods.filter(isReady);
  const pod = ready[0];
  if (!pod?.metadata?.name)
    throw new KartStreamError('not-found', `${describe(target)}: no Ready pod behind the Service`, {
      fix: `see why: kubectl -n ${namespace} get pods -l ${selector} -o wide`,
    });
  const port = podPort(pod, servicePort.targetPort ?? servicePort.port);
  if (port === undefined)
    throw new KartStreamError(
      'not-found',
      `${describe(target)}: pod ${pod.metadata.name} has no port ${String(servicePort.targetPort)}`,
    );
  return { pod: pod.metadata.name, port };
};

// Opens the forward. Nothing is checked up front but the Service's existence, so a forward can
// be opened while its pod is still starting (connections fail until a pod is Ready).
export const openPortForward = async (
  kubeconfigPath: string,
  target: PortForwardTarget,
  options: PortForwardOptions = {},
): Promise<OpenPortForward> => {
  const clients = kubeClients(kubeconfigPath);
  if ('service' in target)
    await clients.core
      .readNamespacedService({ name: target.service, namespace: target.namespace })
      .catch((cause: unknown) => {
        throw new KartStreamError(
          'not-found',
          `cannot forward to ${describe(target)}: the Service is not there`,
          {
            cause,
            fix: `check it: kubectl -n ${target.namespace} get service ${target.service}`,
          },
        );
      });
  const forwarder = new PortForward(clients.config);
  const sockets = new Set<Socket>();

  const connect = async (socket: Socket) => {
    const { pod, port } = await resolveForwardTarget(clients, target);
    // The error stream carries the kubelet's message (e.g. connection refused in the pod); its
    // first frame is only the port number, which arrives here empty.
    const errors = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (chunk.length > 0) socket.destroy();
        done();
      },
    });
    const ws = await forwarder.portForward(target.namespace, pod, [port], socket, errors, socket);
    if (typeof ws === 'function') return; // only with retries, which are not asked for
    ws.on('close', () => socket.end());
    ws.on('error', () => socket.destroy());
    socket.on('close', () => ws.close());
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    connect(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.address ?? '127.0.0.1', port: options.localPort ?? 0 }, resolve);
  });
  const localPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${localPort}`,
    localPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};
