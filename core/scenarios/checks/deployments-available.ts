// deploymentsAvailable: the named Deployments (or all of the shop's) are Available.
import { isDeploymentAvailable } from '../../kube/readiness.ts';
import type { CheckHandler } from './check-handler.ts';

export const deploymentsAvailable: CheckHandler<'deploymentsAvailable'> = {
  evaluate: ({ store, namespace }, { names, all }) => {
    const wanted = store.deployments(namespace).filter((d) => all || names?.includes(d.metadata?.name ?? ''));
    const missing = (names ?? []).filter((n) => !wanted.some((d) => d.metadata?.name === n));
    const down = wanted.filter((d) => !isDeploymentAvailable(d)).map((d) => d.metadata?.name ?? '');
    const bad = [...missing, ...down];
    return {
      ok: bad.length === 0,
      detail: bad.length ? `not available: ${bad.join(', ')}` : `${wanted.length} available`,
    };
  },
};
