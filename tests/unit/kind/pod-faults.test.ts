// Pod faults on kind patch the pods' owner Deployment. The patches are applied by the real
// kubectl (`kubectl patch --local --type json`, no cluster needed) to the Deployments the kind
// overlay renders, and healing must give back exactly the Deployment that was there.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CRASHLOOP_COMMAND,
  currentFault,
  faultPatch,
  healPatch,
  NOT_READY_PROBE,
  type JsonPatchOp,
} from '../../../core/backends/kind/pod-faults.ts';
import { overlayDir, renderKustomization } from '../../../core/stack/render-overlay.ts';

const kubectl = process.env.KUBECTL ?? 'kubectl';
const scratch = mkdtempSync(join(tmpdir(), 'kartstream-faults-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const deployments = (await renderKustomization(kubectl, overlayDir('kind'))).filter(
  (o) => o.kind === 'Deployment',
) as V1Deployment[];
const byName = (name: string) => deployments.find((d) => d.metadata?.name === name) as V1Deployment;

// Applies a JSON patch with the real kubectl, offline.
const kubectlPatch = async (d: V1Deployment, ops: JsonPatchOp[]): Promise<V1Deployment> => {
  const file = join(scratch, `${d.metadata?.name}.yaml`);
  writeFileSync(file, stringify(d));
  const { stdout } = await execa(
    kubectl,
    ['patch', '--local', '-f', file, '--type', 'json', '-p', JSON.stringify(ops), '-o', 'yaml'],
    {
      env: { KUBECONFIG: join(scratch, 'none') },
    },
  );
  return parse(stdout) as V1Deployment;
};

describe('crashloop and not-ready, applied by kubectl to the kind overlay’s Deployments', () => {
  it('the overlay has the shop’s Deployments to break', () => {
    expect(deployments.map((d) => d.metadata?.name)).toContain('cartservice');
    expect(deployments.length).toBeGreaterThanOrEqual(11);
  });

  it.each(['cartservice', 'frontend', 'redis-cart'])(
    'crashloop on %s: every container gets a command that cannot start; Recreate',
    async (name) => {
      const original = byName(name);
      const broken = await kubectlPatch(original, faultPatch(original, 'crashloop'));
      expect(broken.spec?.strategy).toEqual({ type: 'Recreate' });
      for (const c of broken.spec?.template?.spec?.containers ?? [])
        expect(c.command).toEqual(CRASHLOOP_COMMAND);
      expect(currentFault(broken)).toBe('crashloop');
      const healed = await kubectlPatch(broken, healPatch(broken));
      expect(healed).toEqual(original);
    },
  );

  it('not-ready on checkoutservice: a readiness probe on port 1 replaces the grpc one, and heal restores it', async () => {
    const original = byName('checkoutservice');
    expect(original.spec?.template?.spec?.containers[0]?.readinessProbe).toBeDefined();
    const broken = await kubectlPatch(original, faultPatch(original, 'not-ready'));
    expect(broken.spec?.template?.spec?.containers[0]?.readinessProbe).toEqual(NOT_READY_PROBE);
    expect(broken.spec?.template?.spec?.containers[0]?.command).toEqual(
      original.spec?.template?.spec?.containers[0]?.command,
    );
    expect(await kubectlPatch(broken, healPatch(broken))).toEqual(original);
  });

  it('heal keeps annotations added while broken (e.g. the controller’s revision)', async () => {
    const original = byName('cartservice');
    const broken = await kubectlPatch(original, faultPatch(original, 'crashloop'));
    (broken.metadata as { annotations: Record<string, string> }).annotations[
      'deployment.kubernetes.io/revision'
    ] = '2';
    const healed = await kubectlPatch(broken, healPatch(broken));
    expect(healed.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2' });
    expect(healed.spec).toEqual(original.spec);
  });

  it('a Deployment with no annotations, no strategy and no command heals back to exactly that', async () => {
    const bare: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bare' },
      spec: {
        selector: { matchLabels: { app: 'bare' } },
        template: {
          metadata: { labels: { app: 'bare' } },
          spec: {
            containers: [
              { name: 'a', image: 'a:1' },
              { name: 'b', image: 'b:1' },
            ],
          },
        },
      },
    };
    const broken = await kubectlPatch(bare, faultPatch(bare, 'crashloop'));
    expect(broken.spec?.template?.spec?.containers.map((c) => c.command)).toEqual([
      CRASHLOOP_COMMAND,
      CRASHLOOP_COMMAND,
    ]);
    expect(await kubectlPatch(broken, healPatch(broken))).toEqual(bare);
  });

  it('the patch tests each container’s name, so a changed Deployment is not patched blindly', async () => {
    const original = byName('cartservice');
    const ops = faultPatch(original, 'crashloop');
    const renamed = structuredClone(original);
    (renamed.spec?.template?.spec?.containers[0] as { name: string }).name = 'other';
    await expect(kubectlPatch(renamed, ops)).rejects.toThrow(/test/i);
  });

  it('refuses `failed`, and a second fault before the first is healed', () => {
    expect(() => faultPatch(byName('cartservice'), 'failed')).toThrow(/cannot give pods the fault "failed"/);
    const annotated = {
      ...byName('cartservice'),
      metadata: {
        ...byName('cartservice').metadata,
        annotations: { 'kartstream.dev/fault': '{"fault":"crashloop","containers":[]}' },
      },
    };
    expect(() => faultPatch(annotated, 'not-ready')).toThrow(/already has a fault/);
    expect(healPatch(byName('cartservice'))).toEqual([]);
  });
});
