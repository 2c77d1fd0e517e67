// The lab shell on a pseudo-terminal (node-pty), shared by the app's terminal and
// `kartstream shell`: input goes through a PromptGate, so what is typed before the shell's first
// prompt is held and delivered once readline reads the terminal, in order; the gate's mark is
// stripped from the output.
import { spawn, type IPty } from 'node-pty';
import { prepareLabShell, type LabShell } from './lab-shell-env.ts';
import { PROMPT_READY_MARK, PromptGate } from './prompt-gate.ts';

/** A shell that has shown no ready mark this long after it started gets its input anyway. */
const READY_TIMEOUT_MS = 15_000;

export interface LabPty {
  readonly shell: LabShell;
  readonly pid: number;
  /** Typed input; held until the first prompt, then written in order. */
  write(input: string): void;
  resize(cols: number, rows: number): void;
  /** Stops (and resumes) reading the shell's output: flow control for a slow reader. */
  pause(): void;
  resume(): void;
  kill(signal?: string): void;
  onData(listener: (text: string) => void): void;
  onExit(listener: (code: number) => void): void;
}

export interface LabPtyOptions {
  cols: number;
  rows: number;
  /** Added to the lab shell's env (TERM for the app's xterm). */
  env?: Record<string, string>;
}

/** Starts the lab's shell on a pty (a KartStreamError with the fix when the lab does not exist). */
export const startLabPty = async (lab: string, options: LabPtyOptions): Promise<LabPty> => {
  const shell = await prepareLabShell(lab, { TERM: 'xterm-256color', ...options.env });
  const pty: IPty = spawn(shell.file, shell.args, {
    name: shell.env.TERM ?? 'xterm-256color',
    cols: options.cols,
    rows: options.rows,
    cwd: shell.cwd,
    env: shell.env,
  });
  // Only the recorded bash prints the mark; other shells get their input on their first output.
  const gate = new PromptGate((input) => pty.write(input), shell.recorded ? PROMPT_READY_MARK : undefined);
  const fallback = setTimeout(() => gate.openNow(), READY_TIMEOUT_MS);
  fallback.unref();
  const dataListeners: ((text: string) => void)[] = [];
  pty.onData((chunk) => {
    const text = gate.output(chunk);
    if (gate.open) clearTimeout(fallback);
    if (text) for (const listener of dataListeners) listener(text);
  });
  pty.onExit(() => clearTimeout(fallback));
  return {
    shell,
    pid: pty.pid,
    write: (input) => gate.input(input),
    resize: (cols, rows) => pty.resize(cols, rows),
    pause: () => pty.pause(),
    resume: () => pty.resume(),
    kill: (signal) => pty.kill(signal),
    onData: (listener) => void dataListeners.push(listener),
    onExit: (listener) => void pty.onExit(({ exitCode }) => listener(exitCode)),
  };
};
