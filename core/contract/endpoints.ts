// Where things live on the core server. Every path starts with the per-launch token, so every
// request (the page, its assets, the API, the WebSockets) carries it; the page reads it from its
// own URL once and keeps it in memory.
//
//   /t/<token>/                 the UI (index.html and assets)
//   /t/<token>/trpc/<proc>      queries and mutations (HTTP)
//   /t/<token>/ws               tRPC subscriptions (WebSocket)
//   /t/<token>/terminal?lab=L   the lab terminal (WebSocket, see terminal-protocol.ts)

export const TOKEN_PREFIX = '/t/';
export const TRPC_PATH = 'trpc';
export const WS_PATH = 'ws';
export const TERMINAL_PATH = 'terminal';

/** The base of every URL for a server at `origin` with `token`, ending in "/". */
export const basePath = (token: string): string => `${TOKEN_PREFIX}${token}/`;
