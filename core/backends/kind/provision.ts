// kind's `create`: preflight, the pinned kind (installed if missing), the cluster from the
// topology's kind config, every node Ready (kind's --wait covers only the control plane), and the
// overlay's images preloaded so pods start without pulling and a second `up` works offline.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensurePrivateDir } from '../../home/private-files.ts';
import { renderAuditPolicy } from '../../kube/audit-policy.ts';
import { kubeClients } from '../../kube/kube-client.ts';
import { writeLabKubeconfig } from '../../kube/lab-kubeconfig.ts';
import { WatchStore } from '../../kube/watch-store.ts';
import { SHOP_NAMESPACE } from '../../topology/shop.ts';
import { waitNodesReady } from '../../kube/readiness.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import type { Topology } from '../../topology/schema.ts';
import type { CreateOptions, LabContext } from '../cluster-backend.ts';
import { findKind } from './binary.ts';
import { dockerClient } from './engine-client.ts';
import { preloadImages } from './images.ts';
import { installKind } from './install.ts';
import { kindArgs, runKind } from './kind-cli.ts';
import { kindAuditFiles, withKindAudit } from './audit.ts';
import { kindNodeNames, labKindConfig } from './nodes.ts';
import { KIND_NODE_IMAGE } from './pins.ts';
import { kindPreflight, preflightError } from './preflight-probe.ts';

const CREATE_TIMEOUT_MS = 15 * 60_000;
const NODES_READY_TIMEOUT_MS = 5 * 60_000;

/** Files of a kind lab: the config it was made from, kind's kubeconfig, and the "created" marker. */
export const kindFiles = (lab: LabContext) => ({
  config: join(lab.dir, 'kind-config.yaml'),
  kubeconfig: join(lab.dir, 'kind-kubeconfig'),
  marker: join(lab.dir, 'kind-cluster.json'),
});

/** Whether `kind create cluster` was ever started for this lab (so containers may exist). */
export const wasCreated = async (lab: LabContext): Promise<boolean> =>
  readFile(kindFiles(lab).marker, 'utf8').then(
    () => true,
    () => false,
  );

/** Where the learner reaches the shop: the frontend NodePort, mapped by kind on loopback. */
export const shopUrl = (topology: Topology): string => {
  const { listenAddress, hostPort } = topology.frontendAccess;
  return `http://${listenAddress.includes(':') ? `[${listenAddress}]` : listenAddress}:${hostPort}`;
};

export const provisionKindLab = async (
  lab: LabContext,
  task: TaskReporter,
  options: CreateOptions = {},
): Promise<void> => {
  task.step('Check the container engine (kind preflight)');
  const report = await kindPreflight(lab.topology);
  for (const f of report.findings)
    task.log(
      `preflight ${f.severity}: ${f.message}${f.fix && f.severity !== 'ok' ? ` (fix: ${f.fix})` : ''}`,
    );
  if (!report.ok) throw preflightError(report);
  const { endpoint } = report.probe;
  const provider = report.provider;

  const kind = (await findKind()).path ?? (await installKind(task)).path;
  const files = kindFiles(lab);
  const config = withKindAudit(labKindConfig(lab.topology, lab.name, options.apiPort), lab.dir);
  const nodes = kindNodeNames(config);
  await ensurePrivateDir(lab.dir);
  await ensurePrivateDir(kindAuditFiles(lab.dir).dir);
  await writeFile(kindAuditFiles(lab.dir).policy, renderAuditPolicy(SHOP_NAMESPACE), { mode: 0o600 });
  await writeFile(files.config, stringify(config), { mode: 0o600 });
  await writeFile(
    files.marker,
    `${JSON.stringify({ cluster: lab.name, engine: endpoint.host, at: new Date().toISOString() })}\n`,
    { mode: 0o600 },
  );

  task.step(`Create the kind cluster: ${nodes.length} node containers (${KIND_NODE_IMAGE.split('@')[0]})`);
  await runKind(
    kind,
    kindArgs.create({
      name: lab.name,
      config: files.config,
      image: KIND_NODE_IMAGE,
      kubeconfig: files.kubeconfig,
    }),
    { provider, log: task.log, signal: task.signal, timeoutMs: CREATE_TIMEOUT_MS },
  );
  await writeLabKubeconfig(files.kubeconfig, lab.kubeconfigPath, lab.name, SHOP_NAMESPACE);

  task.step(`Wait for all ${nodes.length} nodes to be Ready`);
  const store = new WatchStore(kubeClients(lab.kubeconfigPath));
  try {
    await store.start();
    await waitNodesReady(
      store,
      nodes.map((n) => n.name),
      { timeoutMs: NODES_READY_TIMEOUT_MS, signal: task.signal },
    );
  } finally {
    await store.stop();
  }

  const images = [...((await options.images?.()) ?? [])];
  task.step(`Preload ${images.length} images into the nodes (pull on the host, then kind load)`);
  await preloadImages({ docker: dockerClient(endpoint), kind, cluster: lab.name, provider, images }, task);
  task.progress(1, `the shop will answer at ${shopUrl(lab.topology)} once it is deployed`);
};
