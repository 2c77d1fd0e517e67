// The availability zones a lab's subnets go to: the region's zones of the topology's letters
// (a -> eu-west-1a), checked with EC2 once per plan or apply and written into the template, so the
// plan names them and a zone the region does not have is refused before anything is created.
import { DescribeAvailabilityZonesCommand } from '@aws-sdk/client-ec2';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { zoneName } from '../topology/zones.ts';
import type { AwsClients } from './aws-clients.ts';
import { aws } from './aws-errors.ts';

// The region's available zones by name, sorted.
const availableZones = async (clients: AwsClients): Promise<string[]> => {
  const out = await aws(
    'list the availability zones',
    () =>
      clients.ec2.send(
        new DescribeAvailabilityZonesCommand({
          Filters: [
            { Name: 'state', Values: ['available'] },
            { Name: 'zone-type', Values: ['availability-zone'] },
          ],
        }),
      ),
    clients,
  );
  return (out.AvailabilityZones ?? [])
    .map((z) => z.ZoneName ?? '')
    .filter((name) => name.startsWith(clients.region))
    .sort();
};

// The zone names of the topology's zone letters, in their order; an error names every one the
// region does not have (or when it has fewer zones than the topology asks for).
export const checkZones = (
  region: string,
  letters: readonly string[],
  available: readonly string[],
): string[] => {
  const wanted = letters.map((letter) => zoneName(region, letter));
  const missing = wanted.filter((name) => !available.includes(name));
  if (missing.length === 0) return wanted;
  const has = available.map((name) => name.slice(region.length)).join(', ') || 'none';
  const message =
    letters.length > available.length
      ? `the topology has ${letters.length} zones (${letters.join(', ')}), and ${region} has only ${available.length} available (${has})`
      : `${region} has no available zone ${missing.join(' or ')}`;
  throw new KartStreamError('invalid-input', message, {
    details: [`zones of ${region}: ${has}`],
    fix: `set zones in the topology to letters ${region} has (e.g. zones: [${available
      .slice(0, 2)
      .map((name) => name.slice(region.length))
      .join(', ')}]), or use another region`,
  });
};

// checkZones against the region's available zones, asked from EC2.
export const pickZones = async (clients: AwsClients, letters: readonly string[]): Promise<string[]> =>
  checkZones(clients.region, letters, await availableZones(clients));
