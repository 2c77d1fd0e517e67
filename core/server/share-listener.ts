// The share listener (`serve --share`): a second listener of the core server, on one network
// address over HTTPS with the lab's self-signed certificate, opened only by invite tokens. It
// knows who is connected: presence per invite, and every remote WebSocket, so a revoked or
// expired invite is cut off within a second (the sweep) and stopping closes them all at once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { rm } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { basePath } from '../contract/endpoints.ts';
import type { Caller } from '../contract/roles.ts';
import type { InviteView } from '../contract/share-types.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { shareListenerFile } from '../home/paths.ts';
import { writePrivateJson } from '../home/private-files.ts';
import { InviteBook, inviteView, type Presence, type StoredInvite } from './invite-store.ts';
import type { ListenerRules } from './request-guard.ts';
import { ensureShareCertificate } from './share-certificate.ts';
import { shareAuthority, shareRules } from './share-guard.ts';

/** How often live sockets are checked against the invites (revoked, expired). */
export const SWEEP_MS = 250;
/** WebSocket close code for a revoked or expired invite (4000–4999 are the application's). */
export const INVITE_ENDED_CLOSE = 4403;

/** What a running `serve --share` writes for `kartstream invite` (no secrets). */
export interface ListenerRecord {
  origin: string;
  fingerprint: string;
  pid: number;
}

export type Participant = Extract<Caller, { kind: 'participant' }>;

export interface ShareListener {
  lab: string;
  address: string;
  port: number;
  /** `https://ADDR:PORT` */
  origin: string;
  fingerprint: string;
  rules: ListenerRules;
  /** Whether the participant's invite is still active. */
  isActive(caller: Participant): boolean;
  /** Notes a request from the participant (presence). */
  seen(caller: Participant): void;
  /** Keeps a remote socket, to close it when its invite ends or sharing stops. */
  track(ws: WebSocket, caller: Participant): void;
  /** Checks every live socket against the invites now (after a revocation). */
  sweep(): void;
  /** The link that opens the app for an invite's token. */
  urlFor(token: string): string;
  /** An invite as the Share panel shows it, with presence on this listener. */
  view(invite: StoredInvite, now?: number): InviteView;
  close(): Promise<void>;
}

export interface ShareHandlers {
  request(req: IncomingMessage, res: ServerResponse, share: ShareListener): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, share: ShareListener): void;
  /** A participant's first live socket opened (true) or their last one closed (false). */
  presence?(caller: Participant, online: boolean): void;
}

export interface ShareOptions {
  lab: string;
  address: string;
  /** 0: a free port. */
  port: number;
}

const listenError = (address: string, port: number, error: NodeJS.ErrnoException): KartStreamError => {
  if (error.code === 'EADDRINUSE')
    return new KartStreamError('conflict', `port ${port} on ${address} is already in use`, {
      fix: 'pick another with --share-port N, or leave it out to get a free port',
      cause: error,
    });
  if (error.code === 'EADDRNOTAVAIL')
    return new KartStreamError('invalid-input', `${address} is not an address of this machine`, {
      fix: 'name one of its addresses with --address (see `ip addr` or `ipconfig`), or leave --address out',
      cause: error,
    });
  return new KartStreamError('command-failed', `cannot listen on ${address}:${port}: ${error.message}`, {
    cause: error,
  });
};

export const openShareListener = async (
  options: ShareOptions,
  handlers: ShareHandlers,
): Promise<ShareListener> => {
  const { lab, address } = options;
  const certificate = await ensureShareCertificate(lab, address);
  const book = new InviteBook(lab);
  const presence = new Map<string, Presence>();
  const sockets = new Map<WebSocket, Participant>();
  const server = createServer({ key: certificate.key, cert: certificate.cert, minVersion: 'TLSv1.2' });

  const port = await new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(address, options.port, error));
    server.once('error', onError);
    server.listen({ port: options.port, host: address, exclusive: true }, () => {
      server.off('error', onError);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound ? bound.port : options.port);
    });
  });
  const origin = `https://${shareAuthority(address, port)}`;

  const identify = (token: string): Participant | undefined => {
    const invite = book.find(token);
    return (
      invite && { kind: 'participant', inviteId: invite.id, person: invite.person, role: invite.role, lab }
    );
  };
  const touch = (id: string) => {
    const entry = presence.get(id) ?? { lastSeen: 0, sockets: 0 };
    entry.lastSeen = Date.now();
    presence.set(id, entry);
    return entry;
  };
  const sweep = () => {
    book.refresh();
    for (const [ws, caller] of sockets) {
      if (book.isActive(caller.inviteId)) continue;
      sockets.delete(ws);
      ws.close(INVITE_ENDED_CLOSE, 'this invite was revoked or has expired');
      // A peer that does not answer the close handshake is cut off all the same.
      setTimeout(() => ws.terminate(), SWEEP_MS).unref();
    }
  };
  const timer = setInterval(sweep, SWEEP_MS);
  timer.unref();

  const share: ShareListener = {
    lab,
    address,
    port,
    origin,
    fingerprint: certificate.fingerprint,
    rules: shareRules(address, port, identify),
    isActive: (caller) => book.isActive(caller.inviteId),
    seen: (caller) => void touch(caller.inviteId),
    track: (ws, caller) => {
      sockets.set(ws, caller);
      if ((touch(caller.inviteId).sockets += 1) === 1) handlers.presence?.(caller, true);
      ws.on('message', () => touch(caller.inviteId));
      ws.once('close', () => {
        sockets.delete(ws);
        if ((touch(caller.inviteId).sockets -= 1) === 0) handlers.presence?.(caller, false);
      });
    },
    sweep,
    urlFor: (token) => `${origin}${basePath(token)}`,
    view: (invite, now = Date.now()) => inviteView(invite, now, presence.get(invite.id)),
    close: async () => {
      clearInterval(timer);
      for (const ws of sockets.keys()) ws.terminate();
      sockets.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, rm(shareListenerFile(lab), { force: true })]);
    },
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => handlers.request(req, res, share));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    handlers.upgrade(req, socket, head, share),
  );
  // A failed handshake (a client that refused our certificate) is the client's business.
  server.on('tlsClientError', () => undefined);
  await writePrivateJson(shareListenerFile(lab), {
    origin,
    fingerprint: certificate.fingerprint,
    pid: process.pid,
  } satisfies ListenerRecord);
  return share;
};
