// Crash safety (issue #19): the disk fills up under a running sim lab and its server. A small
// tmpfs, filled to the last byte, is bind-mounted where the lab's timeline, the task logs and the
// scenario runs are written. A note, a pool scale (a task) and a scenario start each fail with
// an error that names the file, says the disk is full and how to make room; the server keeps
// answering, the map keeps following the cluster, and no fault or claim is left on the lab.
// Mounting needs root (CAP_SYS_ADMIN): without it the tests are skipped, saying why.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_LABEL } from '../../core/backends/sim/pod-faults.ts';
import type { TaskUpdate, WireError } from '../../core/contract/wire-types.ts';
import { labTimelineFile, tasksDir } from '../../core/home/paths.ts';
import { labKubeconfigPath } from '../../core/lab/lab-record.ts';
import { readRunClaim } from '../../core/scenarios/run-claim.ts';
import { runsDir } from '../../core/scenarios/run-files.ts';
import { followCluster, startCoreClient, type CoreApi } from './helpers/core-client.ts';
import { cli, kubectlJson, useTempHome } from './helpers/lab-env.ts';

const NAME = 'crash-disk';

// Why tmpfs cannot be mounted here, or undefined when it can.
const cannotMount = async (): Promise<string | undefined> => {
  const dir = mkdtempSync(join(tmpdir(), 'kartstream-mount-probe-'));
  try {
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { reject: false });
    if (mounted.exitCode !== 0)
      return `mounting a tmpfs is not permitted here (${String(mounted.stderr).trim()})`;
    await execa('umount', [dir]);
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
const noMount = await cannotMount();

// The engine's error behind a failed call over HTTP (`error.data.wire`).
const wireError = async (call: Promise<unknown>): Promise<WireError> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as { data?: { wire?: WireError } },
  );
  expect(error, 'the call should have failed').toBeDefined();
  expect(error?.data?.wire, String(error)).toBeDefined();
  return error!.data!.wire!;
};

const expectDiskFull = (error: Pick<WireError, 'message' | 'fix'>, file: string) => {
  expect(error.message).toContain(`(${file}): the disk is full`);
  expect(error.fix).toContain('df -h');
  expect(error.fix).toContain('KARTSTREAM_HOME');
};

let core: Awaited<ReturnType<typeof startCoreClient>> | undefined;
let api: CoreApi;
let rendererDir = '';
let full = '';
const mounts: string[] = [];

// Binds `source` (a file or folder of the full tmpfs) over `target`; unmounted in afterAll.
const bind = async (source: string, target: string) => {
  await execa('mount', ['--bind', source, target]);
  mounts.push(target);
};
const unbind = async (target: string) => {
  await execa('umount', [target]);
  mounts.splice(mounts.indexOf(target), 1);
};

describe.skipIf(noMount !== undefined)(
  `a full disk under a running lab${noMount ? ` (skipped: ${noMount})` : ''}`,
  () => {
    const temp = useTempHome();
    beforeAll(async () => {
      const up = await cli(['up', '--name', NAME]);
      expect(up.exitCode, up.stderr).toBe(0);
      rendererDir = mkdtempSync(join(tmpdir(), 'kartstream-renderer-'));
      core = await startCoreClient(NAME, rendererDir);
      api = core.api;
      // A 256 KiB tmpfs with a timeline file and the tasks and runs folders, then filled up.
      full = mkdtempSync(join(tmpdir(), 'kartstream-full-'));
      await execa('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', full]);
      mounts.push(full);
      writeFileSync(join(full, 'timeline.jsonl'), '', { mode: 0o600 });
      mkdirSync(join(full, 'tasks'), { mode: 0o700 });
      mkdirSync(join(full, 'runs'), { mode: 0o700 });
      const fill = await execa('dd', ['if=/dev/zero', `of=${join(full, 'fill')}`, 'bs=4k'], {
        reject: false,
      });
      expect(String(fill.stderr)).toMatch(/No space left on device/);
      writeFileSync(labTimelineFile(NAME), '', { flag: 'a', mode: 0o600 });
      mkdirSync(runsDir(), { recursive: true, mode: 0o700 });
      await bind(join(full, 'timeline.jsonl'), labTimelineFile(NAME));
      await bind(join(full, 'tasks'), tasksDir());
    }, 600_000);
    afterAll(async () => {
      await core?.close();
      for (const target of [...mounts].reverse()) await execa('umount', [target], { reject: false });
      if (full) rmSync(full, { recursive: true, force: true });
      await cli(['down', '--name', NAME]);
      rmSync(rendererDir, { recursive: true, force: true });
      temp.cleanup();
    }, 180_000);

    // The lab goes on: the server answers and the map follows a change made now.
    const expectLabLive = async () => {
      expect((await api.labs.list.query()).map((l) => l.name)).toContain(NAME);
      const map = followCluster(api, NAME);
      try {
        const node = await map.until('the map to show a frontend node', () =>
          [...map.nodes.values()].find((n) => n.pool !== 'backend'),
        );
        const cordon = node.schedulable ? 'cordon' : 'uncordon';
        await execa('kubectl', ['--kubeconfig', labKubeconfigPath(NAME), cordon, node.name]);
        await map.until(
          `the map to show ${node.name} ${cordon}ed`,
          () => map.nodes.get(node.name)?.schedulable === (cordon === 'uncordon') || undefined,
          5_000,
        );
      } finally {
        map.stop();
      }
    };

    it("a note when the lab's timeline cannot be written: names the file and says the disk is full", async () => {
      const error = await wireError(api.incident.note.mutate({ lab: NAME, text: 'checking the checkout' }));
      expect(error.code).toBe('io-failed');
      expectDiskFull(error, labTimelineFile(NAME));
      await expectLabLive();
    }, 120_000);

    it('a pool scale when its task log cannot be written: the task fails, saying so', async () => {
      const { taskId } = await api.actions.scalePool.mutate({ lab: NAME, pool: 'backend', nodes: 3 });
      const updates: TaskUpdate[] = [];
      await new Promise<void>((resolve, reject) => {
        const sub = api.tasks.watch.subscribe(
          { id: taskId },
          {
            onData: (u: TaskUpdate) => {
              updates.push(u);
              if (u.type === 'end') {
                sub.unsubscribe();
                resolve();
              }
            },
            onError: reject,
          },
        );
      });
      const end = updates.at(-1);
      expect(end).toMatchObject({ type: 'end', state: 'failed' });
      const error = end?.type === 'end' ? end.error : undefined;
      expectDiskFull(error!, join(tasksDir(), taskId, 'log.txt'));
      // The scale never ran: the pool keeps its nodes.
      const nodes = await kubectlJson<{ items: unknown[] }>(labKubeconfigPath(NAME), [
        'get',
        'nodes',
        '-l',
        'pool=backend',
      ]);
      expect(nodes.items).toHaveLength(2);
      await expectLabLive();
    }, 120_000);

    it('a scenario start when its run cannot be saved: refused clearly, the lab left unclaimed and unharmed', async () => {
      await unbind(tasksDir());
      await bind(join(full, 'runs'), runsDir());
      const error = await wireError(api.scenarios.start.mutate({ lab: NAME, id: 'failover' }));
      expect(error.message).toMatch(
        /^could not write the state of scenario run \S+ \(.*run\.json\): the disk is full$/,
      );
      expect(error.message).toContain(runsDir());
      expect(error.fix).toContain('df -h');
      expect(await readRunClaim(NAME)).toBeUndefined();
      expect(await api.scenarios.active.query({ lab: NAME })).toBeNull();
      const nodes = await kubectlJson<{ items: { metadata: { labels?: Record<string, string> } }[] }>(
        labKubeconfigPath(NAME),
        ['get', 'nodes'],
      );
      expect(nodes.items.filter((n) => n.metadata.labels?.[FAULT_LABEL])).toEqual([]);
      await expectLabLive();
    }, 120_000);
  },
);
