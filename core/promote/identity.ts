// Who is calling AWS (STS GetCallerIdentity), shown before anything is created, and that caller
// as the IAM principal an EKS access entry names (an assumed role's session becomes its role).
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from './aws-clients.ts';
import { aws } from './aws-errors.ts';

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
  /** The principal for an access entry: `arn:aws:iam::<acct>:role/<name>` for an assumed role. */
  principalArn: string;
}

// arn:aws:sts::123:assumed-role/Name/session → arn:aws:iam::123:role/Name (paths are not in the
// session ARN; a role with a path needs its access entry made by hand).
export const principalArnOf = (arn: string): string => {
  const assumed = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : arn;
};

export const callerIdentity = async (clients: AwsClients): Promise<CallerIdentity> => {
  const out = await aws(
    'ask AWS STS who the caller is',
    () => clients.sts.send(new GetCallerIdentityCommand({})),
    clients,
  );
  const arn = out.Arn ?? '';
  return { account: out.Account ?? '', arn, userId: out.UserId ?? '', principalArn: principalArnOf(arn) };
};

export const describeIdentity = (identity: CallerIdentity, clients: AwsClients): string =>
  `AWS identity ${identity.arn} (account ${identity.account}), region ${clients.region}` +
  (clients.profile ? `, profile ${clients.profile}` : '') +
  (clients.endpoint ? `, endpoint ${clients.endpoint}` : '');
