// The in-cluster half of promote needs a real EKS API: apply (with the shop and monitoring
// deployed through the engine), a request to the cluster with the kubeconfig's token, then
// destroy. It costs money and takes ~25 minutes, so it runs only when asked: KARTSTREAM_EKS_E2E=1
// with real AWS credentials (and no AWS_ENDPOINT_URL). Never in CI.
import { describe, expect, it } from 'vitest';
import { kubeClients } from '../../../core/kube/kube-client.ts';
import { useTempHome } from '../helpers/lab-env.ts';
import { promoteCli } from './promote-helpers.ts';

const optedIn = process.env.KARTSTREAM_EKS_E2E === '1' && !process.env.AWS_ENDPOINT_URL && !process.env.CI;
const REASON = 'skipped: needs KARTSTREAM_EKS_E2E=1, real AWS credentials, no AWS_ENDPOINT_URL, not CI';

describe('promote on a real EKS', () => {
  it.skipIf(!optedIn)(
    `apply deploys the shop; destroy leaves nothing (${optedIn ? 'opted in' : REASON})`,
    async () => {
      const home = useTempHome();
      const lab = process.env.KARTSTREAM_EKS_E2E_LAB ?? 'kartstream-e2e';
      try {
        const apply = await promoteCli({}, ['apply', '--name', lab, '-o', 'json']);
        expect(apply.exitCode, apply.stderr).toBe(0);
        const result = JSON.parse(apply.stdout) as { kubeconfig: string; deployed: boolean };
        expect(result.deployed).toBe(true);
        const { core } = kubeClients(result.kubeconfig);
        const nodes = await core.listNode();
        expect(new Set(nodes.items.map((n) => n.metadata?.labels?.pool))).toEqual(
          new Set(['frontend', 'backend', 'database', 'monitoring']),
        );
      } finally {
        const destroy = await promoteCli({}, ['destroy', '--name', lab]);
        home.cleanup();
        expect(destroy.exitCode, destroy.stderr).toBe(0);
      }
    },
    3_600_000,
  );
});
