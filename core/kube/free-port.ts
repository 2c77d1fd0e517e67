// Loopback ports for a lab's processes: pick a free one, or check that a chosen one is free.
//
// A lab's ports are picked before its processes bind them (kwokctl's config, the monitoring
// port-forwards), so two labs created at the same moment could pick the same port. Two things
// keep them apart: ports come from a random spot of a range below the OS's ephemeral ports
// (outgoing connections never take them), and each pick is reserved machine-wide for a few
// minutes, until its process has bound it (a directory per port under the temp dir, created
// atomically; a reservation older than RESERVATION_MS is stale and reclaimed).
import { createServer } from 'node:net';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KartStreamError } from '../errors/kartstream-error.ts';

/** Below Linux's ephemeral range (32768–60999) and macOS/Windows' (49152+), above the usual services. */
export const LAB_PORT_RANGE = { from: 20_000, to: 32_000 } as const;
const RESERVATION_MS = 5 * 60_000;
const ATTEMPTS = 500;

const listenOnce = (port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });

const reservationsDir = (): string => join(tmpdir(), 'kartstream-port-reservations');

// Claims the port for this process unless another claimed it within RESERVATION_MS.
const reserve = (port: number): boolean => {
  const dir = join(reservationsDir(), String(port));
  mkdirSync(reservationsDir(), { recursive: true, mode: 0o1777 });
  try {
    mkdirSync(dir);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
  }
  try {
    if (Date.now() - statSync(dir).mtimeMs < RESERVATION_MS) return false;
    // Stale: reclaim it (another process may do the same; mkdir decides who wins).
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    return true;
  } catch {
    return false;
  }
};

// A port free on 127.0.0.1 now, reserved for this lab until its process binds it.
export const freePort = async (): Promise<number> => {
  const span = LAB_PORT_RANGE.to - LAB_PORT_RANGE.from;
  for (let i = 0; i < ATTEMPTS; i++) {
    const port = LAB_PORT_RANGE.from + Math.floor(Math.random() * span);
    const free = await listenOnce(port).then(
      () => true,
      () => false,
    );
    if (free && reserve(port)) return port;
  }
  throw new KartStreamError(
    'conflict',
    `no free port on 127.0.0.1 between ${LAB_PORT_RANGE.from} and ${LAB_PORT_RANGE.to} after ${ATTEMPTS} tries`,
    { fix: `stop labs you no longer use (npx kartstream down --name LAB), or clear ${reservationsDir()}` },
  );
};

// Throws a clear error when `port` is taken on 127.0.0.1.
export const requireFreePort = async (port: number, what: string, flag: string): Promise<number> => {
  try {
    return await listenOnce(port);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KartStreamError(
      'invalid-input',
      `port ${port} on 127.0.0.1 (${what}) ${code === 'EADDRINUSE' ? 'is already in use' : `cannot be used: ${code}`}`,
      {
        cause,
        fix: `stop what listens there (\`ss -ltnp 'sport = :${port}'\` shows it), or pass another ${flag}, or leave ${flag} out to pick a free port`,
      },
    );
  }
};
