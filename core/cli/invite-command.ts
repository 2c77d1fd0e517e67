// `kartstream invite`: per-person links to a lab shared by `kartstream serve --share`, and
// `invite list|revoke`. The link carries the invite's own token and is printed once; the lab's
// state keeps only its hash. A revocation reaches the running server within a second.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { basePath } from '../contract/endpoints.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { isAlive } from '../exec/process-alive.ts';
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { shareListenerFile } from '../home/paths.ts';
import { withdrawTeamIdentity } from '../lab/team-identity.ts';
import { createInvite, inviteView, readInvites, revokeInvite } from '../server/invite-store.ts';
import { grantOrUndo } from '../server/share-service.ts';
import type { ListenerRecord } from '../server/share-listener.ts';
import { table } from '../text/table.ts';
import { outputFormat, type Output } from './output.ts';

interface InviteOptions {
  name: string;
  role?: string;
  person?: string;
  expires?: string;
  output: string;
}

/** Where the lab is shared now: a running `serve --share` for it. */
const runningShare = async (lab: string): Promise<ListenerRecord> => {
  const record = await readFile(shareListenerFile(lab), 'utf8')
    .then((text) => JSON.parse(text) as ListenerRecord)
    .catch(() => undefined);
  if (!record || !isAlive(record.pid))
    throw new KartStreamError(
      'conflict',
      `lab ${lab} is not shared now, so there is no address to invite to`,
      {
        fix: `start sharing it first: kartstream serve --share --name ${lab}`,
      },
    );
  return record;
};

const missing = (flag: string, lab: string): KartStreamError =>
  new KartStreamError('invalid-input', `an invite needs ${flag}`, {
    fix: `e.g. kartstream invite --name ${lab} --role operator --person Ana`,
  });

const invite = async (opts: InviteOptions, out: Output): Promise<void> => {
  const lab = checkLabName(opts.name);
  const format = outputFormat(opts.output, ['text', 'json'] as const);
  if (opts.role === undefined) throw missing('--role ROLE', lab);
  if (opts.person === undefined) throw missing('--person NAME', lab);
  const share = await runningShare(lab);
  const { invite: made, token } = await createInvite(lab, {
    person: opts.person,
    role: opts.role,
    ...(opts.expires === undefined ? {} : { expires: opts.expires }),
  });
  await grantOrUndo(lab, made);
  const url = `${share.origin}${basePath(token)}`;
  if (format === 'json') {
    out.print(JSON.stringify({ url, role: made.role, person: made.person, expires: made.expiresAt }));
    return;
  }
  out.print(url);
  out.info(
    `invite ${made.id}: ${made.person} as ${made.role} until ${made.expiresAt}; send the link privately, with the certificate's SHA-256: ${share.fingerprint}`,
  );
};

const list = async (opts: { name: string; output: string }, out: Output): Promise<void> => {
  const lab = checkLabName(opts.name);
  const format = outputFormat(opts.output, ['text', 'json'] as const);
  const now = Date.now();
  const views = (await readInvites(lab)).map((i) => inviteView(i, now));
  if (format === 'json') return out.print(JSON.stringify(views, null, 2));
  if (views.length === 0) return out.info(`lab ${lab} has no invites`);
  out.print(
    table(
      ['ID', 'PERSON', 'ROLE', 'STATE', 'EXPIRES'],
      views.map((v) => [v.id, v.person, v.role, v.state, v.expiresAt]),
    ),
  );
};

const revoke = async (which: string, opts: { name: string }, out: Output): Promise<void> => {
  const lab = checkLabName(opts.name);
  const revoked = await revokeInvite(lab, which);
  await withdrawTeamIdentity(lab, revoked.person);
  out.info(
    `revoked invite ${revoked.id} (${revoked.person}, ${revoked.role}); their connections close within a second`,
  );
};

export const addInviteCommand = (program: Command, out: Output): void => {
  const command = program
    .command('invite')
    .description('invite a person to a shared lab with a role, and print their link (see docs/sharing.md)')
    .option('--name <lab>', 'the shared lab', DEFAULT_LAB_NAME)
    .option('--role <role>', 'facilitator, commander, operator, scribe or observer')
    .option('--person <name>', "the person's name, as the others will see it")
    .option('--expires <duration>', 'how long the link works: 30m, 4h, 2d (at most 7d)', '4h')
    .option('-o, --output <format>', 'text or json ({url, role, person, expires})', 'text')
    .action((opts: InviteOptions) => invite(opts, out));
  // `--name` and `-o` belong to `invite` and are read from there: `invite list --name L` sets them.
  command
    .command('list')
    .description("list the lab's invites and their state (--name LAB, -o json)")
    .action((_opts: unknown, sub: Command) => list(sub.optsWithGlobals<InviteOptions>(), out));
  command
    .command('revoke <id-or-person>')
    .description('revoke an invite (--name LAB): its person is cut off within a second')
    .action((which: string, _opts: unknown, sub: Command) =>
      revoke(which, sub.optsWithGlobals<InviteOptions>(), out),
    );
};
