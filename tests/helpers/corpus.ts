// The invalid-file corpora (tests/fixtures/*/invalid-*.yaml) carry their expected problems in
// trailing `# expect: <line>: <message>` comments; this reads them as the loader prints them.
import { readFileSync } from 'node:fs';
import { displayPath } from '../../core/validation/load-yaml-file.ts';

export const expectedProblems = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('# expect: '))
    .map((line) => `${displayPath(file)}:${line.slice('# expect: '.length)}`);
