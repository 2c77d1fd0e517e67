// The `share` procedures: the Share panel's view of the lab this server shares, and the
// facilitator's invites. The core server owns the share listener; this reads it.
import type { ApiContext } from '../contract/router.ts';
import type { EngineServices, KartStreamServices } from '../contract/services.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { grantTeamIdentity, withdrawTeamIdentity } from '../lab/team-identity.ts';
import { createInvite, inviteView, readInvites, revokeInvite, type StoredInvite } from './invite-store.ts';
import type { ShareListener } from './share-listener.ts';

const notShared = (lab: string): KartStreamError =>
  new KartStreamError('conflict', `lab ${lab} is not shared by this server`, {
    fix: `start sharing it: kartstream serve --share --name ${lab}`,
  });

/**
 * Gives a new invite's person their identity in the lab's cluster; when the cluster refuses,
 * the invite is revoked again so no link exists without its identity.
 */
export const grantOrUndo = async (lab: string, invite: StoredInvite): Promise<void> => {
  try {
    await grantTeamIdentity(lab, invite);
  } catch (error) {
    await revokeInvite(lab, invite.id).catch(() => undefined);
    throw error;
  }
};

export const createShareService = (
  current: () => ShareListener | undefined,
  stop: () => Promise<void>,
): KartStreamServices['share'] => {
  const sharing = (lab: string) => {
    const share = current();
    return share?.lab === lab ? share : undefined;
  };
  return {
    status: (lab) => {
      const share = sharing(lab);
      return Promise.resolve(
        share
          ? { lab, sharing: true, origin: share.origin, fingerprint: share.fingerprint }
          : { lab, sharing: false },
      );
    },
    invites: async (lab) => {
      const share = sharing(lab);
      const now = Date.now();
      const invites = await readInvites(lab);
      return invites.map((invite) => (share ? share.view(invite, now) : inviteView(invite, now)));
    },
    invite: async (input) => {
      const share = sharing(input.lab);
      if (!share) throw notShared(input.lab);
      const { invite, token } = await createInvite(input.lab, input);
      await grantOrUndo(input.lab, invite);
      return {
        id: invite.id,
        url: share.urlFor(token),
        role: invite.role,
        person: invite.person,
        expires: invite.expiresAt,
      };
    },
    revoke: async (input) => {
      const invite = await revokeInvite(input.lab, input.id);
      await withdrawTeamIdentity(input.lab, invite.person);
      const share = sharing(input.lab);
      share?.sweep();
      return share ? share.view(invite) : inviteView(invite, Date.now());
    },
    stop,
  };
};

/** The API context of the local user, for calling the router in-process (tests, tools). */
export const localContext = (services: EngineServices): ApiContext => ({
  services: {
    ...services,
    share: createShareService(
      () => undefined,
      () => Promise.resolve(),
    ),
  },
  caller: { kind: 'local' },
  callerValid: () => true,
});
