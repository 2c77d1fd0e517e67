// Reads what a lab has on AWS now: its network stack (status, template, outputs), its EKS cluster,
// node groups, add-ons and access entries. A stack or cluster of the same name that does not
// carry the lab's tag is someone else's: that is a conflict, never adopted.
import { DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  ListAccessEntriesCommand,
  ListAddonsCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { AwsClients } from './aws-clients.ts';
import { aws, awsFailure, isNotFound, isUnsupportedByEndpoint } from './aws-errors.ts';
import type { Scaling } from './eks-spec.ts';
import { LAB_TAG, type PromoteNames } from './names.ts';

export interface ObservedStack {
  name: string;
  status: string;
  statusReason?: string;
  template?: unknown;
  outputs: Record<string, string>;
  tags: Record<string, string>;
}

export interface ObservedCluster {
  name: string;
  status: string;
  version?: string;
  arn?: string;
  endpoint?: string;
  certificateAuthority?: string;
  tags: Record<string, string>;
}

export interface ObservedNodegroup {
  name: string;
  status: string;
  instanceTypes: string[];
  amiType?: string;
  subnets: string[];
  scaling?: Scaling;
  labels: Record<string, string>;
  taints: { key?: string; value?: string; effect?: string }[];
}

export interface Observed {
  stack?: ObservedStack;
  cluster?: ObservedCluster;
  nodegroups: ObservedNodegroup[];
  /** Add-on names, or 'unsupported' when the endpoint (moto) has no add-on API. */
  addons: string[] | 'unsupported';
  accessEntries: string[] | 'unsupported';
}

const orUndefined = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
};

const checkOwner = (what: string, tags: Record<string, string>, names: PromoteNames) => {
  if (tags[LAB_TAG] === names.lab) return;
  throw new KartStreamError(
    'conflict',
    `${what} exists in ${names.region} but is not lab ${names.lab}'s (tag ${LAB_TAG}=${tags[LAB_TAG] ?? '(none)'})`,
    { fix: `choose another lab name with --name, or another region with --region` },
  );
};

// The lab's network stack, or undefined.
export const observeStack = async (clients: AwsClients, names: PromoteNames) => {
  const found = await aws(
    `describe the stack ${names.stack}`,
    () => orUndefined(() => clients.cfn.send(new DescribeStacksCommand({ StackName: names.stack }))),
    clients,
  );
  const stack = found?.Stacks?.[0];
  if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
  const tags = Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  checkOwner(`a CloudFormation stack named ${names.stack}`, tags, names);
  const body = await aws(`read the template of ${names.stack}`, () =>
    clients.cfn.send(new GetTemplateCommand({ StackName: names.stack, TemplateStage: 'Original' })),
  );
  let template: unknown;
  try {
    template = body.TemplateBody ? JSON.parse(body.TemplateBody) : undefined;
  } catch {
    template = body.TemplateBody;
  }
  return {
    name: names.stack,
    status: stack.StackStatus ?? 'UNKNOWN',
    statusReason: stack.StackStatusReason,
    template,
    outputs: Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])),
    tags,
  } satisfies ObservedStack;
};

// The lab's cluster, or undefined.
export const observeCluster = async (clients: AwsClients, names: PromoteNames) => {
  const found = await aws(
    `describe the cluster ${names.cluster}`,
    () => orUndefined(() => clients.eks.send(new DescribeClusterCommand({ name: names.cluster }))),
    clients,
  );
  const cluster = found?.cluster;
  if (!cluster) return undefined;
  const tags = cluster.tags ?? {};
  checkOwner(`an EKS cluster named ${names.cluster}`, tags, names);
  return {
    name: names.cluster,
    status: cluster.status ?? 'UNKNOWN',
    version: cluster.version,
    arn: cluster.arn,
    endpoint: cluster.endpoint,
    certificateAuthority: cluster.certificateAuthority?.data,
    tags,
  } satisfies ObservedCluster;
};

// Every node group of the cluster.
export const observeNodegroups = async (
  clients: AwsClients,
  cluster: string,
): Promise<ObservedNodegroup[]> => {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await aws(`list the node groups of ${cluster}`, () =>
      clients.eks.send(new ListNodegroupsCommand({ clusterName: cluster, nextToken })),
    );
    names.push(...(page.nodegroups ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const described = await Promise.all(
    names.map((name) =>
      aws(`describe the node group ${name}`, () =>
        orUndefined(() =>
          clients.eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name })),
        ),
      ),
    ),
  );
  return described.flatMap((d) => {
    const ng = d?.nodegroup;
    if (!ng?.nodegroupName) return [];
    const s = ng.scalingConfig;
    return [
      {
        name: ng.nodegroupName,
        status: ng.status ?? 'UNKNOWN',
        instanceTypes: ng.instanceTypes ?? [],
        amiType: ng.amiType,
        subnets: ng.subnets ?? [],
        scaling: s
          ? { minSize: s.minSize ?? 0, maxSize: s.maxSize ?? 0, desiredSize: s.desiredSize ?? 0 }
          : undefined,
        labels: ng.labels ?? {},
        taints: ng.taints ?? [],
      },
    ];
  });
};

// A list call that an emulator may not implement.
const listOrUnsupported = async (
  clients: AwsClients,
  what: string,
  call: () => Promise<string[]>,
): Promise<string[] | 'unsupported'> => {
  try {
    return await call();
  } catch (error) {
    if (isUnsupportedByEndpoint(clients, error)) return 'unsupported';
    if (isNotFound(error)) return [];
    throw awsFailure(what, error, clients);
  }
};

export const observeAddons = (clients: AwsClients, cluster: string) =>
  listOrUnsupported(clients, 'list add-ons', async () => {
    const out = await clients.eks.send(new ListAddonsCommand({ clusterName: cluster }));
    return out.addons ?? [];
  });

export const observeAccessEntries = (clients: AwsClients, cluster: string) =>
  listOrUnsupported(clients, 'list access entries', async () => {
    const out = await clients.eks.send(new ListAccessEntriesCommand({ clusterName: cluster }));
    return out.accessEntries ?? [];
  });

// Everything at once.
export const observe = async (clients: AwsClients, names: PromoteNames): Promise<Observed> => {
  const [stack, cluster] = await Promise.all([observeStack(clients, names), observeCluster(clients, names)]);
  if (!cluster) return { stack, cluster, nodegroups: [], addons: [], accessEntries: [] };
  const [nodegroups, addons, accessEntries] = await Promise.all([
    observeNodegroups(clients, cluster.name),
    observeAddons(clients, cluster.name),
    observeAccessEntries(clients, cluster.name),
  ]);
  return { stack, cluster, nodegroups, addons, accessEntries };
};
