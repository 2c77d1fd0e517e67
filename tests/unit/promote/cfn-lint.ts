// Runs cfn-lint (CloudFormation's linter, a Python package of the machine) on a template.
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const cfnLint = async (
  template: unknown,
  args: string[] = [],
): Promise<{ exitCode: number; output: string }> => {
  const dir = await mkdtemp(join(tmpdir(), 'kartstream-cfn-'));
  try {
    const file = join(dir, 'template.json');
    await writeFile(file, JSON.stringify(template, null, 2));
    const result = await execa('cfn-lint', [...args, '--', file], { reject: false });
    if (result.exitCode === undefined || (result.failed && result.exitCode === 127))
      throw new Error(`cfn-lint could not run (pip install cfn-lint): ${result.stderr}`);
    return { exitCode: result.exitCode ?? -1, output: `${result.stdout}${result.stderr}`.trim() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
