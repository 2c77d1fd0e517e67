// The scenarios of the sim shop's traffic and of monitoring itself, on one sim lab with
// monitoring: a NetworkPolicy that cuts the cart off Redis (seen through the frontend), a bad
// release that burns the checkout SLO's error budget, and a monitoring node that dies quietly.
import { describe, expect, it, vi } from 'vitest';
import { labContext, requireLabRecord } from '../../../core/lab/lab-record.ts';
import { kubectlJson } from '../helpers/lab-env.ts';
import { describeScenarioRuns, useScenarioLab } from '../helpers/scenario-suite.ts';

// slo-burn waits for a multiwindow burn-rate alert: minutes of failures in its 6-minute window.
vi.setConfig({ testTimeout: 420_000 });

interface Items<T> {
  items: T[];
}
type Deployment = {
  metadata: { name: string };
  spec: {
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: { env?: { name: string; value?: string }[] }[] };
    };
  };
};

describe('traffic and monitoring scenarios on a sim lab', () => {
  const lab = useScenarioLab('scn-traffic');
  // monitoring-blind between the two traffic scenarios gives network-policy's checkout failures
  // time to leave the burn-rate alert's 30 s window before slo-burn's steady state asks for it.
  describeScenarioRuns(lab, ['network-policy', 'monitoring-blind', 'slo-burn']);

  // The last run of each scenario above was left alone, so only its rollback cleaned up.
  it('leaves nothing of the faults behind: no NetworkPolicy, no error rate, the usual load', async () => {
    const { kubeconfigPath } = await labContext(await requireLabRecord(lab.name));
    const policies = await kubectlJson<Items<unknown>>(kubeconfigPath, ['-n', 'shop', 'get', 'networkpolicy']);
    expect(policies.items).toEqual([]);
    const deployments = await kubectlJson<Items<Deployment>>(kubeconfigPath, ['-n', 'shop', 'get', 'deployments']);
    const errorRates = deployments.items.flatMap((d) =>
      Object.keys(d.spec.template.metadata.annotations ?? {})
        .filter((k) => k === 'kartstream.dev/error-rate')
        .map((k) => `${d.metadata.name}: ${k}`),
    );
    expect(errorRates).toEqual([]);
    const loadgenerator = deployments.items.find((d) => d.metadata.name === 'loadgenerator');
    expect(loadgenerator?.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'USERS')?.value).toBe('10');
  });
});
