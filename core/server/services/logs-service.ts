// `logs.*`: the logs of every pod of a Deployment, read through the Kubernetes API (the same path
// on every backend), merged in time order, once or followed.
import type { KartStreamServices } from '../../contract/services.ts';
import type { LogsMessage } from '../../contract/log-wire-types.ts';
import { describeError, KartStreamError } from '../../errors/kartstream-error.ts';
import { followDeploymentLogs, mergeByTime, readDeploymentLogs } from '../../kube/deployment-logs.ts';
import { kubeClients } from '../../kube/kube-client.ts';
import { sleep } from '../../tasks/wait.ts';
import { SHOP_NAMESPACE } from '../../topology/shop.ts';
import { openKnownLab } from './labs-service.ts';
import type { ServiceContext } from './service-context.ts';

/** New lines are sent at most this often, so a chatty pod does not flood the socket. */
const BATCH_MS = 100;

const unreadable = (lab: string, deployment: string, error: unknown) =>
  error instanceof KartStreamError
    ? error
    : new KartStreamError('cluster-failed', `cannot read the logs of ${deployment} in lab ${lab}`, {
        cause: error,
        details: [describeError(error)],
        fix: 'is the lab running? Its map says when its API does not answer; bring it back on the Labs page',
      });

export const createLogsService = (_ctx: ServiceContext): KartStreamServices['logs'] => ({
  deployment: async (input) => {
    const { lab } = await openKnownLab(input.lab);
    const namespace = input.namespace ?? SHOP_NAMESPACE;
    try {
      const logs = await readDeploymentLogs(kubeClients(lab.kubeconfigPath), namespace, input.deployment, {
        tailLines: input.tailLines,
        previous: input.previous,
      });
      return { namespace, deployment: input.deployment, ...logs };
    } catch (error) {
      throw unreadable(input.lab, input.deployment, error);
    }
  },

  follow: async function* (input, signal) {
    const { lab } = await openKnownLab(input.lab);
    const namespace = input.namespace ?? SHOP_NAMESPACE;
    let pending: LogsMessage = { lines: [], errors: [] };
    let failure: unknown;
    let wake = () => {};
    const stop = new AbortController();
    const onAbort = () => {
      stop.abort();
      wake();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const following = followDeploymentLogs(
      kubeClients(lab.kubeconfigPath),
      namespace,
      input.deployment,
      {
        onLines: (lines) => {
          pending.lines.push(...lines);
          wake();
        },
        onError: (error) => {
          pending.errors.push(error);
          wake();
        },
      },
      stop.signal,
      { tailLines: input.tailLines },
    ).catch((error: unknown) => {
      failure = error;
      wake();
    });
    try {
      yield { lines: [], errors: [] };
      while (!signal.aborted) {
        if (failure) throw unreadable(input.lab, input.deployment, failure);
        if (pending.lines.length > 0 || pending.errors.length > 0) {
          const batch = pending;
          pending = { lines: [], errors: [] };
          yield { lines: mergeByTime(batch.lines), errors: batch.errors };
        }
        await new Promise<void>((resolve) => (wake = resolve));
        await sleep(BATCH_MS, signal).catch(() => {});
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      stop.abort();
      await following;
    }
  },
});
