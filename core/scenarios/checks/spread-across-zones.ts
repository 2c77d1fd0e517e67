// spreadAcrossZones: each Deployment is available, spreads over zones by a topology spread
// constraint, and has Ready pods in at least `zones` zones (default 2), so losing one zone leaves
// it a Ready pod.
import type { V1Deployment } from '@kubernetes/client-node';
import { isDeploymentAvailable, isPodReady } from '../../kube/readiness.ts';
import { ZONE_LABEL } from '../../topology/zones.ts';
import type { ScenarioContext } from '../scenario-context.ts';
import type { CheckHandler } from './check-handler.ts';
import { chosenDeployments, podsOf } from './deployment-pods.ts';

// Why a Deployment is not spread, or undefined when it is.
const notSpread = (ctx: ScenarioContext, d: V1Deployment, zones: number): string | undefined => {
  const name = d.metadata?.name ?? '';
  const constraints = d.spec?.template.spec?.topologySpreadConstraints ?? [];
  if (!constraints.some((c) => c.topologyKey === ZONE_LABEL)) return `${name} (no ${ZONE_LABEL} spread constraint)`;
  if (!isDeploymentAvailable(d)) return `${name} (not available)`;
  const zoneOf = new Map(ctx.store.nodes().map((n) => [n.metadata?.name, n.metadata?.labels?.[ZONE_LABEL]]));
  const inZones = new Set(
    podsOf(ctx, d)
      .filter(isPodReady)
      .flatMap((p) => zoneOf.get(p.spec?.nodeName) ?? []),
  );
  return inZones.size >= zones
    ? undefined
    : `${name} (Ready pods in ${inZones.size ? [...inZones].sort().join(', ') : 'no zone'})`;
};

export const spreadAcrossZones: CheckHandler<'spreadAcrossZones'> = {
  evaluate: (ctx, { names, all, zones = 2 }) => {
    const { found, missing } = chosenDeployments(ctx, { names, all });
    const bad = [...missing.map((n) => `${n} (no such Deployment)`), ...found.flatMap((d) => notSpread(ctx, d, zones) ?? [])];
    return {
      ok: bad.length === 0,
      detail: bad.length ? `not spread: ${bad.join(', ')}` : `${found.length} spread over ${zones}+ zones`,
    };
  },
};
