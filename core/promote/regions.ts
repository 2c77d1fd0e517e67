// The AWS regions (commercial partition) a lab can be promoted to. Checked before any call, so a
// typo fails at once with a suggestion instead of as a DNS error deep inside the SDK.
import { KartStreamError } from '../errors/kartstream-error.ts';

export const AWS_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
};

// Returns the region when AWS has it; otherwise throws with the nearest names.
export const checkRegion = (region: string): string => {
  if ((AWS_REGIONS as readonly string[]).includes(region)) return region;
  const nearest = [...AWS_REGIONS]
    .map((name) => ({ name, d: distance(region, name) }))
    .sort((x, y) => x.d - y.d)
    .slice(0, 3)
    .map((x) => x.name);
  throw new KartStreamError('invalid-input', `unknown AWS region ${JSON.stringify(region)}`, {
    details: [
      `regions of the aws partition: ${AWS_REGIONS.join(', ')}`,
      'GovCloud and China regions are other partitions, which promote does not support',
    ],
    fix: `use --region ${nearest[0]} (or ${nearest.slice(1).join(', ')}), or correct eks.region in the topology`,
  });
};
