// Invites on disk: a token per person, stored only as a hash (0600), expiry and revocation, and
// the server's book that sees the CLI's changes. Real files under a private KARTSTREAM_HOME.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitesFile } from '../../../core/home/paths.ts';
import {
  createInvite,
  expiryMs,
  hashToken,
  InviteBook,
  inviteView,
  readInvites,
  revokeInvite,
} from '../../../core/server/invite-store.ts';

const previousHome = process.env.KARTSTREAM_HOME;
let home = '';
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'kartstream-invites-'));
  process.env.KARTSTREAM_HOME = home;
});
afterAll(() => {
  process.env.KARTSTREAM_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

describe('invites', () => {
  it('gives each person their own token and keeps only its hash, in a 0600 file', async () => {
    const a = await createInvite('lab-a', { person: 'Ana', role: 'operator' });
    const b = await createInvite('lab-a', { person: 'Ben', role: 'observer', expires: '30m' });
    expect(a.token).not.toBe(b.token);
    const text = readFileSync(invitesFile('lab-a'), 'utf8');
    expect(text).not.toContain(a.token);
    expect(text).toContain(hashToken(a.token));
    expect(statSync(invitesFile('lab-a')).mode & 0o777).toBe(0o600);
    expect(Date.parse(b.invite.expiresAt) - Date.parse(b.invite.createdAt)).toBe(30 * 60_000);
    expect(Date.parse(a.invite.expiresAt) - Date.parse(a.invite.createdAt)).toBe(4 * 3_600_000);
  });

  it('opens the book for a live token only, and sees a revocation made by another writer', async () => {
    const { token, invite } = await createInvite('lab-b', { person: 'Cleo', role: 'scribe' });
    const book = new InviteBook('lab-b');
    expect(book.find(token)?.person).toBe('Cleo');
    expect(book.find(`${token.slice(0, -1)}x`)).toBeUndefined();
    await revokeInvite('lab-b', 'Cleo');
    expect(book.find(token)).toBeUndefined();
    expect(book.isActive(invite.id)).toBe(false);
    expect((await readInvites('lab-b'))[0]?.revokedAt).toBeDefined();
  });

  it('ends at its expiry', async () => {
    const made = Date.parse('2026-01-01T00:00:00Z');
    const { token, invite } = await createInvite(
      'lab-c',
      { person: 'Dev', role: 'commander', expires: '1h' },
      made,
    );
    const book = new InviteBook('lab-c');
    expect(book.find(token, made + 3_599_000)?.id).toBe(invite.id);
    expect(book.find(token, made + 3_600_000)).toBeUndefined();
    expect(inviteView(invite, made + 3_600_000).state).toBe('expired');
  });

  it('refuses a second active invite for one person, naming the one to revoke', async () => {
    const first = await createInvite('lab-d', { person: 'Eve', role: 'observer' });
    await expect(createInvite('lab-d', { person: 'Eve', role: 'operator' })).rejects.toMatchObject({
      message: `Eve already has an active invite (${first.invite.id}) to lab lab-d`,
      fix: `revoke it first: kartstream invite revoke --name lab-d ${first.invite.id}`,
    });
    await revokeInvite('lab-d', first.invite.id);
    await expect(createInvite('lab-d', { person: 'Eve', role: 'operator' })).resolves.toBeDefined();
  });

  it('explains a bad role, name or duration', async () => {
    await expect(createInvite('lab-e', { person: 'Fay', role: 'admin' })).rejects.toMatchObject({
      message: 'invalid --role "admin"',
      fix: 'use --role facilitator, commander, operator, scribe or observer',
    });
    await expect(createInvite('lab-e', { person: '<script>', role: 'observer' })).rejects.toThrow(
      'invalid --person "<script>"',
    );
    expect(() => expiryMs('8d')).toThrow('invalid --expires "8d"');
    expect(() => expiryMs('soon')).toThrow('invalid --expires "soon"');
    expect(expiryMs('7d')).toBe(7 * 86_400_000);
  });

  it('says which invites exist when revoking one that does not', async () => {
    await createInvite('lab-f', { person: 'Gus', role: 'observer' });
    await expect(revokeInvite('lab-f', 'Nobody')).rejects.toMatchObject({
      code: 'not-found',
      details: [expect.stringContaining('Gus (observer)')],
    });
  });
});
