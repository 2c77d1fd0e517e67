// http: the shop answers a path with a status. Asked as a person would: a port-forward to the
// frontend Service through the Kubernetes API, then one HTTP request. On kind and EKS the real
// frontend answers; in sim kwok forwards the frontend pods' port to the lab agent, where the
// traffic model answers as the frontend would on the cluster as it is now (docs/traffic.md).
import { openPortForward } from '../../kube/port-forward.ts';
import { SHOP_NAMESPACE } from '../../topology/shop.ts';
import type { ScenarioContext } from '../scenario-context.ts';
import type { CheckHandler } from './check-handler.ts';

/** A page slower than this is reported as not answering (a hung dependency looks like this). */
const ANSWER_TIMEOUT_MS = 10_000;

/** What the frontend did with one request: its status, or why there was none. */
export type FrontendAnswer = { status: number; detail: string } | { status?: undefined; detail: string };

// One request to the shop's frontend through a fresh port-forward to `svc/frontend:80`.
export const askFrontend = async (
  ctx: Pick<ScenarioContext, 'lab'>,
  path: string,
  method: 'GET' | 'POST',
): Promise<FrontendAnswer> => {
  let forward;
  try {
    forward = await openPortForward(ctx.lab.kubeconfigPath, { namespace: SHOP_NAMESPACE, service: 'frontend', port: 80 });
  } catch (error) {
    return { detail: `cannot reach the frontend: ${(error as Error).message}` };
  }
  try {
    const res = await fetch(`${forward.url}${path}`, {
      method,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      redirect: 'manual',
    });
    await res.arrayBuffer();
    return { status: res.status, detail: `${method} ${path} answered HTTP ${res.status}` };
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? `no answer within ${ANSWER_TIMEOUT_MS / 1000} s` : (error as Error).message;
    return { detail: `${method} ${path}: ${cause}` };
  } finally {
    await forward.close();
  }
};

export const http: CheckHandler<'http'> = {
  polled: true,
  evaluate: async (ctx, { path, status, method = 'GET' }) => {
    const answer = await askFrontend(ctx, path, method);
    return { ok: answer.status === status, detail: answer.detail };
  },
};
