// Where the CLI writes: injectable so tests can capture what a user would see.
import { KartStreamError } from '../errors/kartstream-error.ts';
export interface Output {
  /** Result output (stdout): what scripts consume. */
  print(text: string): void;
  /** Progress and diagnostics (stderr): what a person watches. */
  info(text: string): void;
}

export const consoleOutput: Output = {
  print: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  info: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

// The `-o`/`--format` value of a command, checked against what it can print.
export const outputFormat = <T extends string>(value: string, allowed: readonly T[]): T => {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new KartStreamError('invalid-input', `unknown output format ${JSON.stringify(value)}`, {
    fix: `use ${allowed.map((a) => `-o ${a}`).join(' or ')}`,
  });
};
