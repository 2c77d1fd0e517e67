// `kartstream up --backend kind` on a machine without a Docker engine, run as a user runs it: it
// exits non-zero with the preflight finding and its fix, and leaves no lab behind.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeDockerEngine } from '../../../core/backends/docker-engine.ts';
import { NO_ENGINE_HOST, REPO } from './helpers.ts';

const home = mkdtempSync(join(tmpdir(), 'kartstream-up-kind-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const docker = await probeDockerEngine();

describe('up --backend kind without an engine', () => {
  // DOCKER_HOST points nowhere, so even a machine with Docker takes the no-engine path here.
  it(`exits 1 with the preflight finding and its fix (this machine: ${docker.engine ? 'has an engine, checked through an unreachable DOCKER_HOST' : 'no engine'})`, async () => {
    const result = await execa(
      process.execPath,
      [join(REPO, 'bin', 'kartstream.js'), 'up', '--backend', 'kind', '--name', 'nokind'],
      {
        cwd: REPO,
        reject: false,
        env: { KARTSTREAM_HOME: home, DOCKER_HOST: NO_ENGINE_HOST },
        timeout: 120_000,
      },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^error: the kind backend cannot run here: no Docker engine answers: unix:\/\/\/nonexistent\/kartstream-test\/docker\.sock \(DOCKER_HOST\) does not exist$/m,
    );
    expect(result.stderr).toMatch(/^fix: start the engine: .*systemctl start docker.*or use --backend sim/m);
    // Refused before anything is created: no lab, not even a task.
    expect(existsSync(join(home, 'labs')) ? readdirSync(join(home, 'labs')) : []).toEqual([]);
  }, 120_000);
});
