// A shared lab's invites, kept in the lab's state (share/invites.json, 0600). Each invite has its
// own token, handed out once in its link; the file keeps only the token's SHA-256, and a
// presented token is compared against every stored hash in constant time. The CLI and the
// server both write the file (whole, atomically); the server re-reads it when it changes, so a
// revocation from `kartstream invite revoke` reaches live connections within a second.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInviteInput } from '../contract/inputs.ts';
import type { Role } from '../contract/roles.ts';
import type { InviteView } from '../contract/share-types.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { invitesFile } from '../home/paths.ts';
import { writePrivateJson } from '../home/private-files.ts';
import { newToken } from './request-guard.ts';

export interface StoredInvite {
  id: string;
  person: string;
  role: Role;
  /** SHA-256 of the token, hex. The token itself is never stored. */
  tokenSha256: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
}

interface InvitesDocument {
  invites: StoredInvite[];
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_EXPIRY_MS = 7 * UNIT_MS.d;

/** `30m`, `4h`, `2d` in milliseconds; at most 7 days. */
export const expiryMs = (text: string): number => {
  const match = /^([1-9]\d{0,3})([mhd])$/.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms <= MAX_EXPIRY_MS))
    throw new KartStreamError('invalid-input', `invalid --expires ${JSON.stringify(text)}`, {
      details: ['an invite lasts minutes (30m), hours (4h) or days (2d), at most 7 days'],
      fix: 'use --expires 4h, or leave it out for 4 hours',
    });
  return ms;
};

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const inviteState = (invite: StoredInvite, now: number): InviteView['state'] =>
  invite.revokedAt ? 'revoked' : Date.parse(invite.expiresAt) <= now ? 'expired' : 'active';

/** A participant without a live socket counts as online this long after their last request. */
const ONLINE_WINDOW_MS = 30_000;

export interface Presence {
  lastSeen: number;
  /** Live WebSockets. */
  sockets: number;
}

/** An invite as the Share panel and `invite list` show it (never its token hash). */
export const inviteView = (invite: StoredInvite, now: number, seen?: Presence): InviteView => {
  const state = inviteState(invite, now);
  return {
    id: invite.id,
    person: invite.person,
    role: invite.role,
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    state,
    online: state === 'active' && !!seen && (seen.sockets > 0 || now - seen.lastSeen < ONLINE_WINDOW_MS),
    ...(seen ? { lastSeen: new Date(seen.lastSeen).toISOString() } : {}),
  };
};

/** The active invite whose token this is. Every stored hash is compared, in constant time. */
export const matchToken = (invites: StoredInvite[], token: string, now: number): StoredInvite | undefined => {
  const given = Buffer.from(hashToken(token), 'hex');
  let found: StoredInvite | undefined;
  for (const invite of invites) {
    const stored = Buffer.from(invite.tokenSha256, 'hex');
    if (stored.length === given.length && timingSafeEqual(stored, given)) found = invite;
  }
  return found && inviteState(found, now) === 'active' ? found : undefined;
};

const parseDocument = (text: string, file: string): StoredInvite[] => {
  try {
    const doc = JSON.parse(text) as InvitesDocument;
    if (!Array.isArray(doc.invites)) throw new Error('no "invites" list');
    return doc.invites;
  } catch (error) {
    throw new KartStreamError('invalid-input', `the invites file ${file} cannot be read: ${String(error)}`, {
      fix: `remove it to start again without invites: rm ${file}`,
    });
  }
};

export const readInvites = async (lab: string): Promise<StoredInvite[]> => {
  const file = invitesFile(lab);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return text === undefined ? [] : parseDocument(text, file);
};

const writeInvites = (lab: string, invites: StoredInvite[]): Promise<void> =>
  writePrivateJson(invitesFile(lab), { invites } satisfies InvitesDocument);

// Changes within this process run one at a time per lab, so two invites made at once both stay.
const queues = new Map<string, Promise<unknown>>();
const oneAtATime = <T>(lab: string, change: () => Promise<T>): Promise<T> => {
  const next = (queues.get(lab) ?? Promise.resolve()).catch(() => undefined).then(change);
  queues.set(lab, next);
  return next;
};

export interface InviteRequest {
  person: string;
  role: string;
  expires?: string;
}

/** A new invite and its token (which only the link carries from here on). */
export const createInvite = async (
  lab: string,
  request: InviteRequest,
  now = Date.now(),
): Promise<{ invite: StoredInvite; token: string }> =>
  oneAtATime(lab, async () => {
    const parsed = createInviteInput.safeParse({ lab, ...request });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue?.path[0] ?? 'input');
      throw new KartStreamError(
        'invalid-input',
        `invalid --${field} ${JSON.stringify(request[field as keyof InviteRequest])}`,
        {
          details: [issue?.message ?? ''],
          fix:
            field === 'role'
              ? 'use --role facilitator, commander, operator, scribe or observer'
              : `give another --${field}`,
        },
      );
    }
    const { person, role, expires } = parsed.data;
    const ms = expiryMs(expires);
    const invites = await readInvites(lab);
    const taken = invites.find((i) => i.person === person && inviteState(i, now) === 'active');
    if (taken)
      throw new KartStreamError(
        'conflict',
        `${person} already has an active invite (${taken.id}) to lab ${lab}`,
        {
          fix: `revoke it first: kartstream invite revoke --name ${lab} ${taken.id}`,
        },
      );
    const token = newToken();
    const invite: StoredInvite = {
      id: randomBytes(4).toString('hex'),
      person,
      role,
      tokenSha256: hashToken(token),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ms).toISOString(),
    };
    await writeInvites(lab, [...invites, invite]);
    return { invite, token };
  });

/** Revokes the invite with this id, or the active invite of this person. */
export const revokeInvite = (lab: string, which: string, now = Date.now()): Promise<StoredInvite> =>
  oneAtATime(lab, async () => {
    const invites = await readInvites(lab);
    const target =
      invites.find((i) => i.id === which) ??
      invites.find((i) => i.person === which && inviteState(i, now) === 'active');
    if (!target)
      throw new KartStreamError('not-found', `lab ${lab} has no invite ${JSON.stringify(which)}`, {
        details: invites
          .filter((i) => inviteState(i, now) === 'active')
          .map((i) => `${i.id}  ${i.person} (${i.role})`),
        fix: `see the invites with: kartstream invite list --name ${lab}`,
      });
    if (!target.revokedAt) {
      target.revokedAt = new Date(now).toISOString();
      await writeInvites(lab, invites);
    }
    return target;
  });

/**
 * The server's view of a lab's invites: re-read when the file changes (checked on every lookup
 * and by the share listener's sweep), so the CLI's changes apply at once.
 */
export class InviteBook {
  private invites: StoredInvite[] = [];
  private stamp = '';

  constructor(readonly lab: string) {
    this.refresh();
  }

  /** Re-reads the file when its size or mtime changed; a file being replaced keeps the last good list. */
  refresh(): void {
    const file = invitesFile(this.lab);
    let stamp = 'none';
    try {
      const stat = statSync(file);
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      // No file: no invites.
    }
    if (stamp === this.stamp) return;
    try {
      this.invites = stamp === 'none' ? [] : parseDocument(readFileSync(file, 'utf8'), file);
      this.stamp = stamp;
    } catch {
      // Unreadable now; the next refresh tries again.
    }
  }

  all(): StoredInvite[] {
    this.refresh();
    return this.invites;
  }

  find(token: string, now = Date.now()): StoredInvite | undefined {
    return matchToken(this.all(), token, now);
  }

  isActive(id: string, now = Date.now()): boolean {
    const invite = this.invites.find((i) => i.id === id);
    return invite !== undefined && inviteState(invite, now) === 'active';
  }
}
