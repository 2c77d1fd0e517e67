// `kartstream sim install` killed (SIGKILL) in the middle of a download, through the real CLI,
// against a loopback release mirror (KARTSTREAM_RELEASE_MIRROR) and a cache of its own: nothing
// half-downloaded counts as installed, and the next `sim install` resumes and ends installed.
import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSimBinaries, SIM_BINARY_NAMES } from '../../core/backends/sim/binaries.ts';
import { releaseArtifact, simPlatform } from '../../core/backends/sim/release-artifacts.ts';
import type { DoctorReport } from '../../core/doctor/doctor-report.ts';
import { envWithoutGo } from '../helpers/env-without-go.ts';
import {
  buildMirrorTree,
  mirrorPath,
  startMirrorServer,
  type MirrorServer,
} from '../helpers/release-mirror.ts';
import { present, waitFor } from '../helpers/wait.ts';

const CLI = resolve(import.meta.dirname, '../../bin/kartstream.js');

// Every file under `dir` (relative), or none when it does not exist.
const filesUnder = async (dir: string): Promise<string[]> =>
  existsSync(dir) ? (await readdir(dir, { recursive: true })).map(String) : [];

describe.runIf(process.platform === 'linux')('sim install killed mid-download', () => {
  let dir: string;
  let mirror: MirrorServer;
  let env: NodeJS.ProcessEnv;
  let running: ResultPromise | undefined;
  const kartstream = (args: string[]) =>
    execa(process.execPath, [CLI, ...args], { env, extendEnv: false, reject: false, timeout: 300_000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kartstream-install-kill-'));
    const kwokEnv = await buildMirrorTree(join(dir, 'mirror'), await requireSimBinaries());
    mirror = await startMirrorServer(join(dir, 'mirror'));
    env = await envWithoutGo({
      ...kwokEnv,
      KARTSTREAM_HOME: join(dir, 'home'),
      KARTSTREAM_CACHE: join(dir, 'cache'),
      KARTSTREAM_RELEASE_MIRROR: mirror.url,
    });
  });
  afterAll(async () => {
    running?.kill('SIGKILL');
    await mirror?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves no binary that counts as installed; the next two runs at once: one resumes the partial file, the other waits for it', async () => {
    const lookup = releaseArtifact('kube-apiserver', simPlatform(), env);
    if (!lookup.ok) throw new Error(lookup.reason);
    const apiserver = mirrorPath(lookup.artifact.url);
    mirror.stall.add(apiserver);
    const cache = join(dir, 'cache');
    const downloads = join(cache, 'downloads');
    const child = execa(process.execPath, [CLI, 'sim', 'install'], { env, extendEnv: false, reject: false });
    running = child;
    let ended = false;
    void child.then(() => (ended = true));
    // Killed once half of kube-apiserver is on disk and the mirror holds the rest back.
    const part = await waitFor(
      "kube-apiserver's partial download on disk (or `sim install` ended)",
      async () => {
        if (ended) return 'ended';
        for (const f of await filesUnder(downloads))
          if (f.endsWith('kube-apiserver.part') && (await stat(join(downloads, f))).size > 0) return f;
        return undefined;
      },
      present,
      120_000,
      { intervalMs: 50 },
    );
    if (part === 'ended') throw new Error(`sim install ended first:\n${String((await child).stderr)}`);
    child.kill('SIGKILL');
    expect((await child).signal).toBe('SIGKILL');
    running = undefined;

    // Nothing in the cache's bin/ (what `findSimBinaries` reads), and doctor says so.
    const installed = (await filesUnder(join(cache, 'bin'))).filter((f) =>
      SIM_BINARY_NAMES.some((n) => f === n || f.endsWith(`/${n}`)),
    );
    expect(installed).toEqual([]);
    const doctor = await kartstream(['doctor', '-o', 'json']);
    const report = JSON.parse(doctor.stdout) as DoctorReport;
    expect(report.conclusion.sim.ready).toBe(false);
    expect(report.simBinaries.filter((b) => b.found)).toEqual([]);

    mirror.stall.delete(apiserver);
    mirror.requests.length = 0;
    // Two installs at once: the first is paused (SIGSTOP) once it holds the cache's install lock;
    // the second waits for it, naming it, and then finds everything installed.
    const first = execa(process.execPath, [CLI, 'sim', 'install'], { env, extendEnv: false, reject: false });
    running = first;
    const lock = join(cache, 'locks', 'install.lock');
    await waitFor(
      'the install lock of the first `sim install`',
      () => (JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid,
      (pid) => pid === first.pid,
      60_000,
      { intervalMs: 20 },
    );
    first.kill('SIGSTOP');
    const second = execa(process.execPath, [CLI, 'sim', 'install'], { env, extendEnv: false, reject: false });
    let waiting = '';
    second.stderr?.on('data', (chunk: Buffer) => (waiting += String(chunk)));
    await waitFor(
      'the second `sim install` saying it waits for the first',
      () => waiting,
      (text) => text.includes(`waiting for \`sim install\` (pid ${first.pid}`),
      60_000,
      { intervalMs: 50 },
    );
    first.kill('SIGCONT');
    const [one, two] = await Promise.all([first, second]);
    running = undefined;
    expect(one.exitCode, String(one.stderr)).toBe(0);
    expect(two.exitCode, String(two.stderr)).toBe(0);
    expect(String(two.stdout)).toContain('nothing to build');
    // The partial file was continued (one Range request), and fetched by one install only.
    expect(mirror.requests.filter((r) => r.path === apiserver).map((r) => r.range !== undefined)).toEqual([
      true,
    ]);
    expect(existsSync(lock)).toBe(false);
    const after = JSON.parse((await kartstream(['doctor', '-o', 'json'])).stdout) as DoctorReport;
    expect(after.conclusion.sim.ready).toBe(true);
    // No partial file or scratch folder is left behind.
    expect(
      (await filesUnder(downloads)).filter((f) => f.endsWith('.part') || f.includes('.extract-')),
    ).toEqual([]);
  }, 300_000);
});
