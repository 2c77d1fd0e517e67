// Where the CLI writes: injectable so tests can capture what a user would see.
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
