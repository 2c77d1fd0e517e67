// Fixes that suggest a lab command name the lab only when it is not the default one: a learner
// with no labs is told `npx kartstream up`, not `npx kartstream up --name kartstream`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isKartStreamError, type KartStreamError } from '../../../core/errors/kartstream-error.ts';
import { DEFAULT_LAB_NAME, labCommand, upCommand } from '../../../core/home/lab-name.ts';
import { requireLabRecord } from '../../../core/lab/lab-record.ts';

describe('upCommand and labCommand', () => {
  it('leaves out --name for the default lab', () => {
    expect(upCommand(DEFAULT_LAB_NAME)).toBe('npx kartstream up');
    expect(labCommand('scenario status', DEFAULT_LAB_NAME)).toBe('npx kartstream scenario status');
  });

  it('names any other lab', () => {
    expect(upCommand('lab-b')).toBe('npx kartstream up --name lab-b');
    expect(labCommand('down', 'lab-b')).toBe('npx kartstream down --name lab-b');
  });
});

describe('requireLabRecord', () => {
  const previousHome = process.env.KARTSTREAM_HOME;
  let home = '';
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'kartstream-lab-command-'));
    process.env.KARTSTREAM_HOME = home;
  });
  afterEach(async () => {
    if (previousHome === undefined) delete process.env.KARTSTREAM_HOME;
    else process.env.KARTSTREAM_HOME = previousHome;
    await rm(home, { recursive: true, force: true });
  });

  const failure = (name: string): Promise<KartStreamError> =>
    requireLabRecord(name).then(
      () => {
        throw new Error('accepted');
      },
      (e: unknown) => {
        if (!isKartStreamError(e)) throw e;
        return e;
      },
    );

  it('tells a learner with no labs to run plain `npx kartstream up` for the default lab', async () => {
    const error = await failure(DEFAULT_LAB_NAME);
    expect(error.code).toBe('not-found');
    expect(error.fix).toBe('create one with `npx kartstream up`');
  });

  it('keeps --name for another lab', async () => {
    expect((await failure('lab-b')).fix).toBe('create one with `npx kartstream up --name lab-b`');
  });
});
