// The bash script auto-solve runs for a step: its solution, as a learner would type it, with
// `kartstream` defined first as this checkout's CLI. Scenario text says plain `kartstream` (the
// lab terminal has it on PATH); the runner's own bash has no such command otherwise.
import { join } from 'node:path';

/** A string as one bash word, in single quotes. */
const bashQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

// The solution prefixed with a `kartstream` function that runs `<repo>/bin/kartstream.js` with node.
export const solutionScript = (solution: string, repo: string): string =>
  `kartstream() { node ${bashQuote(join(repo, 'bin', 'kartstream.js'))} "$@"; }\n${solution}`;
