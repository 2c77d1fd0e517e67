// `kartstream shell`: the lab shell (core/lab/lab-shell-env.ts) on this terminal, until it exits.
import { spawn } from 'node:child_process';
import { prepareLabShell } from '../lab/lab-shell-env.ts';
import type { Output } from './output.ts';

export const openLabShell = async (name: string, out: Output): Promise<number> => {
  const shell = await prepareLabShell(name);
  if (!shell.recorded)
    out.info(`note: commands are recorded for scenarios only in bash; ${shell.file} works, unrecorded`);
  out.info(`lab ${name}: KUBECONFIG=${shell.kubeconfigPath}; exit the shell to leave`);
  return new Promise((resolve) => {
    const child = spawn(shell.file, shell.args, { stdio: 'inherit', env: shell.env });
    child.on('exit', (code) => resolve(code ?? 0));
  });
};
