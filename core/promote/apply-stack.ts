// The network and IAM stack: created, updated to the rendered template, or recreated after a failed
// create; a stack already in progress (an interrupted apply) is waited for first. Progress is the
// share of the stack's resources that are complete.
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { TaskReporter } from '../tasks/task.ts';
import type { AwsClients } from './aws-clients.ts';
import { aws } from './aws-errors.ts';
import type { StackOutputs } from './eks-spec.ts';
import { NAT_TAG, tagList, type PromoteNames } from './names.ts';
import type { CfnTemplate } from './network-stack.ts';
import { observeStack } from './observe.ts';
import { diffTemplates, isEmptyDiff } from './template-diff.ts';
import { pollUntil } from './waiting.ts';

const IN_PROGRESS = /_IN_PROGRESS$/;
const BROKEN = /^(ROLLBACK_COMPLETE|ROLLBACK_FAILED|CREATE_FAILED|DELETE_FAILED)$/;
const STACK_WAIT_SECONDS = 45 * 60;

// Why a stack failed: the reasons of its failed events, newest first.
const failureReasons = async (clients: AwsClients, stack: string): Promise<string[]> => {
  try {
    const out = await clients.cfn.send(new DescribeStackEventsCommand({ StackName: stack }));
    return (out.StackEvents ?? [])
      .filter((e) => /FAILED/.test(e.ResourceStatus ?? '') && e.ResourceStatusReason)
      .slice(0, 8)
      .map((e) => `${e.LogicalResourceId} (${e.ResourceType}): ${e.ResourceStatusReason}`);
  } catch {
    return [];
  }
};

// Waits until the stack is in no *_IN_PROGRESS state; returns its final status ('GONE' if deleted).
export const waitForStack = (clients: AwsClients, names: PromoteNames, task: TaskReporter): Promise<string> =>
  pollUntil(`the stack ${names.stack}`, task, STACK_WAIT_SECONDS, async (elapsed) => {
    const stack = await observeStack(clients, names);
    if (!stack) return 'GONE';
    if (!IN_PROGRESS.test(stack.status)) return stack.status;
    const resources = await clients.cfn
      .send(new DescribeStackResourcesCommand({ StackName: names.stack }))
      .then((r) => r.StackResources ?? [])
      .catch(() => []);
    const done = resources.filter((r) => /_COMPLETE$/.test(r.ResourceStatus ?? '')).length;
    task.progress(
      resources.length ? done / resources.length : 0,
      `${stack.status}: ${done}/${resources.length} resources (${Math.round(elapsed)} s)`,
    );
    return undefined;
  });

const requireStatus = async (clients: AwsClients, names: PromoteNames, status: string, want: RegExp) => {
  if (want.test(status)) return;
  throw new KartStreamError('cluster-failed', `the stack ${names.stack} ended ${status}`, {
    details: await failureReasons(clients, names.stack),
    fix: 'read the reasons above; fix the cause and run apply again (it resumes), or destroy the lab',
  });
};

// Deletes the stack and waits until it is gone (used for a failed create, and by destroy).
export const deleteStack = async (
  clients: AwsClients,
  names: PromoteNames,
  task: TaskReporter,
): Promise<string> => {
  await aws(`delete the stack ${names.stack}`, () =>
    clients.cfn.send(new DeleteStackCommand({ StackName: names.stack })),
  );
  return waitForStack(clients, names, task);
};

// Converges the stack to `template`; returns its outputs.
export const applyStack = async (
  clients: AwsClients,
  names: PromoteNames,
  template: CfnTemplate,
  natMode: string,
  task: TaskReporter,
): Promise<StackOutputs> => {
  let stack = await observeStack(clients, names);
  if (stack && IN_PROGRESS.test(stack.status)) {
    task.log(`the stack is ${stack.status} (an earlier apply?): waiting for it`);
    await waitForStack(clients, names, task);
    stack = await observeStack(clients, names);
  }
  if (stack && BROKEN.test(stack.status)) {
    task.log(`the stack is ${stack.status}: deleting it to create it again`);
    for (const reason of await failureReasons(clients, names.stack)) task.log(`  ${reason}`);
    await deleteStack(clients, names, task);
    stack = undefined;
  }
  const body = JSON.stringify(template);
  const tags = tagList({ ...names.tags, [NAT_TAG]: natMode });
  if (!stack) {
    task.progress(0, `creating ${Object.keys(template.Resources).length} resources`);
    await aws(`create the stack ${names.stack}`, () =>
      clients.cfn.send(
        new CreateStackCommand({
          StackName: names.stack,
          TemplateBody: body,
          Capabilities: ['CAPABILITY_IAM'],
          Tags: tags,
          OnFailure: 'ROLLBACK',
        }),
      ),
    );
    await requireStatus(clients, names, await waitForStack(clients, names, task), /^CREATE_COMPLETE$/);
  } else if (!isEmptyDiff(diffTemplates(stack.template, template)) || stack.tags[NAT_TAG] !== natMode) {
    task.progress(0, 'updating the stack to the rendered template');
    const updated = await clients.cfn
      .send(
        new UpdateStackCommand({
          StackName: names.stack,
          TemplateBody: body,
          Capabilities: ['CAPABILITY_IAM'],
          Tags: tags,
        }),
      )
      .then(() => true)
      .catch((error: Error) => {
        if (/No updates are to be performed/i.test(error.message)) return false;
        throw new KartStreamError(
          'cluster-failed',
          `failed to update the stack ${names.stack}: ${error.message}`,
          {
            cause: error,
          },
        );
      });
    if (updated)
      await requireStatus(clients, names, await waitForStack(clients, names, task), /^UPDATE_COMPLETE$/);
  } else {
    task.progress(1, 'the stack is up to date');
  }
  const final = await observeStack(clients, names);
  if (!final) throw new KartStreamError('cluster-failed', `the stack ${names.stack} vanished while applying`);
  return final.outputs;
};
