import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectedProblems } from '../../helpers/corpus.ts';
import { describe, expect, it } from 'vitest';
import { isKartStreamError, type KartStreamError } from '../../../core/errors/kartstream-error.ts';
import { loadTopology, parseTopology } from '../../../core/topology/index.ts';
import { displayPath } from '../../../core/validation/load-yaml-file.ts';

const corpus = join(import.meta.dirname, '../../fixtures/topology');
const invalidFiles = readdirSync(corpus).filter((f) => f.startsWith('invalid-'));

const rejection = async (file: string): Promise<KartStreamError> => {
  const error = await loadTopology(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isKartStreamError(error)) throw new Error(`${file} was accepted or failed without a KartStreamError`);
  return error;
};

describe('loadTopology', () => {
  it('loads the shipped topology: four pools with the default node counts, labels and taints', async () => {
    const topology = await loadTopology();
    expect(topology.pools.map((p) => [p.name, p.nodes])).toEqual([
      ['frontend', 2],
      ['backend', 2],
      ['database', 1],
      ['monitoring', 1],
    ]);
    for (const pool of topology.pools) {
      expect(pool.labels.pool).toBe(pool.name);
      expect(pool.taint).toEqual({ key: 'pool', value: pool.name, effect: 'NoSchedule' });
    }
    expect(topology.pools.map((p) => p.eks.subnetTier)).toEqual(['public', 'private', 'data', 'private']);
  });

  it('accepts a big drill topology with hundreds of backend nodes', async () => {
    const topology = await loadTopology(join(corpus, 'valid-big-drill.yaml'));
    expect(topology.pools.find((p) => p.name === 'backend')?.nodes).toBe(400);
  });

  it('has a corpus of at least 15 invalid topology files', () => {
    expect(invalidFiles.length).toBeGreaterThanOrEqual(15);
  });

  it.each(invalidFiles)('rejects %s with exactly the expected problems', async (name) => {
    const file = join(corpus, name);
    const expected = expectedProblems(file);
    expect(expected.length).toBeGreaterThan(0);
    const error = await rejection(file);
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain(displayPath(file));
    expect(error.details).toEqual(expected);
    expect(error.fix).toMatch(/topology/);
  });

  it('names a missing file and says how to fix it', async () => {
    const error = await rejection(join(corpus, 'no-such-topology.yaml'));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('no-such-topology.yaml does not exist');
  });

  it('names the file given for in-memory text', () => {
    expect(() => parseTopology('version: 1\n', 'inline.yaml')).toThrow(/inline\.yaml/);
  });
});
