// `kartstream shell`: the user's shell with the lab's KUBECONFIG and matching kubectl first on
// PATH, a prompt naming the lab, and (in bash) every command line recorded for the scenario
// runner's `learnerRan` checks and the run's timeline.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { findSimBinaries } from '../backends/sim/binaries.ts';
import { openLab } from '../lab/open-lab.ts';
import { commandsFile } from '../scenarios/run-files.ts';
import type { Output } from './output.ts';

// A bash rc file: the user's own rc, then the lab prompt and the command recorder.
const bashRc = (lab: string, file: string) => `[ -f ~/.bashrc ] && . ~/.bashrc
PS1="(lab ${lab}) $PS1"
__kartstream_record() {
  local line
  line=$(HISTTIMEFORMAT= history 1 | sed -e 's/^ *[0-9]* *//')
  [ -n "$line" ] && [ "$line" != "$__kartstream_last" ] || return 0
  __kartstream_last=$line
  printf '%s' "$line" | "${process.execPath}" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify({at:new Date().toISOString(),command:s,source:"shell"})+"\\n"))' >> ${JSON.stringify(file)}
}
PROMPT_COMMAND="__kartstream_record\${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
`;

export const openLabShell = async (name: string, out: Output): Promise<number> => {
  const { lab } = await openLab(name);
  const kubectl = (await findSimBinaries()).found.kubectl?.path;
  const shell = process.env.SHELL ?? '/bin/bash';
  const isBash = shell.endsWith('bash');
  const env = {
    ...process.env,
    KUBECONFIG: lab.kubeconfigPath,
    KARTSTREAM_LAB: name,
    PATH: [kubectl ? dirname(kubectl) : '', process.env.PATH ?? ''].filter(Boolean).join(':'),
  };
  const args: string[] = [];
  if (isBash) {
    const rc = join(lab.dir, 'shell-rc.bash');
    await writeFile(rc, bashRc(name, commandsFile(name)), { mode: 0o600 });
    args.push('--rcfile', rc, '-i');
  } else out.info(`note: commands are recorded for scenarios only in bash; ${shell} works, unrecorded`);
  out.info(`lab ${name}: KUBECONFIG=${lab.kubeconfigPath}; exit the shell to leave`);
  return new Promise((resolve) => {
    const child = spawn(shell, args, { stdio: 'inherit', env });
    child.on('exit', (code) => resolve(code ?? 0));
  });
};
