// A real moto_server (the AWS emulator in the system Python) on a free loopback port, for one
// test file or bench: started, waited for until it answers, reset between tests, stopped after.
// AWS managed policies are loaded (MOTO_IAM_LOAD_MANAGED_POLICIES) so roles can attach them.
import { execa, type ResultPromise } from 'execa';
import { join } from 'node:path';
import { freePort } from '../../../core/kube/free-port.ts';
import { waitFor } from '../../helpers/wait.ts';

export interface MotoServer {
  endpoint: string;
  port: number;
  /** Environment for the SDKs and the CLI: endpoint, dummy credentials, no instance metadata. */
  env: Record<string, string>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const REPO = join(import.meta.dirname, '../../..');

export const awsTestEnv = (endpoint: string): Record<string, string> => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_REGION: 'eu-west-1',
  // No shared config or credentials of the machine may leak into a test.
  AWS_CONFIG_FILE: join(REPO, 'tests/integration/promote/no-such-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(REPO, 'tests/integration/promote/no-such-aws-credentials'),
});

const answers = async (endpoint: string): Promise<boolean> => {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
};

interface Launch {
  endpoint: string;
  port: number;
  child: ResultPromise;
  isExited: () => boolean;
}

// One moto_server on a port freePort() just saw free. Another process may take the port in
// between: then moto exits saying so, and `portTaken` tells the caller to try another one.
const launch = async (): Promise<Launch | { portTaken: true }> => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child: ResultPromise = execa('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    reject: false,
    buffer: false,
  });
  child.stdout?.on('data', (d: Buffer) => output.push(String(d)));
  child.stderr?.on('data', (d: Buffer) => output.push(String(d)));
  let exited = false;
  const ended = child.then(() => (exited = true));
  // Until it answers, or at once when it exited.
  const up = await waitFor(
    `moto_server to answer on ${endpoint}`,
    async () => ({ answers: !exited && (await answers(endpoint)), exited }),
    (s) => s.answers || s.exited,
    30_000,
    { intervalMs: 200 },
  ).catch((error: unknown) => ({ answers: false, exited, error }));
  if (up.answers) return { endpoint, port, child, isExited: () => exited };
  child.kill('SIGKILL');
  await ended;
  const printed = output.join('');
  if (/address already in use/i.test(printed)) return { portTaken: true };
  const why = 'error' in up ? `${String(up.error)}\n` : `it exited before answering\n`;
  throw new Error(
    `moto_server did not answer on ${endpoint} (is moto installed? \`pip install 'moto[server]'\`):\n${why}${printed.slice(-2000)}`,
  );
};

// Starts moto_server; fails with what it printed when it does not come up in 30 s.
export const startMoto = async (): Promise<MotoServer> => {
  let started = await launch();
  for (let tries = 1; 'portTaken' in started; tries += 1) {
    if (tries === 3) throw new Error('moto_server found its port taken three times in a row');
    started = await launch();
  }
  const { endpoint, port, child, isExited } = started;
  return {
    endpoint,
    port,
    env: awsTestEnv(endpoint),
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: async () => {
      if (isExited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await child;
      clearTimeout(timer);
    },
  };
};
