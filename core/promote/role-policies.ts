// Checks that each of the lab's roles has exactly its AWS managed policies attached, and attaches
// any that are missing: CloudFormation does not notice a policy detached by hand (and moto's
// CloudFormation ignores ManagedPolicyArns), so apply checks the roles themselves.
import { AttachRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import type { TaskReporter } from '../tasks/task.ts';
import type { AwsClients } from './aws-clients.ts';
import { aws } from './aws-errors.ts';
import type { StackOutputs } from './eks-spec.ts';
import { ROLE_POLICIES } from './network-stack-iam.ts';

// The policies attached to a role, by ARN.
export const attachedPolicies = async (clients: AwsClients, role: string): Promise<string[]> => {
  const arns: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await aws(`list the policies of role ${role}`, () =>
      clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role, Marker })),
    );
    arns.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return arns;
};

// Attaches what is missing; returns what it attached, as "role: policy" lines.
export const ensureRolePolicies = async (
  clients: AwsClients,
  outputs: StackOutputs,
  task: TaskReporter,
): Promise<string[]> => {
  const attached: string[] = [];
  for (const [logicalId, policies] of Object.entries(ROLE_POLICIES)) {
    const role = outputs[`${logicalId}Name`];
    if (!role) continue;
    const has = await attachedPolicies(clients, role);
    for (const policy of policies.filter((p) => !has.includes(p))) {
      await aws(`attach ${policy} to ${role}`, () =>
        clients.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: policy })),
      );
      attached.push(`${role}: ${policy}`);
      task.log(`attached the missing policy ${policy} to ${role}`);
    }
  }
  return attached;
};
