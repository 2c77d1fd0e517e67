// deploymentsServing: each Deployment has at least one available pod, so its Service answers,
// even while some of its replicas are gone (deploymentsAvailable wants all of them).
import type { CheckHandler } from './check-handler.ts';
import { chosenDeployments } from './deployment-pods.ts';

export const deploymentsServing: CheckHandler<'deploymentsServing'> = {
  evaluate: (ctx, args) => {
    const { found, missing } = chosenDeployments(ctx, args);
    const down = found.filter((d) => (d.status?.availableReplicas ?? 0) < 1).map((d) => d.metadata?.name ?? '');
    const bad = [...missing, ...down];
    return {
      ok: bad.length === 0,
      detail: bad.length ? `no available pod: ${bad.join(', ')}` : `${found.length} serving`,
    };
  },
};
