// What the person at this page may do (share.whoami): the local user may do everything, a
// participant what their role allows (docs/sharing.md). Buttons for what the role may not do are
// disabled with the reason, so an observer sees no action that the server would refuse.
import { createContext, useContext, type ReactNode } from 'react';
import type { Capability } from '../../../core/contract/roles.ts';
import type { WhoAmI } from '../../../core/contract/share-types.ts';
import { api } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';

const Me = createContext<WhoAmI | undefined>(undefined);

export const CapabilitiesProvider = ({ children }: { children: ReactNode }) => {
  const me = useQuery<WhoAmI>(() => api.share.whoami.query(), []);
  return <Me.Provider value={me.data}>{children}</Me.Provider>;
};

export interface Permission {
  allowed: boolean;
  /** Why not, for a disabled button's title. */
  reason?: string;
}

/** Whether the caller may do what needs `capability` (not yet, while whoami is on its way). */
export const useCan = (capability: Capability): Permission => {
  const me = useContext(Me);
  if (!me) return { allowed: false, reason: 'checking what you may do…' };
  if (me.capabilities.includes(capability)) return { allowed: true };
  return { allowed: false, reason: `your role (${me.role ?? 'participant'}) may not do this` };
};
