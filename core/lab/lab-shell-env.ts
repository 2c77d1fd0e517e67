// The lab shell, shared by `kartstream shell` and the app's terminal: the user's shell with the
// lab's KUBECONFIG, a `kartstream` shim and the pinned kubectl first on PATH, KARTSTREAM_LAB, a
// prompt naming the lab, and (in bash) every command line recorded into the lab's commands file,
// where the scenario runner's `learnerRan` checks read it.
import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { findSimBinaries } from '../backends/sim/binaries.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { commandsFile } from '../home/paths.ts';
import { PROMPT_READY_MARK } from './prompt-gate.ts';
import { writeCliShim } from '../exec/cli-shim.ts';
import { openLab } from './open-lab.ts';

export interface LabShell {
  /** The shell binary (the user's $SHELL, bash when unset) and its arguments. */
  file: string;
  args: string[];
  env: Record<string, string>;
  /** The user's home: where the shell starts. */
  cwd: string;
  /** Whether command lines are recorded (bash only; other shells run unrecorded). */
  recorded: boolean;
  kubeconfigPath: string;
}

/** A string as one bash word, in single quotes. */
const bashQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The rc file: the user's own ~/.bashrc, then the lab prompt and the recorder. The recorder runs
 * before each prompt, takes the newest history entry when its number is new, and appends it as
 * a JSON line (the format of run-files.ts `recordCommand`) in plain bash, so a prompt costs no
 * extra process but `date`. Duplicate-suppressing HISTCONTROL settings are dropped so a command
 * typed twice is recorded twice; the first prompt only notes where the loaded history ends.
 * The first prompt also carries PROMPT_READY_MARK (removed again before the second), which tells
 * the pty's PromptGate that readline is reading: input typed earlier is delivered then. `npx
 * kartstream` runs the `kartstream` shim, as npx would otherwise look for it in the registry.
 */
export const bashRecordingRc = (lab: string, file: string): string => `[ -f ~/.bashrc ] && . ~/.bashrc
PS1=${bashQuote(`(lab ${lab}) `)}"$PS1"
HISTCONTROL=\${HISTCONTROL//ignoreboth/ignorespace}
HISTCONTROL=\${HISTCONTROL//ignoredups/}
HISTCONTROL=\${HISTCONTROL//erasedups/}
__kartstream_record() {
  local entry num s at
  entry=$(HISTTIMEFORMAT= history 1)
  [[ $entry =~ ^\\ *([0-9]+)\\*?\\ +(.*)$ ]] || { __kartstream_num=\${__kartstream_num-0}; return 0; }
  num=\${BASH_REMATCH[1]} s=\${BASH_REMATCH[2]}
  if [ -z "\${__kartstream_num+set}" ] || [ "$num" = "$__kartstream_num" ]; then
    __kartstream_num=$num
    return 0
  fi
  __kartstream_num=$num
  s=\${s//\\\\/\\\\\\\\} s=\${s//\\"/\\\\\\"}
  s=\${s//$'\\t'/\\\\t} s=\${s//$'\\n'/\\\\n} s=\${s//$'\\r'/\\\\r}
  s=\${s//[$'\\001'-$'\\037'$'\\177']/}
  at=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
  case $at in *N*) at=$(date -u +%Y-%m-%dT%H:%M:%SZ) ;; esac
  printf '{"at":"%s","command":"%s","source":"shell"}\\n' "$at" "$s" >> ${bashQuote(file)}
}
__kartstream_mark=${bashQuote(`\\[${PROMPT_READY_MARK.replace('\x1b', '\\e').replace('\x07', '\\a')}\\]`)}
__kartstream_ready() {
  if [ -z "\${__kartstream_prompted+set}" ]; then
    __kartstream_prompted=1
    PS1=$__kartstream_mark$PS1
  else
    PS1=\${PS1#"$__kartstream_mark"}
  fi
}
npx() {
  if [ "$1" = kartstream ]; then shift; command kartstream "$@"; else command npx "$@"; fi
}
# Newlines, not ';': the user's PROMPT_COMMAND may end with one (pyenv's does).
__kartstream_nl=$'\\n'
PROMPT_COMMAND="__kartstream_record$__kartstream_nl\${PROMPT_COMMAND:+$PROMPT_COMMAND$__kartstream_nl}__kartstream_ready"
`;

/** The env of the lab shell: the caller's, plus the lab's, minus what only the server needs. */
export const labShellEnv = (
  base: NodeJS.ProcessEnv,
  lab: { name: string; kubeconfigPath: string },
  binDirs: (string | undefined)[],
  extra: Record<string, string> = {},
): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  // Set when the server runs inside Electron; it would turn any Electron app started from the
  // shell into plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  return {
    ...env,
    ...extra,
    KUBECONFIG: lab.kubeconfigPath,
    KARTSTREAM_LAB: lab.name,
    PATH: [...binDirs, base.PATH].filter(Boolean).join(':'),
  };
};

/**
 * Opens the lab (a KartStreamError with the fix when there is none) and writes the bash rc into
 * the lab's directory; returns what to spawn. `extraEnv` is for the terminal (TERM).
 */
export const prepareLabShell = async (
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<LabShell> => {
  const { lab } = await openLab(name);
  const kubectl = (await findSimBinaries()).found.kubectl?.path;
  const file = process.env.SHELL || 'bash';
  if (
    isAbsolute(file) &&
    !(await access(file, constants.X_OK).then(
      () => true,
      () => false,
    ))
  )
    throw new KartStreamError('not-found', `your shell ${file} (from $SHELL) is not an executable file`, {
      fix: 'set SHELL to an installed shell, e.g. `export SHELL=/bin/bash`, and start KartStream again',
    });
  const recorded = basename(file) === 'bash';
  const args: string[] = [];
  if (recorded) {
    const rc = join(lab.dir, 'shell-rc.bash');
    await writeFile(rc, bashRecordingRc(name, commandsFile(name)), { mode: 0o600 });
    args.push('--rcfile', rc, '-i');
  }
  return {
    file,
    args,
    env: labShellEnv(
      process.env,
      { name, kubeconfigPath: lab.kubeconfigPath },
      [await writeCliShim(lab.dir), kubectl && dirname(kubectl)],
      extraEnv,
    ),
    cwd: homedir(),
    recorded,
    kubeconfigPath: lab.kubeconfigPath,
  };
};
