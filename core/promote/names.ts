// What a promoted lab is called on AWS, and the tags that mark everything it owns. Ownership is
// read from these tags (never from local state), so `destroy` finds all of it from any machine.
import { join } from 'node:path';
import { stateHome } from '../home/paths.ts';

/** The tag every promoted resource carries: its value is the lab name. */
export const LAB_TAG = 'kartstream:lab';
/** The region the lab was promoted to (IAM is global, so roles say where they belong). */
export const REGION_TAG = 'kartstream:region';
/** On the stack: how many NAT gateways the lab runs (`single` or `per-az`). */
export const NAT_TAG = 'kartstream:nat';
/** IAM path of the lab's roles and instance profile: lets destroy list them without a full scan. */
export const IAM_PATH = '/kartstream/';

export type NatMode = 'single' | 'per-az';
export const NAT_MODES: readonly NatMode[] = ['single', 'per-az'];

export interface PromoteNames {
  lab: string;
  region: string;
  cluster: string;
  stack: string;
  tags: Record<string, string>;
}

// The AWS names of a lab in a region.
export const promoteNames = (lab: string, region: string): PromoteNames => ({
  lab,
  region,
  cluster: lab,
  stack: `kartstream-${lab}-network`,
  tags: { [LAB_TAG]: lab, [REGION_TAG]: region },
});

// Tags as the EC2/CloudFormation/IAM list shape.
export const tagList = (tags: Record<string, string>): { Key: string; Value: string }[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

// Where a promoted lab's local files live (kubeconfig, last-used region): KARTSTREAM_HOME/promote/<lab>.
export const promoteDir = (lab: string): string => join(stateHome(), 'promote', lab);
export const promoteKubeconfigPath = (lab: string): string => join(promoteDir(lab), 'kubeconfig');
export const promoteRecordPath = (lab: string): string => join(promoteDir(lab), 'promote.json');
