// The Deployments a zone check names (`names` or `all`), and the live pods each one owns.
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { ScenarioContext } from '../scenario-context.ts';
import { livePods } from './cluster-reads.ts';

/** The named Deployments (or all of the shop's), and the names that have no Deployment. */
export const chosenDeployments = (
  { store, namespace }: ScenarioContext,
  { names, all }: { names?: string[]; all?: boolean },
): { found: V1Deployment[]; missing: string[] } => {
  const found = store.deployments(namespace).filter((d) => all || names?.includes(d.metadata?.name ?? ''));
  const missing = (names ?? []).filter((n) => !found.some((d) => d.metadata?.name === n));
  return { found, missing };
};

/** The live pods a Deployment selects (by its matchLabels). */
export const podsOf = (ctx: ScenarioContext, deployment: V1Deployment): V1Pod[] => {
  const match = Object.entries(deployment.spec?.selector.matchLabels ?? {});
  return livePods(ctx).filter((p) => match.every(([k, v]) => p.metadata?.labels?.[k] === v));
};
