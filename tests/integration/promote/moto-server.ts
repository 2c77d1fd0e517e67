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

// Starts moto_server; fails with what it printed when it does not come up in 30 s.
export const startMoto = async (): Promise<MotoServer> => {
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
  void child.then(() => (exited = true));
  // Until it answers, or at once when it exited.
  const up = await waitFor(
    `moto_server to answer on ${endpoint}`,
    async () => ({ answers: await answers(endpoint), exited }),
    (s) => s.answers || s.exited,
    30_000,
    { intervalMs: 200 },
  ).catch((error: unknown) => ({ answers: false, exited, error }));
  if (!up.answers) {
    child.kill('SIGKILL');
    const why = 'error' in up ? `${String(up.error)}\n` : `it exited before answering\n`;
    throw new Error(
      `moto_server did not answer on ${endpoint} (is moto installed? \`pip install 'moto[server]'\`):\n${why}${output.join('').slice(-2000)}`,
    );
  }
  return {
    endpoint,
    port,
    env: awsTestEnv(endpoint),
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await child;
      clearTimeout(timer);
    },
  };
};
