// `kartstream promote`: plan, apply, status, scale, destroy and export a lab on AWS EKS. The AWS
// identity is printed before anything is created; steps and progress go to stderr, results to
// stdout (`-o json` for scripts); Ctrl-C cancels the running task.
import type { Command } from 'commander';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import type { PromoteStatus } from '../promote/status.ts';
import { NODE_COUNT, wholeNumberOption } from './number-option.ts';
import { outputFormat, type Output } from './output.ts';
import { cancelOnInterrupt, taskEventPrinter } from './task-output.ts';
import { table } from '../text/table.ts';

interface CommonOpts {
  name: string;
  region?: string;
  profile?: string;
  topology?: string;
  nat?: string;
  output: string;
  verbose?: boolean;
}

// The AWS SDK takes seconds to load: promote's modules load when a promote command runs, so the
// rest of the CLI (and --help) does not pay for them.
const load = {
  apply: () => import('../promote/apply.ts'),
  context: () => import('../promote/context.ts'),
  destroy: () => import('../promote/destroy.ts'),
  kubeconfig: () => import('../promote/eks-kubeconfig.ts'),
  export: () => import('../promote/export-formats.ts'),
  names: () => import('../promote/names.ts'),
  plan: () => import('../promote/plan.ts'),
  planText: () => import('../promote/plan-text.ts'),
  regions: () => import('../promote/regions.ts'),
  scale: () => import('../promote/scale.ts'),
  status: () => import('../promote/status.ts'),
  topology: () => import('../topology/load-topology.ts'),
};
const EXPORT_FORMATS = ['cloudformation', 'eksctl'] as const;

const common = (cmd: Command, withTopology = true): Command => {
  cmd
    .option('--name <lab>', 'lab name', DEFAULT_LAB_NAME)
    .option(
      '--region <region>',
      'AWS region (default: where the lab was promoted, else eks.region of the topology)',
    )
    .option('--profile <profile>', 'AWS profile of the shared config files (default: the SDK default chain)')
    .option('-o, --output <format>', 'table or json', 'table');
  if (withTopology) cmd.option('--topology <file>', 'topology file (default: infra/topology.yaml)');
  return cmd;
};

const options = (o: CommonOpts) => ({
  name: o.name,
  region: o.region,
  profile: o.profile,
  topologyFile: o.topology,
  nat: o.nat,
});

const statusText = (s: PromoteStatus): string => {
  const head = `lab ${s.lab} on EKS in ${s.region} (as ${s.identity.arn})`;
  if (!s.exists) return `${head}: nothing is promoted`;
  const rows = s.nodegroups.map((ng) => [
    ng.name,
    ng.status,
    ng.instanceTypes.join(','),
    ng.scaling ? `${ng.scaling.minSize}/${ng.scaling.desiredSize}/${ng.scaling.maxSize}` : '?',
    Object.entries(ng.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    ng.taints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(','),
  ]);
  return [
    head,
    `stack    ${s.stack ? `${s.stack.name} ${s.stack.status}` : '(none)'}`,
    `cluster  ${s.cluster ? `${s.cluster.name} ${s.cluster.status} Kubernetes ${s.cluster.version ?? '?'} ${s.cluster.endpoint ?? ''}` : '(none)'}`,
    `add-ons  ${s.addons === 'unsupported' ? '(the endpoint has no add-on API)' : s.addons.join(', ') || '(none)'}`,
    '',
    table(['NODE GROUP', 'STATUS', 'INSTANCE', 'MIN/DESIRED/MAX', 'LABELS', 'TAINTS'], rows),
    ...(s.kubeconfig ? ['', `kubeconfig: ${s.kubeconfig}`] : []),
  ].join('\n');
};

export const addPromoteCommand = (program: Command, out: Output): void => {
  const promote = program.command('promote').description('plan, apply and destroy the lab on AWS EKS');
  const natOption = '--nat <mode>';
  const natHelp = 'NAT gateways: single or per-az (default: what the lab has, else single)';

  common(
    promote
      .command('plan')
      .description('list what apply would create or change, and the cost per hour; creates nothing'),
  )
    .option(natOption, natHelp)
    .action(async (o: CommonOpts) => {
      const format = outputFormat(o.output, ['table', 'json'] as const);
      const [{ planPromotion }, { planText }] = await Promise.all([load.plan(), load.planText()]);
      const plan = await planPromotion(options(o));
      out.print(format === 'json' ? JSON.stringify(plan, null, 2) : planText(plan));
    });

  common(
    promote
      .command('apply')
      .description('create or converge the lab on EKS (safe to re-run after an interruption)'),
  )
    .option(natOption, natHelp)
    .option('--infra-only', 'stop after the node groups and the kubeconfig (no deploy into the cluster)')
    .option('--verbose', 'print every log line of the task')
    .action(async (o: CommonOpts & { infraOnly?: boolean }) => {
      const format = outputFormat(o.output, ['table', 'json'] as const);
      const [{ applyPromotion }, { summaryLine }] = await Promise.all([load.apply(), load.planText()]);
      const result = await cancelOnInterrupt(out, (signal) =>
        applyPromotion(
          { ...options(o), infraOnly: o.infraOnly },
          { signal, onEvent: taskEventPrinter(out, o.verbose) },
        ),
      );
      out.info(`task log: ${result.taskLog}`);
      if (format === 'json') return out.print(JSON.stringify(result, null, 2));
      out.print(
        [
          `lab ${result.lab} is on EKS in ${result.region}: cluster ${result.cluster.name} ${result.cluster.status}`,
          `before apply: ${summaryLine(result.plan)}`,
          `node groups: ${Object.entries(result.nodegroups)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
          `kubeconfig: ${result.kubeconfig} (token valid until ${result.tokenExpiresAt}; refresh with \`kartstream promote kubeconfig --name ${result.lab}\`)`,
          result.deployed
            ? 'the shop and the monitoring stack are deployed'
            : 'not deployed into the cluster (--infra-only)',
          ...(result.eksLab
            ? [
                `registered as lab ${result.eksLab} (its kubeconfig mints its own EKS tokens): npx kartstream status --name ${result.eksLab}`,
                result.shopUrl
                  ? `the shop: ${result.shopUrl}`
                  : "the shop's load balancer has no address yet: kubectl -n shop get svc frontend-external",
              ]
            : []),
        ].join('\n'),
      );
    });

  common(promote.command('status').description('what the promoted lab has on AWS now'), false).action(
    async (o: CommonOpts) => {
      const format = outputFormat(o.output, ['table', 'json'] as const);
      const { promoteStatus } = await load.status();
      const status = await promoteStatus(options(o));
      out.print(format === 'json' ? JSON.stringify(status, null, 2) : statusText(status));
    },
  );

  common(promote.command('scale').description('set the number of nodes of a pool (0 idles it)'), false)
    .requiredOption('--pool <pool>', 'pool name (frontend, backend, database, monitoring)')
    .requiredOption('--nodes <n>', 'node count (0 for idle hours)')
    .option('--verbose', 'print every log line of the task')
    .action(async (o: CommonOpts & { pool: string; nodes: string }) => {
      const format = outputFormat(o.output, ['table', 'json'] as const);
      const nodes = wholeNumberOption('--nodes', o.nodes, NODE_COUNT);
      const { scalePromotedPool } = await load.scale();
      const result = await cancelOnInterrupt(out, (signal) =>
        scalePromotedPool(
          { ...options(o), pool: o.pool, nodes },
          { signal, onEvent: taskEventPrinter(out, o.verbose) },
        ),
      );
      const s = result.after;
      out.print(
        format === 'json'
          ? JSON.stringify(result, null, 2)
          : `pool ${result.pool}: min ${s.minSize}, desired ${s.desiredSize}, max ${s.maxSize}`,
      );
    });

  common(
    promote
      .command('destroy')
      .description('delete everything of the lab on AWS, then check that nothing tagged is left'),
    false,
  )
    .option('--verbose', 'print every log line of the task')
    .action(async (o: CommonOpts) => {
      const format = outputFormat(o.output, ['table', 'json'] as const);
      const { destroyPromotion } = await load.destroy();
      const result = await cancelOnInterrupt(out, (signal) =>
        destroyPromotion(options(o), { signal, onEvent: taskEventPrinter(out, o.verbose) }),
      );
      out.info(`task log: ${result.taskLog}`);
      if (format === 'json') return out.print(JSON.stringify(result, null, 2));
      out.print(
        (result.existed
          ? `lab ${result.lab} is destroyed in ${result.region}: nothing tagged with it is left`
          : `lab ${result.lab} had nothing in ${result.region}; nothing tagged with it is left`) +
          (result.forgotLab ? `\nlab ${result.forgotLab} (the promoted cluster) is forgotten` : ''),
      );
    });

  common(
    promote
      .command('kubeconfig')
      .description("write a fresh token into the promoted lab's kubeconfig; print its path"),
    false,
  ).action(async (o: CommonOpts) => {
    const { refreshEksKubeconfig } = await load.kubeconfig();
    const { path } = await refreshEksKubeconfig(options(o));
    out.print(path);
  });

  // The exec credential plugin of the `<lab>-eks` lab's kubeconfig: prints an ExecCredential.
  // It reads no local state (kubectl may run it from any shell), only the AWS credential chain.
  promote
    .command('token')
    .description("print a fresh EKS token as an ExecCredential (the promoted lab's kubeconfig runs this)")
    .option('--name <lab>', 'lab name', DEFAULT_LAB_NAME)
    .requiredOption('--region <region>', 'AWS region of the cluster')
    .option('--profile <profile>', 'AWS profile of the shared config files (default: the SDK default chain)')
    .action(async (o: { name: string; region: string; profile?: string }) => {
      const { promoteNames } = await load.names();
      const { checkRegion } = await load.regions();
      const { execCredential } = await import('../promote/eks-exec-credential.ts');
      const names = promoteNames(checkLabName(o.name), checkRegion(o.region));
      out.print(JSON.stringify(await execCredential(names, o.profile)));
    });

  promote
    .command('export')
    .description('print the lab as a CloudFormation template or an eksctl ClusterConfig (no AWS call)')
    .requiredOption('--format <format>', EXPORT_FORMATS.join(' or '))
    .option('--name <lab>', 'lab name', DEFAULT_LAB_NAME)
    .option('--region <region>', 'AWS region (default: eks.region of the topology)')
    .option('--topology <file>', 'topology file (default: infra/topology.yaml)')
    .option(natOption, 'NAT gateways: single or per-az', 'single')
    .action(async (o: { format: string; name: string; region?: string; topology?: string; nat: string }) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(o.format))
        throw new KartStreamError('invalid-input', `--format: got ${JSON.stringify(o.format)}`, {
          fix: `use --format ${EXPORT_FORMATS.join(' or --format ')}`,
        });
      const lab = checkLabName(o.name);
      const [{ checkNatMode, readPromoteRecord }, { exportCloudFormation, exportEksctl }, { promoteNames }] =
        await Promise.all([load.context(), load.export(), load.names()]);
      const [{ checkRegion }, { loadTopology }] = await Promise.all([load.regions(), load.topology()]);
      const record = await readPromoteRecord(lab);
      const topology = await loadTopology(o.topology ?? record?.topologyFile);
      const names = promoteNames(lab, checkRegion(o.region ?? record?.region ?? topology.eks.region));
      const nat = checkNatMode(o.nat);
      out.print(
        o.format === 'eksctl'
          ? exportEksctl(topology, names, nat)
          : JSON.stringify(exportCloudFormation(topology, names, nat), null, 2),
      );
    });
};
