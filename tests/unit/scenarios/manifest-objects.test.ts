// The objects `apply` and `delete` read from a scenario's manifest file: in the shop's namespace
// unless they name one, and in the client's model form, so that what the client sends is what
// the file says (a NetworkPolicy's `from` is `_from` in the model and was dropped when not).
import { dumpYaml } from '@kubernetes/client-node';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestObjects } from '../../../core/scenarios/actions/apply.ts';
import { SCENARIOS_DIR } from '../../../core/scenarios/catalog.ts';

it("sends the network-policy scenario's lockdown with its ingress sources", async () => {
  const { objects } = await manifestObjects(SCENARIOS_DIR, 'manifests/database-lockdown.yaml', 'shop');
  expect(objects).toHaveLength(1);
  const sent = parse(dumpYaml(objects[0])) as { metadata: { namespace: string }; spec: { ingress: unknown[] } };
  expect(sent.metadata.namespace).toBe('shop');
  expect(sent.spec.ingress).toEqual([
    { from: [{ podSelector: { matchLabels: { app: 'cart' } } }], ports: [{ port: 6379, protocol: 'TCP' }] },
  ]);
});

it('keeps a namespace the file names, and skips empty documents', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-objects-'));
  writeFileSync(
    join(dir, 'two.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: elsewhere }\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n',
  );
  const { objects } = await manifestObjects(dir, 'two.yaml', 'shop');
  expect(objects.map((o) => [o.metadata?.name, o.metadata?.namespace])).toEqual([
    ['a', 'elsewhere'],
    ['b', 'shop'],
  ]);
});
