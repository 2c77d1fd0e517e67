import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../../core/server/renderer-assets.ts';

describe('ensureRendererBuilt with KARTSTREAM_RENDERER_DIR (the packaged app)', () => {
  const saved = process.env.KARTSTREAM_RENDERER_DIR;
  const dir = mkdtempSync(join(tmpdir(), 'kartstream-ui-'));
  afterEach(() => {
    if (saved === undefined) delete process.env.KARTSTREAM_RENDERER_DIR;
    else process.env.KARTSTREAM_RENDERER_DIR = saved;
  });

  it('refuses a dir without index.html, saying what to do', async () => {
    process.env.KARTSTREAM_RENDERER_DIR = dir;
    const lines: string[] = [];
    await expect(ensureRendererBuilt((l) => lines.push(l))).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining(dir),
      fix: expect.stringContaining('KARTSTREAM_RENDERER_DIR'),
    });
  });

  it('uses a built dir as it is, without building', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    process.env.KARTSTREAM_RENDERER_DIR = dir;
    const lines: string[] = [];
    expect(await ensureRendererBuilt((l) => lines.push(l))).toBe(dir);
    expect(lines).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
