// The checks every request to the core server passes before anything else runs: the token (in
// the path, or a Bearer header for API calls), the Host header (DNS rebinding) and the Origin
// header (other web pages). Each listener has its own rules: the loopback one takes the
// per-launch token, the share listener (share-guard.ts) an invite's. Pure functions, so they are
// unit-tested on their own.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { posix } from 'node:path';
import { TERMINAL_PATH, TOKEN_PREFIX, TRPC_PATH, WS_PATH } from '../contract/endpoints.ts';
import type { Caller } from '../contract/roles.ts';

/** A new token: 32 random bytes (256 bits), URL-safe. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/**
 * Compares a presented token with the expected one in constant time. Different lengths fail
 * after a comparison of the same cost, so timing tells nothing about the expected token.
 */
export const tokensEqual = (given: string | undefined, expected: string): boolean => {
  const want = Buffer.from(expected);
  const got = Buffer.from(given ?? '');
  if (got.length !== want.length) {
    timingSafeEqual(want, want);
    return false;
  }
  return timingSafeEqual(got, want);
};

const loopbackAuthorities = (port: number): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];

/** The Host header must name the loopback address and port we serve: a rebound DNS name fails. */
export const hostAllowed = (host: string | undefined, port: number): boolean =>
  host !== undefined && loopbackAuthorities(port).includes(host.toLowerCase());

/** A request without Origin is not from a web page; one with it must come from our own origin. */
export const originAllowed = (origin: string | undefined, port: number): boolean =>
  origin === undefined || loopbackAuthorities(port).some((a) => origin.toLowerCase() === `http://${a}`);

/** The token of an `Authorization: Bearer <token>` header. */
export const bearerToken = (authorization: string | undefined): string | undefined =>
  /^Bearer ([A-Za-z0-9_-]+)$/.exec(authorization ?? '')?.[1];

export type Route =
  { kind: 'ui'; file: string } | { kind: 'trpc'; procedure: string } | { kind: 'ws' } | { kind: 'terminal' };

export interface ParsedPath {
  /** The token in the path, or undefined for a bare API path (`/trpc/...`, `/ws`, `/terminal`). */
  pathToken?: string;
  route: Route;
  query: URLSearchParams;
}

/**
 * The UI file a path asks for, relative to the renderer's dist dir ("" for the root), or null
 * when the path tries to leave it (`..`, encoded slashes or backslashes, NUL bytes).
 */
export const safeRelativePath = (rest: string): string | null => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (/[\\\0]/.test(decoded) || decoded.split('/').some((s) => s === '..' || s === '.')) return null;
  const normal = posix.normalize(`/${decoded}`).slice(1);
  return normal.startsWith('..') ? null : normal;
};

const routeOf = (rest: string): Route | null => {
  const [first = '', ...others] = rest.split('/');
  if (first === TRPC_PATH && others.length === 1 && others[0]) return { kind: 'trpc', procedure: others[0] };
  if (first === WS_PATH && others.length === 0) return { kind: 'ws' };
  if (first === TERMINAL_PATH && others.length === 0) return { kind: 'terminal' };
  if (first === TRPC_PATH || first === WS_PATH || first === TERMINAL_PATH) return null;
  const file = safeRelativePath(rest);
  return file === null ? null : { kind: 'ui', file };
};

/**
 * Splits a request URL into the token it carries and what it asks for. Null for a path that is
 * none of ours (including a UI path without a token, or one that escapes the UI dir).
 */
export const parseRequestPath = (url: string): ParsedPath | null => {
  if (!url.startsWith('/')) return null;
  let parsed: URL;
  try {
    // Prefixed, not resolved against a base: "//host/x" must stay a path, not become a host.
    parsed = new URL(`http://127.0.0.1${url}`);
  } catch {
    return null;
  }
  const path = parsed.pathname;
  if (path.startsWith(TOKEN_PREFIX)) {
    const slash = path.indexOf('/', TOKEN_PREFIX.length);
    const pathToken = slash === -1 ? path.slice(TOKEN_PREFIX.length) : path.slice(TOKEN_PREFIX.length, slash);
    if (!pathToken) return null;
    const route = routeOf(slash === -1 ? '' : path.slice(slash + 1));
    return route && { pathToken, route, query: parsed.searchParams };
  }
  const route = routeOf(path.slice(1));
  return route && route.kind !== 'ui' ? { route, query: parsed.searchParams } : null;
};

/** The token segment of a `/t/<token>/...` URL, also when the rest of it is no path of ours. */
const tokenInPath = (url: string): string | undefined =>
  url.startsWith(TOKEN_PREFIX) ? url.slice(TOKEN_PREFIX.length).split(/[/?#]/)[0] || undefined : undefined;

export interface RequestFacts {
  url: string;
  host?: string;
  origin?: string;
  authorization?: string;
}

export type Verdict =
  | { ok: true; route: Route; query: URLSearchParams; caller: Caller }
  | { ok: false; status: 401 | 403 | 404; why: string };

/** What one listener accepts. */
export interface ListenerRules {
  hostAllowed(host: string | undefined): boolean;
  originAllowed(origin: string | undefined): boolean;
  /** What the Host check refuses, for the log: "Host is not loopback". */
  hostWhy: string;
  /** The caller a token stands for, or undefined when it opens nothing here. */
  identify(token: string): Caller | undefined;
}

/** The loopback listener: 127.0.0.1 or localhost on our port, the per-launch token, the local user. */
export const loopbackRules = (expected: { token: string; port: number }): ListenerRules => ({
  hostAllowed: (host) => hostAllowed(host, expected.port),
  originAllowed: (origin) => originAllowed(origin, expected.port),
  hostWhy: 'Host is not loopback',
  identify: (token) => (tokensEqual(token, expected.token) ? { kind: 'local' } : undefined),
});

/**
 * Decides whether a request (HTTP or WebSocket upgrade) may go on, and who sent it. `why` is
 * for the server's log and never contains the token; the client only sees the status.
 */
export const checkListenerRequest = (facts: RequestFacts, rules: ListenerRules): Verdict => {
  if (!rules.hostAllowed(facts.host)) return { ok: false, status: 403, why: rules.hostWhy };
  if (!rules.originAllowed(facts.origin)) return { ok: false, status: 403, why: 'foreign Origin' };
  const parsed = parseRequestPath(facts.url);
  const token = (parsed ? parsed.pathToken : tokenInPath(facts.url)) ?? bearerToken(facts.authorization);
  if (token === undefined) return { ok: false, status: 401, why: 'no token' };
  const caller = rules.identify(token);
  if (!caller) return { ok: false, status: 403, why: 'wrong token' };
  if (!parsed) return { ok: false, status: 404, why: 'unknown path' };
  return { ok: true, route: parsed.route, query: parsed.query, caller };
};

/** The loopback listener's check. */
export const checkRequest = (facts: RequestFacts, expected: { token: string; port: number }): Verdict =>
  checkListenerRequest(facts, loopbackRules(expected));
