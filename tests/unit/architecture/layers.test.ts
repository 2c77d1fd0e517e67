// The engine's layers hold: every folder of core/ is drawn (eslint.config.js, docs/architecture.md),
// and every import, static or dynamic (which no-restricted-imports cannot see), points left or
// to a shared leaf.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS, SHARED_LEAVES } from '../../../eslint.config.js';

const CORE = join(import.meta.dirname, '../../../core');
const folders = readdirSync(CORE, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
const layerOf = new Map<string, number>(
  (LAYERS as string[][]).flatMap((layer, i) => layer.map((f): [string, number] => [f, i])),
);
const shared = new Set<string>(SHARED_LEAVES as string[]);

describe('the layers of core/', () => {
  it('draw every folder once', () => {
    const drawn = [...layerOf.keys(), ...shared];
    expect(new Set(drawn).size).toBe(drawn.length);
    expect([...folders].sort()).toEqual([...drawn].sort());
  });

  it('are kept by every import, dynamic ones included', () => {
    const wrong: string[] = [];
    for (const file of files(CORE)) {
      const from = relative(CORE, file).split('/')[0]!;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const to = relative(CORE, resolve(dirname(file), m[1]!)).split('/')[0]!;
        if (to === from || to.startsWith('..') || shared.has(to)) continue;
        const ok = !shared.has(from) && (layerOf.get(to) ?? Infinity) < (layerOf.get(from) ?? -1);
        if (!ok) wrong.push(`${relative(CORE, file)} imports core/${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
