import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { freePort, LAB_PORT_RANGE } from '../../../core/kube/free-port.ts';

const FREE_PORT_MODULE = fileURLToPath(new URL('../../../core/kube/free-port.ts', import.meta.url));

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port }, () => server.close(() => resolve(true)));
  });

describe('picking a lab port', () => {
  it('never hands out the same port twice while it is reserved, and each is free and below the ephemeral range', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 60; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(LAB_PORT_RANGE.from);
      expect(port).toBeLessThan(32_768);
    }
    expect(await canListen(ports[0]!)).toBe(true);
  });

  it('keeps labs created at the same moment in different processes on different ports', async () => {
    // Three processes pick ports at once, as three `kartstream up` would: no port twice.
    const picker = `import { freePort } from ${JSON.stringify(FREE_PORT_MODULE)};
      const ports = []; for (let i = 0; i < 40; i++) ports.push(await freePort());
      console.log(JSON.stringify(ports));`;
    const runs = await Promise.all(
      [1, 2, 3].map(() => execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', picker])),
    );
    const all = runs.flatMap((r) => JSON.parse(r.stdout) as number[]);
    expect(all).toHaveLength(120);
    expect(new Set(all).size).toBe(120);
  });
});
