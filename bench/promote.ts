// Benchmark: `promote plan` and `promote apply --infra-only` against a real moto_server, each
// beside a floor measured in the same run: the raw SDK calls a plan cannot do without, and a bare
// CreateStack of the same template plus CreateCluster and four CreateNodegroup calls. Prints the
// times and the ratios; targets (issue #8): plan ≤ 5 s, apply ≤ 30 s.
//   npx tsx bench/promote.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAvailabilityZonesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
} from '@aws-sdk/client-eks';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { execa } from 'execa';
import { applyPromotion } from '../core/promote/apply.ts';
import { awsClients, closeClients } from '../core/promote/aws-clients.ts';
import { createNodegroupInput, desiredNodegroups } from '../core/promote/eks-spec.ts';
import { promoteNames } from '../core/promote/names.ts';
import { renderNetworkStack } from '../core/promote/network-stack.ts';
import { planPromotion } from '../core/promote/plan.ts';
import { loadTopology } from '../core/topology/index.ts';
import { startMoto } from '../tests/integration/promote/moto-server.ts';

const rounds = Number(process.argv[2] ?? 3);
const home = mkdtempSync(join(tmpdir(), 'kartstream-bench-'));
const moto = await startMoto();
Object.assign(process.env, moto.env, { KARTSTREAM_HOME: home });
const topology = await loadTopology();
const clients = awsClients({ region: 'eu-west-1' });
const repo = join(import.meta.dirname, '..');

const time = async (work: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

// Warm moto (its IAM loads the AWS managed policies on first use) and the SDK.
await clients.iam.send(new ListRolesCommand({}));
await planPromotion({ name: 'warmup' });

const planFloor = () =>
  Promise.all([
    clients.sts.send(new GetCallerIdentityCommand({})),
    clients.cfn.send(new DescribeStacksCommand({})),
    clients.eks.send(new DescribeClusterCommand({ name: 'nope' })).catch(() => undefined),
    clients.ec2.send(new DescribeAvailabilityZonesCommand({})),
  ]);

// The least a client must do to get the same resources: one CreateStack (moto creates it
// synchronously), CreateCluster, four CreateNodegroup, and a describe of each node group.
const applyFloor = async (lab: string) => {
  const names = promoteNames(lab, 'eu-west-1');
  const template = renderNetworkStack(topology, {
    names,
    natMode: 'single',
    zones: ['eu-west-1a', 'eu-west-1b'],
  });
  await clients.cfn.send(
    new CreateStackCommand({
      StackName: names.stack,
      TemplateBody: JSON.stringify(template),
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  const stack = await clients.cfn.send(new DescribeStacksCommand({ StackName: names.stack }));
  const outputs = Object.fromEntries(
    (stack.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
  );
  await clients.eks.send(
    new CreateClusterCommand({
      name: names.cluster,
      roleArn: outputs.ClusterRoleArn,
      resourcesVpcConfig: { subnetIds: outputs.PrivateSubnetIds?.split(',') },
    }),
  );
  await Promise.all(
    desiredNodegroups(topology).map(async (spec) => {
      await clients.eks.send(new CreateNodegroupCommand(createNodegroupInput(spec, outputs, names)));
      await clients.eks.send(
        new DescribeNodegroupCommand({ clusterName: names.cluster, nodegroupName: spec.name }),
      );
    }),
  );
};

const cliHelp = () => execa('node', [join(repo, 'bin/kartstream.js'), '--help'], { cwd: repo });
const cli = (args: string[]) =>
  execa('node', [join(repo, 'bin/kartstream.js'), 'promote', ...args], {
    env: { ...process.env },
    cwd: repo,
  });

const results: Record<string, number[]> = {
  'plan floor (4 raw SDK calls)': [],
  'plan, in-process': [],
  'CLI start alone (kartstream --help)': [],
  'plan, CLI process': [],
  'apply floor (CreateStack + cluster + 4 node groups)': [],
  'apply --infra-only, in-process': [],
  'apply --infra-only, CLI process': [],
  'second apply (no changes), in-process': [],
};
const push = async (key: string, work: () => Promise<unknown>) => results[key]!.push(await time(work));

try {
  for (let round = 0; round < rounds; round++) {
    await push('plan floor (4 raw SDK calls)', planFloor);
    await push('plan, in-process', () => planPromotion({ name: `bench-plan-${round}` }));
    await push('CLI start alone (kartstream --help)', cliHelp);
    await push('plan, CLI process', () => cli(['plan', '--name', `bench-plan-${round}`]));
    await push('apply floor (CreateStack + cluster + 4 node groups)', () =>
      applyFloor(`bench-floor-${round}`),
    );
    await push('apply --infra-only, in-process', () =>
      applyPromotion({ name: `bench-apply-${round}`, infraOnly: true }),
    );
    await push('apply --infra-only, CLI process', () =>
      cli(['apply', '--infra-only', '--name', `bench-cli-${round}`]),
    );
    await push('second apply (no changes), in-process', () =>
      applyPromotion({ name: `bench-apply-${round}`, infraOnly: true }),
    );
  }
  const planFloorS = median(results['plan floor (4 raw SDK calls)']!);
  const applyFloorS = median(results['apply floor (CreateStack + cluster + 4 node groups)']!);
  console.log(`promote against moto_server (${rounds} rounds, median seconds; node ${process.version})`);
  for (const [name, xs] of Object.entries(results)) {
    const floor = name.startsWith('plan') || name.startsWith('CLI') ? planFloorS : applyFloorS;
    const m = median(xs);
    console.log(`${name.padEnd(52)} ${m.toFixed(2).padStart(6)} s   ×${(m / floor).toFixed(1)} floor`);
  }
  const plan = median(results['plan, CLI process']!);
  const apply = median(results['apply --infra-only, CLI process']!);
  console.log(
    `targets: plan ≤ 5 s: ${plan <= 5 ? 'met' : 'MISSED'} (${plan.toFixed(2)} s CLI); apply ≤ 30 s: ${apply <= 30 ? 'met' : 'MISSED'} (${apply.toFixed(2)} s CLI)`,
  );
} finally {
  closeClients(clients);
  await moto.stop();
  rmSync(home, { recursive: true, force: true });
}
