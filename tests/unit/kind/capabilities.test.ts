// What the kind backend declares it can do, and the refusals a scenario meets where kind cannot:
// each says why and what to do instead, and comes before anything is touched. The engine here is
// a socket that cannot exist, so these run the same on a machine with Docker.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { kindBackend, kindCapabilities } from '../../../core/backends/kind/backend.ts';
import { kindFiles } from '../../../core/backends/kind/provision.ts';
import { backendByName, chooseBackend } from '../../../core/backends/choose-backend.ts';
import type { LabContext } from '../../../core/backends/cluster-backend.ts';
import { loadTopology } from '../../../core/topology/load-topology.ts';
import { NO_ENGINE_HOST, silentTask } from './helpers.ts';

process.env.DOCKER_HOST = NO_ENGINE_HOST;
const scratch = mkdtempSync(join(tmpdir(), 'kartstream-kind-caps-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const topology = await loadTopology();
const lab: LabContext = {
  name: 'lab',
  dir: join(scratch, 'lab'),
  kubeconfigPath: join(scratch, 'lab', 'kubeconfig'),
  topology,
};
const backend = kindBackend();
beforeEach(() => {
  rmSync(lab.dir, { recursive: true, force: true });
  mkdirSync(lab.dir, { recursive: true });
});

describe('kind capabilities, as the scenario runner reads them', () => {
  it('fail and shrink yes, grow no, pod faults crashloop and not-ready; each gap explained', () => {
    const caps = backend.capabilities();
    expect(caps).toMatchObject({
      failNode: true,
      growPool: false,
      shrinkPool: true,
      breakPods: ['crashloop', 'not-ready'],
    });
    expect(caps.notes.find((n) => n.startsWith('growPool'))).toMatch(/cannot add nodes to a running cluster/);
    expect(caps.notes.find((n) => n.startsWith('breakPods failed'))).toMatch(/restartPolicy Always/);
    expect(caps).toEqual(kindCapabilities());
  });
});

describe('refusals, before anything is touched', () => {
  it('growing a pool past its created size', async () => {
    await expect(backend.scalePool(lab, 'frontend', 3, silentTask())).rejects.toMatchObject({
      code: 'backend-unavailable',
      message: expect.stringMatching(/cannot grow pool frontend to 3 nodes: it was created with 2/),
    });
  });

  it('a pool or node that does not exist, and the control plane', async () => {
    await expect(backend.scalePool(lab, 'gpu', 1, silentTask())).rejects.toThrow(/there is no pool "gpu"/);
    await expect(backend.failNode(lab, 'lab-worker9')).rejects.toMatchObject({
      code: 'not-found',
      fix: expect.stringMatching(/lab-worker, lab-worker2/),
    });
    await expect(backend.failNode(lab, 'lab-control-plane')).rejects.toThrow(
      /does not fail the control plane/,
    );
  });

  it('the pod fault `failed`', async () => {
    await expect(backend.breakPods(lab, 'shop', 'app=cartservice', 'failed')).rejects.toMatchObject({
      code: 'backend-unavailable',
      fix: expect.stringMatching(/crashloop or not-ready/),
    });
  });

  it('a node action with no engine says which engine does not answer and how to start it', async () => {
    await expect(backend.failNode(lab, 'lab-worker2')).rejects.toMatchObject({
      code: 'backend-unavailable',
      message: expect.stringContaining(
        'unix:///nonexistent/kartstream-test/docker.sock (DOCKER_HOST) does not exist',
      ),
      fix: expect.stringMatching(/start the engine/),
    });
  });
});

describe('without an engine', () => {
  it('detect says kind is unavailable, why and how to fix it', async () => {
    expect(await backend.detect()).toMatchObject({
      available: false,
      reason: expect.stringMatching(/does not exist/),
      fix: expect.stringMatching(/start the engine/),
    });
    expect(await backend.isRunning(lab)).toBe(false);
  });

  it('down of a lab kind never created removes its files', async () => {
    writeFileSync(join(lab.dir, 'lab.json'), '{}');
    await backend.delete(lab, silentTask());
    expect(existsSync(lab.dir)).toBe(false);
    await backend.delete(lab, silentTask()); // twice is fine
    expect(await backend.diagnose(lab)).toEqual([]);
  });

  it('down of a lab kind did create keeps its files and says to start the engine first', async () => {
    writeFileSync(kindFiles(lab).marker, '{}');
    await expect(backend.delete(lab, silentTask())).rejects.toMatchObject({
      code: 'backend-unavailable',
      fix: expect.stringMatching(/then run npx kartstream down --name lab again/),
    });
    expect(existsSync(kindFiles(lab).marker)).toBe(true);
    expect(await backend.diagnose(lab)).toEqual([expect.stringMatching(/does not exist/)]);
  });
});

describe('choosing the backend', () => {
  it('kind by name, from a lab record or from --backend kind', async () => {
    expect(backendByName('kind').name).toBe('kind');
    expect(await chooseBackend('kind')).toMatchObject({ reason: 'asked for with --backend kind' });
    expect((await chooseBackend('kind')).backend.name).toBe('kind');
  });
});
