// Scenario text says `kartstream ...`, never `npx kartstream ...`: the lab terminal has a
// `kartstream` command, and the player's Run button types the text as written. Auto-solve runs
// the same text, with the same `kartstream` shim on PATH (core/exec/cli-shim.ts).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../../core/scenarios/catalog.ts';

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
