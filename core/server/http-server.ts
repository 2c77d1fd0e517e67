// The core server: one Node HTTP server on 127.0.0.1 that serves the UI, the tRPC API over HTTP,
// tRPC subscriptions and the lab terminal over WebSocket. Every request and upgrade passes
// request-guard.ts first (token, Host, Origin); the URL layout is core/contract/endpoints.ts.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { TRPCError } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { basePath } from '../contract/endpoints.ts';
import { labName } from '../contract/inputs.ts';
import { MAX_CLIENT_FRAME_BYTES } from '../contract/terminal-protocol.ts';
import { appRouter, MAX_REQUEST_BYTES, type ApiContext } from '../contract/router.ts';
import { callerHas, SOCKET_CAPABILITY, type Caller } from '../contract/roles.ts';
import type { EngineServices } from '../contract/services.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import {
  checkListenerRequest,
  loopbackRules,
  newToken,
  type ListenerRules,
  type Verdict,
} from './request-guard.ts';
import { serveRendererFile } from './renderer-assets.ts';
import { withTypedErrors } from './typed-errors.ts';
import { handleConsoleSocket } from './kubectl-console.ts';
import { openShareListener, type ShareListener, type ShareOptions } from './share-listener.ts';
import { createShareService } from './share-service.ts';
import { recordShareEvent } from './share-timeline.ts';
import { recordLabTimeline } from './timeline-recorder.ts';

export interface CoreServerOptions {
  services: EngineServices;
  /** The built UI (index.html and assets). */
  rendererDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Only loopback: the server is never reachable from the network. */
  host?: '127.0.0.1';
  /** Where refusals and server-side failures are reported (never with the token). */
  log?: (line: string) => void;
}

export interface CoreServer {
  /** `http://127.0.0.1:<port>/t/<token>/`, the one URL that opens the UI. */
  url: string;
  token: string;
  port: number;
  /** Opens the share listener for a lab (one at a time; docs/sharing.md). */
  startSharing(options: ShareOptions): Promise<ShareListener>;
  /** Closes the share listener and every remote connection at once. */
  stopSharing(): Promise<void>;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const securityHeaders = (connectSources: string): Record<string, string> => ({
  'Content-Security-Policy': [
    "default-src 'self'",
    `connect-src 'self' ${connectSources}`,
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // The page, its assets and the API all live under a per-launch token: nothing is worth caching.
  'Cache-Control': 'no-store',
});

const refuse = (res: ServerResponse, status: number): void => {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`${STATUS_CODES[status] ?? 'Error'}\n`);
};

// Refused before the body is read; shaped like a tRPC error so the UI shows the words.
const tooLarge = (res: ServerResponse): void => {
  const message = `the request is larger than ${MAX_REQUEST_BYTES / 1024} KiB`;
  res.statusCode = 413;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Connection', 'close');
  res.end(
    JSON.stringify({
      error: {
        message,
        code: -32013,
        data: {
          code: 'PAYLOAD_TOO_LARGE',
          httpStatus: 413,
          wire: { code: 'payload-too-large', message, details: [], fix: 'send a smaller input' },
        },
      },
    }),
  );
};

const refuseUpgrade = (socket: Duplex, status: number): void => {
  const text = STATUS_CODES[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const listen = (server: ReturnType<typeof createServer>, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const busy = error.code === 'EADDRINUSE';
      reject(
        new KartStreamError(
          busy ? 'conflict' : 'command-failed',
          busy
            ? `port ${port} on ${HOST} is already in use`
            : `cannot listen on ${HOST}:${port}: ${error.message}`,
          {
            fix: busy
              ? 'stop what uses it, pick another with --port N, or leave --port out to get a free port'
              : 'pick a port above 1023 with --port N, or leave --port out to get a free port',
            cause: error,
          },
        ),
      );
    };
    server.once('error', onError);
    server.listen({ port, host: HOST, exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });

/** One listener's rules: the loopback one, or the share listener (which then is `share`). */
interface Door {
  rules: ListenerRules;
  connectSources: string;
  share?: ShareListener;
}

export const startCoreServer = async (options: CoreServerOptions): Promise<CoreServer> => {
  const log = options.log ?? (() => undefined);
  const token = newToken();
  let port = 0;
  let share: ShareListener | undefined;
  let stopRecording: (() => Promise<void>) | undefined;
  const stopSharing = async () => {
    const closing = share;
    share = undefined;
    await closing?.close();
    if (closing) await recordShareEvent(closing.lab, 'sharing stopped', log);
    await stopRecording?.();
    stopRecording = undefined;
  };
  const services = withTypedErrors({
    ...options.services,
    share: createShareService(() => share, stopSharing),
  });
  const contextFor = (caller: Caller, door: Door): ApiContext => ({
    services,
    caller,
    callerValid: () => caller.kind === 'local' || (door.share !== undefined && door.share.isActive(caller)),
  });
  // The caller of a WebSocket, from its upgrade request, for the tRPC context of its messages.
  const socketContexts = new WeakMap<IncomingMessage, ApiContext>();
  const onError = ({ error, path }: { error: TRPCError; path?: string }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR')
      log(`${path ?? '(unknown procedure)'} failed: ${error.message}`);
  };

  const trpcSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  const terminalSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
  // Loaded on first use: node-pty is native, and a broken build must not stop the server.
  let terminalModule: Promise<typeof import('./terminal-session.ts')> | undefined;
  applyWSSHandler({
    wss: trpcSockets,
    router: appRouter,
    createContext: ({ req }) => {
      const context = socketContexts.get(req);
      if (!context) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'unknown socket' });
      return context;
    },
    onError,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
  });

  const loopback = (): Door => ({
    rules: loopbackRules({ token, port }),
    connectSources: `ws://127.0.0.1:${port} ws://localhost:${port}`,
  });
  const shareDoor = (listener: ShareListener): Door => ({
    rules: listener.rules,
    connectSources: listener.origin.replace(/^https:/, 'wss:'),
    share: listener,
  });

  const check = (req: IncomingMessage, door: Door): Verdict => {
    const verdict = checkListenerRequest(
      {
        url: req.url ?? '/',
        host: headerOf(req, 'host'),
        origin: headerOf(req, 'origin'),
        authorization: headerOf(req, 'authorization'),
      },
      door.rules,
    );
    if (!verdict.ok) log(`refused ${req.method ?? '?'} request: ${verdict.why} (${verdict.status})`);
    else if (verdict.caller.kind === 'participant') door.share?.seen(verdict.caller);
    return verdict;
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse, door: Door) => {
    for (const [name, value] of Object.entries(securityHeaders(door.connectSources)))
      res.setHeader(name, value);
    const verdict = check(req, door);
    if (!verdict.ok) return refuse(res, verdict.status);
    const { route, caller } = verdict;
    if (route.kind === 'ui') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405);
      // "/t/<token>" without the slash: relative asset URLs would miss the token segment.
      if (!new URL(req.url ?? '/', 'http://x').pathname.endsWith('/') && route.file === '') {
        res.statusCode = 308;
        res.setHeader('Location', `${new URL(req.url ?? '/', 'http://x').pathname}/`);
        return res.end();
      }
      return void serveRendererFile(req, res, options.rendererDir, route.file).catch((error: unknown) => {
        log(`serving ${route.file || 'index.html'} failed: ${String(error)}`);
        if (!res.headersSent) refuse(res, 500);
        else res.destroy();
      });
    }
    if (route.kind !== 'trpc') return refuse(res, 426);
    if (req.method !== 'GET' && req.method !== 'POST') return refuse(res, 405);
    if (Number(headerOf(req, 'content-length') ?? 0) > MAX_REQUEST_BYTES) return tooLarge(res);
    const context = contextFor(caller, door);
    void nodeHTTPRequestHandler({
      router: appRouter,
      createContext: () => context,
      onError: (opts) => {
        // Past the limit tRPC stops using the body but leaves it flowing, so a client could go on
        // sending megabytes that are read and thrown away. Stop reading: the client's writes back
        // up while it reads the 413, and the idle connection is dropped after Node's keep-alive
        // timeout. (Closing it at once would make the client fail its write with EPIPE before it
        // reads the answer.)
        if (opts.error.code === 'PAYLOAD_TOO_LARGE') req.pause();
        onError(opts);
      },
      req,
      res,
      path: route.procedure,
      maxBodySize: MAX_REQUEST_BYTES,
    });
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, door: Door) => {
    socket.on('error', () => socket.destroy());
    const verdict = check(req, door);
    if (!verdict.ok) return refuseUpgrade(socket, verdict.status);
    const { caller } = verdict;
    if (verdict.route.kind === 'ws') {
      socketContexts.set(req, contextFor(caller, door));
      return trpcSockets.handleUpgrade(req, socket, head, (ws) => {
        if (caller.kind === 'participant') door.share?.track(ws, caller);
        trpcSockets.emit('connection', ws, req);
      });
    }
    if (verdict.route.kind !== 'terminal') return refuseUpgrade(socket, 404);
    const labParam = verdict.query.get('lab');
    // A participant's terminal is the kubectl console; only the local user gets a shell here.
    if (caller.kind === 'participant') {
      if (!callerHas(caller, SOCKET_CAPABILITY.console) || (labParam !== null && labParam !== caller.lab))
        return refuseUpgrade(socket, 403);
      return terminalSockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        door.share?.track(ws, caller);
        handleConsoleSocket(ws, caller);
      });
    }
    if (!callerHas(caller, SOCKET_CAPABILITY.terminal)) return refuseUpgrade(socket, 403);
    const lab = labName.safeParse(labParam ?? '');
    void (terminalModule ??= import('./terminal-session.ts')).then(
      ({ handleTerminalSocket }) =>
        terminalSockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          if (lab.success) return handleTerminalSocket(ws, lab.data);
          ws.close(
            1008,
            labParam
              ? 'invalid lab name: use lower-case letters, digits and "-", at most 32 characters'
              : 'no lab given: add ?lab=NAME to the terminal URL',
          );
        }),
      (error: unknown) =>
        terminalSockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          log(`the terminal cannot start: ${String(error)}`);
          ws.close(1011, 'the terminal is unavailable on this server (node-pty did not load)');
        }),
    );
  };

  const server = createServer((req, res) => handleRequest(req, res, loopback()));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    handleUpgrade(req, socket, head, loopback()),
  );

  port = await listen(server, options.port ?? 0);
  const url = `http://${HOST}:${port}${basePath(token)}`;

  const startSharing = async (shareOptions: ShareOptions): Promise<ShareListener> => {
    if (share)
      throw new KartStreamError(
        'conflict',
        `this server already shares lab ${share.lab} on ${share.origin}`,
        {
          fix: 'stop sharing first (the Share panel, or restart kartstream serve)',
        },
      );
    share = await openShareListener(shareOptions, {
      request: (req, res, listener) => handleRequest(req, res, shareDoor(listener)),
      upgrade: (req, socket, head, listener) => handleUpgrade(req, socket, head, shareDoor(listener)),
      presence: (caller, online) =>
        void recordShareEvent(
          caller.lab,
          `${caller.person} (${caller.role}) ${online ? 'joined' : 'left'}`,
          log,
          caller.person,
        ),
    });
    // The timeline is recorded while the lab is shared (docs/gameday.md).
    stopRecording = recordLabTimeline(shareOptions.lab, 'share', { log });
    await recordShareEvent(shareOptions.lab, `sharing started on ${share.origin}`, log);
    return share;
  };

  const closeSockets = () =>
    new Promise<void>((resolve) => {
      for (const ws of [...trpcSockets.clients, ...terminalSockets.clients]) ws.close(1001, 'server closing');
      server.close(() => resolve());
      server.closeAllConnections();
      // A peer that does not answer the close handshake is cut off.
      setTimeout(() => {
        for (const ws of [...trpcSockets.clients, ...terminalSockets.clients]) ws.terminate();
      }, 1000).unref();
    });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await stopSharing();
      // The shells first (SIGHUP, then SIGKILL after a grace period), then every socket.
      const terminals = await terminalModule?.catch(() => undefined);
      await terminals?.closeAllTerminals();
      await closeSockets();
    })());
  return { url, token, port, startSharing, stopSharing, close };
};
