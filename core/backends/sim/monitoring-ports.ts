// sim's monitoring pods run no containers: the real Prometheus, Alertmanager and lab agent run on
// the host, and KWOK forwards the pods' ports to them (a ClusterPortForward in the kwokctl
// config). That config is read once, when the cluster starts, so the host ports are chosen
// before `kwokctl create` and kept in the lab dir; every (re)start of monitoring uses them.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabContext } from '../cluster-backend.ts';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { writePrivateJson } from '../../home/private-files.ts';
import { freePort } from '../../kube/free-port.ts';
import { upCommand } from '../../home/lab-name.ts';

/** The monitoring namespace's pod ports that reach a host process, and who serves each. */
export const MONITORING_POD_PORTS = {
  prometheus: 9090,
  alertmanager: 9093,
  /** kube-state-metrics' metrics port: the lab agent serves the series. */
  agent: 8080,
} as const;

export type MonitoringProcess = keyof typeof MONITORING_POD_PORTS;

/**
 * The host port (127.0.0.1) of each monitoring process of a sim lab, and of the lab agent's
 * stand-in for the shop's frontend (the traffic model answering as the frontend would).
 */
export type SimMonitoringPorts = Record<MonitoringProcess, number> & { shopFrontend?: number };

/** The frontend container's port (its Service maps 80 to it). */
export const SHOP_FRONTEND_POD_PORT = 8080;

const portsFile = (lab: Pick<LabContext, 'dir'>) => join(lab.dir, 'monitoring-ports.json');

// Picks free host ports for the lab's monitoring and records them (before the cluster starts).
export const reserveMonitoringPorts = async (lab: Pick<LabContext, 'dir'>): Promise<SimMonitoringPorts> => {
  const ports: SimMonitoringPorts = {
    prometheus: await freePort(),
    alertmanager: await freePort(),
    agent: await freePort(),
    shopFrontend: await freePort(),
  };
  await writePrivateJson(portsFile(lab), ports);
  return ports;
};

// The ports recorded when the lab's cluster was created.
export const readMonitoringPorts = async (
  lab: Pick<LabContext, 'dir' | 'name'>,
): Promise<SimMonitoringPorts> => {
  if (!existsSync(portsFile(lab)))
    throw new KartStreamError(
      'not-found',
      `lab ${lab.name} has no monitoring ports (${portsFile(lab)}): its cluster was created before monitoring ran as pods`,
      { fix: `recreate it: npx kartstream down --name ${lab.name} && ${upCommand(lab.name)}` },
    );
  return JSON.parse(await readFile(portsFile(lab), 'utf8')) as SimMonitoringPorts;
};

// The kwok document that sends a port-forward of a monitoring pod's port to its host process.
export const monitoringPortForward = (ports: SimMonitoringPorts) => ({
  apiVersion: 'kwok.x-k8s.io/v1alpha1',
  kind: 'ClusterPortForward',
  metadata: { name: 'monitoring-to-host' },
  spec: {
    selector: { matchNamespaces: ['monitoring'] },
    forwards: (Object.keys(MONITORING_POD_PORTS) as MonitoringProcess[]).map((name) => ({
      ports: [MONITORING_POD_PORTS[name]],
      target: { address: '127.0.0.1', port: ports[name] },
    })),
  },
});

// The kwok document that sends a port-forward of a shop pod's port 8080 to the lab agent's
// frontend stand-in, so `kubectl port-forward svc/frontend 8080:80` and the `http` check reach
// a page the traffic model answers. kwok selects by namespace only: emailservice and
// recommendationservice listen on 8080 too, and a forward to them reaches the same stand-in.
export const shopFrontendPortForward = (ports: SimMonitoringPorts) =>
  ports.shopFrontend === undefined
    ? []
    : [
        {
          apiVersion: 'kwok.x-k8s.io/v1alpha1',
          kind: 'ClusterPortForward',
          metadata: { name: 'shop-frontend-to-agent' },
          spec: {
            selector: { matchNamespaces: ['shop'] },
            forwards: [
              { ports: [SHOP_FRONTEND_POD_PORT], target: { address: '127.0.0.1', port: ports.shopFrontend } },
            ],
          },
        },
      ];
