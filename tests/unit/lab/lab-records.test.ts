// Records on disk that cannot be read are errors that name the file and a fix, never "no lab" or
// "no labs": real files under a private KARTSTREAM_HOME.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { labDir, labsDir } from '../../../core/home/paths.ts';
import { labRecordPath, listLabNames, readLabRecord, writeLabRecord } from '../../../core/lab/lab-record.ts';
import { lockLab } from '../../../core/lab/lab-lock.ts';
import { createLabsService } from '../../../core/server/services/labs-service.ts';
import type { ServiceContext } from '../../../core/server/services/service-context.ts';
import { SharedWatchStores } from '../../../core/kube/shared-watch-stores.ts';
import { GrafanaForwards } from '../../../core/server/grafana-forwards.ts';
import { TaskRegistry } from '../../../core/server/task-registry.ts';

const previousHome = process.env.KARTSTREAM_HOME;
let home = '';

beforeEach(() => {
  if (home) rmSync(home, { recursive: true, force: true });
  home = mkdtempSync(join(tmpdir(), 'kartstream-records-'));
  process.env.KARTSTREAM_HOME = home;
});

afterAll(() => {
  process.env.KARTSTREAM_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

const labsService = () => {
  const ctx: ServiceContext = {
    tasks: new TaskRegistry(),
    defaultLab: 'kartstream',
    desktop: false,
    version: 'test',
    grafana: new GrafanaForwards(() => Promise.reject(new Error('no Grafana in this test'))),
    stores: new SharedWatchStores(),
    onClose: () => undefined,
  };
  return createLabsService(ctx);
};

const goodLab = (name: string) =>
  writeLabRecord({
    name,
    backend: 'sim',
    createdAt: '2026-12-01T10:00:00.000Z',
    topologyFile: '/nowhere/topology.yaml',
    state: 'ready',
    namespace: 'shop',
    monitoring: false,
  });

const corruptLab = (name: string) => {
  mkdirSync(labDir(name), { recursive: true });
  writeFileSync(labRecordPath(name), '{"name": "half-writ');
};

describe('lab records', () => {
  it('a lab without a record is no lab', async () => {
    expect(await readLabRecord('nothing-here')).toBeUndefined();
  });

  it('a corrupt lab record is an error naming the file and a fix', async () => {
    corruptLab('broken');
    await expect(readLabRecord('broken')).rejects.toMatchObject({
      code: 'corrupt-record',
      message: expect.stringContaining('lab broken'),
      details: [expect.stringContaining(labRecordPath('broken'))],
      fix: expect.stringContaining(`rm -r ${labDir('broken')}`),
    });
  });

  it('a record that is JSON but no lab record is corrupt too', async () => {
    mkdirSync(labDir('empty'), { recursive: true });
    writeFileSync(labRecordPath('empty'), '{}');
    await expect(readLabRecord('empty')).rejects.toMatchObject({ code: 'corrupt-record' });
  });

  it('no labs folder yet means no labs', async () => {
    expect(await listLabNames()).toEqual([]);
  });

  it('a labs "folder" that cannot be read is an error, not "no labs"', async () => {
    mkdirSync(join(labsDir(), '..'), { recursive: true });
    writeFileSync(labsDir(), 'not a folder');
    await expect(listLabNames()).rejects.toMatchObject({
      code: 'io-failed',
      message: expect.stringContaining(labsDir()),
      fix: expect.stringContaining('KARTSTREAM_HOME'),
    });
  });
});

describe('labs.list', () => {
  it('lists a corrupt lab as broken, with its path and a fix, next to the good ones', async () => {
    await goodLab('good');
    corruptLab('broken');
    const labs = await labsService().list();
    expect(labs.map((l) => [l.name, l.state])).toEqual([
      ['broken', 'broken'],
      ['good', 'ready'],
    ]);
    expect(labs[0]).toMatchObject({
      backend: 'unknown',
      problem: {
        path: labRecordPath('broken'),
        message: expect.stringContaining(labRecordPath('broken')),
        fix: expect.stringContaining('repair'),
      },
    });
    expect(labs[1]?.problem).toBeUndefined();
  });

  it('says a lab is half-created when its `up` died, and not while an `up` holds it', async () => {
    const creating = (name: string) =>
      writeLabRecord({
        name,
        backend: 'sim',
        createdAt: '2026-12-01T10:00:00.000Z',
        topologyFile: '/nowhere/topology.yaml',
        state: 'creating',
        namespace: 'shop',
        monitoring: false,
      });
    await creating('orphan');
    await creating('going');
    const release = await lockLab('going', 'up');
    try {
      const labs = await labsService().list();
      expect(labs.find((l) => l.name === 'orphan')).toMatchObject({
        state: 'creating',
        problem: {
          message: 'lab orphan was half-created: its `up` was interrupted before it ended',
          path: labRecordPath('orphan'),
          fix: expect.stringContaining('up --name orphan'),
        },
      });
      expect(labs.find((l) => l.name === 'going')?.problem).toBeUndefined();
    } finally {
      await release();
    }
  });

  it('leaves out folders that are no lab: no record, or a name no lab can have', async () => {
    await goodLab('good');
    mkdirSync(labDir('leaving'), { recursive: true });
    mkdirSync(join(labsDir(), 'Not A Lab'), { recursive: true });
    expect((await labsService().list()).map((l) => l.name)).toEqual(['good']);
  });

  it('opening a corrupt lab says why instead of "there is no lab"', async () => {
    corruptLab('broken');
    await expect(labsService().info('broken')).rejects.toMatchObject({ code: 'corrupt-record' });
  });
});
