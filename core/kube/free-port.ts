// Loopback ports: pick a free one, or check that a chosen one is free before a process needs it.
import { createServer } from 'node:net';
import { KartStreamError } from '../errors/kartstream-error.ts';

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

// A port the OS says is free on 127.0.0.1 now.
export const freePort = (): Promise<number> => listenOnce(0);

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
