// The schema of infra/topology.yaml: the control plane and the four node pools, with what each
// target (kind, sim, EKS) needs. Unknown keys are errors, never silently ignored.
import { z } from 'zod';

/** The pools every topology must have: the shop's workloads are placed on them. */
export const REQUIRED_POOLS = ['frontend', 'backend', 'database', 'monitoring'] as const;
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const SUBNET_TIERS = ['public', 'private', 'data'] as const;
/** Zone letters as AWS names zones within a region (eu-west-1a): at most six in any region. */
export const ZONE_LETTERS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
/** The label and taint key that places workloads on a pool. */
export const POOL_KEY = 'pool';

const dnsLabel = z
  .string()
  .regex(
    /^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/,
    'lower-case letters, digits and "-", starting with a letter, at most 32 characters',
  );
const cpuQuantity = z.string().regex(/^\d+(\.\d+)?m?$/, 'a CPU quantity such as "2" or "500m"');
const memoryQuantity = z
  .string()
  .regex(/^\d+(Ki|Mi|Gi|Ti|K|M|G|T)?$/, 'a memory quantity such as "4Gi" or "512Mi"');
const labelValue = z
  .string()
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'a Kubernetes label value');
const labelKey = z
  .string()
  .regex(/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'a Kubernetes label key');
const instanceType = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as "t3.medium"');

const zoneLetter = z.enum(ZONE_LETTERS);

const poolSchema = z.strictObject({
  name: dnsLabel,
  nodes: z.int().min(0).max(5000),
  /** The zones this pool's nodes spread over, round-robin (absent: every zone of the topology). */
  zones: z.array(zoneLetter).min(1).optional(),
  labels: z.record(labelKey, labelValue),
  taint: z.strictObject({
    key: labelKey,
    value: labelValue,
    effect: z.enum(TAINT_EFFECTS),
  }),
  /** What a simulated node of this pool offers (sim); real nodes report their own. */
  capacity: z.strictObject({
    cpu: cpuQuantity,
    memory: memoryQuantity,
    pods: z.int().min(1).max(1000),
  }),
  eks: z.strictObject({
    instanceType,
    subnetTier: z.enum(SUBNET_TIERS),
    minSize: z.int().min(0).max(450),
    maxSize: z.int().min(1).max(450),
  }),
});

const loopback = z
  .string()
  .regex(/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1)$/, 'a loopback address such as 127.0.0.1');

export const topologySchema = z
  .strictObject({
    version: z.literal(1),
    controlPlane: z.strictObject({ nodes: z.int().min(1).max(3) }),
    frontendAccess: z.strictObject({
      nodePort: z.int().min(30000).max(32767),
      hostPort: z.int().min(1).max(65535),
      listenAddress: loopback,
    }),
    eks: z.strictObject({
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as "eu-west-1"'),
      kubernetesVersion: z.string().regex(/^1\.\d+$/, 'a Kubernetes minor version such as "1.33"'),
    }),
    /** The zones of the lab, as letters of eks.region's zones (a -> eu-west-1a); EKS needs two or three. */
    zones: z.array(zoneLetter).min(2).max(3),
    pools: z.array(poolSchema).min(1),
  })
  .superRefine((topology, ctx) => {
    topology.zones.forEach((zone, i) => {
      const first = topology.zones.indexOf(zone);
      if (first < i)
        ctx.addIssue({
          code: 'custom',
          path: ['zones', i],
          message: `got "${zone}" again, expected each zone once (it is already zones[${first}])`,
        });
    });
    const seen = new Map<string, number>();
    topology.pools.forEach((pool, i) => {
      const at = (...rest: PropertyKey[]) => ['pools', i, ...rest];
      const earlier = seen.get(pool.name);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: at('name'),
          message: `got "${pool.name}" again, expected a name not used by pools[${earlier}]`,
        });
      }
      seen.set(pool.name, i);
      pool.zones?.forEach((zone, j) => {
        if (!topology.zones.includes(zone))
          ctx.addIssue({
            code: 'custom',
            path: at('zones', j),
            message: `unknown zone "${zone}", expected one of the topology's zones (${topology.zones.join(', ')})`,
          });
        else if (pool.zones?.indexOf(zone) !== j)
          ctx.addIssue({
            code: 'custom',
            path: at('zones', j),
            message: `got "${zone}" again, expected each zone once`,
          });
      });
      if (pool.labels[POOL_KEY] !== pool.name) {
        ctx.addIssue({
          code: 'custom',
          path: at('labels', POOL_KEY),
          message: `got ${pool.labels[POOL_KEY] === undefined ? 'nothing' : `"${pool.labels[POOL_KEY]}"`}, expected "${pool.name}" (the pool's name)`,
        });
      }
      if (pool.taint.key !== POOL_KEY) {
        ctx.addIssue({
          code: 'custom',
          path: at('taint', 'key'),
          message: `got "${pool.taint.key}", expected "${POOL_KEY}"`,
        });
      }
      if (pool.taint.value !== pool.name) {
        ctx.addIssue({
          code: 'custom',
          path: at('taint', 'value'),
          message: `got "${pool.taint.value}", expected "${pool.name}" (the pool's name)`,
        });
      }
      if (pool.eks.maxSize < pool.eks.minSize) {
        ctx.addIssue({
          code: 'custom',
          path: at('eks', 'maxSize'),
          message: `got ${pool.eks.maxSize}, expected at least minSize (${pool.eks.minSize})`,
        });
      }
      if (pool.nodes > pool.eks.maxSize || pool.nodes < pool.eks.minSize) {
        ctx.addIssue({
          code: 'custom',
          path: at('nodes'),
          message: `got ${pool.nodes}, expected between eks.minSize (${pool.eks.minSize}) and eks.maxSize (${pool.eks.maxSize})`,
        });
      }
    });
    for (const name of REQUIRED_POOLS) {
      if (!seen.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['pools'],
          message: `no pool named "${name}", expected the pools ${REQUIRED_POOLS.join(', ')}`,
        });
      }
    }
  });

export type Topology = z.infer<typeof topologySchema>;
export type Pool = Topology['pools'][number];
