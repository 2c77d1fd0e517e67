// What the Share panel and `kartstream invite` show about a shared lab (docs/sharing.md).
import type { Capability, Role } from './roles.ts';

export interface ShareStatus {
  lab: string;
  /** Whether this server has a share listener for the lab now. */
  sharing: boolean;
  /** `https://ADDR:PORT`, when sharing. */
  origin?: string;
  /** SHA-256 of the listener's certificate, `AB:CD:…`, when sharing. */
  fingerprint?: string;
}

export interface WhoAmI {
  /** `local`: the user on this machine (the loopback token); else an invite's person. */
  kind: 'local' | 'participant';
  person?: string;
  role?: Role;
  capabilities: Capability[];
}

export interface InviteView {
  id: string;
  person: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
  state: 'active' | 'expired' | 'revoked';
  /** Has a live connection, or made a request in the last seconds. */
  online: boolean;
  /** The last request or socket message from this invite on this server. */
  lastSeen?: string;
}

/** A new invite: the link carries its token, shown this once (only its hash is kept). */
export interface CreatedInvite {
  id: string;
  url: string;
  role: Role;
  person: string;
  expires: string;
}
