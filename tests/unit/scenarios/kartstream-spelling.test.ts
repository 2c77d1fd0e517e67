// Scenario text says `kartstream ...`, never `npx kartstream ...`: the lab terminal has a
// `kartstream` command, and the player's Run button types the text as written. Auto-solve runs
// the same text, with `kartstream` defined as this checkout's CLI.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../../core/scenarios/catalog.ts';
import { solutionScript } from '../../../core/scenarios/solution-script.ts';

const REPO = join(import.meta.dirname, '../../..');

describe('scenario text', () => {
  it('never says npx kartstream', async () => {
    const files = (await readdir(SCENARIOS_DIR)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    const found: string[] = [];
    for (const file of files)
      (await readFile(join(SCENARIOS_DIR, file), 'utf8')).split('\n').forEach((line, i) => {
        if (/\bnpx\s+kartstream\b/.test(line)) found.push(`scenarios/${file}:${i + 1}: ${line.trim()}`);
      });
    expect(found, 'write `kartstream ...` (the lab terminal has it on PATH)').toEqual([]);
  });
});

describe('solutionScript', () => {
  it('defines kartstream as the checkout CLI before the solution', () => {
    expect(solutionScript('kartstream alerts', '/repo')).toBe(
      `kartstream() { node '/repo/bin/kartstream.js' "$@"; }\nkartstream alerts`,
    );
    expect(solutionScript('true', "/it's")).toContain(`node '/it'\\''s/bin/kartstream.js'`);
  });

  it('runs kartstream in bash, from anywhere, in a pipeline too', async () => {
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-euo', 'pipefail', '-c', solutionScript('kartstream --help | head -1', REPO)],
      { cwd: '/', timeout: 60_000 },
    );
    expect(stdout).toMatch(/^Usage: kartstream/);
  }, 60_000);
});
