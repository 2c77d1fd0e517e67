// Share: whether this server shares the lab, the address and certificate fingerprint people
// check, and for the facilitator the invites (a link per person and role), who is online, and
// revoke. Everything here is enforced on the server (docs/sharing.md); the panel only shows it.
import { useEffect, useState, type FormEvent } from 'react';
import { ROLES, type Role } from '../../../core/contract/roles.ts';
import type { CreatedInvite, InviteView, ShareStatus, WhoAmI } from '../../../core/contract/share-types.ts';
import type { WireError } from '../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';

/** Presence comes from the server's requests and sockets: look again this often. */
const PRESENCE_POLL_MS = 2000;

const InviteForm = ({ lab, onCreated }: { lab: string; onCreated: (made: CreatedInvite) => void }) => {
  const [person, setPerson] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [expires, setExpires] = useState('4h');
  const [error, setError] = useState<WireError>();
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    api.share.invite
      .mutate({ lab, person, role, expires })
      .then(
        (made) => {
          setError(undefined);
          setPerson('');
          onCreated(made);
        },
        (cause: unknown) => setError(wireErrorOf(cause)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <form className="share-form" onSubmit={submit} aria-label="Invite a person">
      <label>
        Person{' '}
        <input
          aria-label="Person"
          value={person}
          onChange={(e) => setPerson(e.target.value)}
          required
          maxLength={40}
        />
      </label>
      <label>
        Role{' '}
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label>
        Expires{' '}
        <input aria-label="Expires" value={expires} onChange={(e) => setExpires(e.target.value)} size={4} />
      </label>
      <button type="submit" className="button primary" data-testid="invite-create" disabled={busy || !person}>
        Create invite
      </button>
      <ErrorMessage error={error} />
    </form>
  );
};

const InviteRows = ({
  lab,
  invites,
  onChanged,
}: {
  lab: string;
  invites: InviteView[];
  onChanged: () => void;
}) => {
  const [error, setError] = useState<WireError>();
  const revoke = (id: string) =>
    api.share.revoke.mutate({ lab, id }).then(
      () => {
        setError(undefined);
        onChanged();
      },
      (cause: unknown) => setError(wireErrorOf(cause)),
    );
  if (invites.length === 0) return <p className="muted">No invites yet.</p>;
  return (
    <>
      <ErrorMessage error={error} />
      <table className="table share-table">
        <thead>
          <tr>
            <th>Person</th>
            <th>Role</th>
            <th>Presence</th>
            <th>State</th>
            <th>Expires</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {invites.map((invite) => (
            <tr key={invite.id} data-testid={`invite-row-${invite.person}`} data-state={invite.state}>
              <td>{invite.person}</td>
              <td>{invite.role}</td>
              <td data-testid={`participant-${invite.person}`} data-online={String(invite.online)}>
                <span className={`badge ${invite.online ? 'ok' : ''}`}>
                  {invite.online ? 'online' : 'offline'}
                </span>
                {invite.lastSeen && (
                  <span className="muted"> seen {new Date(invite.lastSeen).toLocaleTimeString()}</span>
                )}
              </td>
              <td>{invite.state}</td>
              <td>{new Date(invite.expiresAt).toLocaleString()}</td>
              <td className="row-actions">
                {invite.state === 'active' && (
                  <button
                    type="button"
                    className="button danger small"
                    onClick={() => void revoke(invite.id)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
};

export const ShareView = ({ lab }: { lab: string }) => {
  const status = useQuery<ShareStatus>(() => api.share.status.query({ lab }), [lab]);
  const me = useQuery<WhoAmI>(() => api.share.whoami.query(), []);
  const facilitates = me.data?.capabilities.includes('facilitate') ?? false;
  const sharing = status.data?.sharing ?? false;
  const invites = useQuery<InviteView[]>(
    () => (facilitates ? api.share.invites.query({ lab }) : Promise.resolve([])),
    [lab, facilitates],
  );
  const [created, setCreated] = useState<CreatedInvite>();
  const reloadInvites = invites.reload;
  useEffect(() => {
    if (!facilitates || !sharing) return;
    const timer = window.setInterval(reloadInvites, PRESENCE_POLL_MS);
    return () => window.clearInterval(timer);
  }, [facilitates, sharing, reloadInvites]);

  return (
    <div className="share-view" data-testid="share-panel" data-sharing={String(sharing)}>
      <header className="view-head">
        <h2>Share lab {lab}</h2>
        {me.data?.kind === 'participant' && (
          <span className="badge" data-testid="share-me">
            {me.data.person} · {me.data.role}
          </span>
        )}
      </header>
      <ErrorMessage error={status.error ?? me.error} />
      {status.data && !sharing && (
        <p className="muted" data-testid="share-off">
          This lab is not shared. Sharing is off by default; start it with{' '}
          <code>kartstream serve --share --name {lab}</code>.
        </p>
      )}
      {status.data?.sharing && (
        <section className="card share-status" aria-labelledby="share-where">
          <h3 id="share-where">Shared on {status.data.origin}</h3>
          <p>
            Certificate SHA-256 (people check it before they trust the page):{' '}
            <code data-testid="share-fingerprint">{status.data.fingerprint}</code>
          </p>
        </section>
      )}
      {facilitates && sharing && (
        <section className="card" aria-labelledby="share-invites">
          <h3 id="share-invites">Invites</h3>
          <InviteForm
            lab={lab}
            onCreated={(made) => {
              setCreated(made);
              reloadInvites();
            }}
          />
          {created && (
            <div className="banner success" role="status" data-testid="invite-link">
              Link for {created.person} ({created.role}), shown once — send it privately:{' '}
              <code>{created.url}</code>
            </div>
          )}
          <ErrorMessage error={invites.error} />
          {invites.data && <InviteRows lab={lab} invites={invites.data} onChanged={reloadInvites} />}
        </section>
      )}
    </div>
  );
};
