// The availability zones a lab's subnets go to: the region's first N available zones by name
// (N from the topology; EKS needs at least two), asked from EC2 once per plan or apply and
// written into the template, so the plan can name them and the template does not change by itself.
import { DescribeAvailabilityZonesCommand } from '@aws-sdk/client-ec2';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { AwsClients } from './aws-clients.ts';
import { aws } from './aws-errors.ts';

export const pickZones = async (clients: AwsClients, count: number): Promise<string[]> => {
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
  const zones = (out.AvailabilityZones ?? [])
    .map((z) => z.ZoneName ?? '')
    .filter((name) => name.startsWith(clients.region))
    .sort();
  if (zones.length < count)
    throw new KartStreamError(
      'invalid-input',
      `${clients.region} has ${zones.length} available zones, and the topology asks for ${count}`,
      { fix: 'lower eks.availabilityZones in the topology (at least 2), or use another region' },
    );
  return zones.slice(0, count);
};
