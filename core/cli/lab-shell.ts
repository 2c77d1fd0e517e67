// `kartstream shell`: the lab pty (core/lab/lab-pty.ts) on this terminal, until the shell exits.
// The shell runs on a pty of its own, with this terminal in raw mode passing keys through, so
// what is typed while the shell starts is held by the same gate as in the app's terminal.
import { StringDecoder } from 'node:string_decoder';
import { startLabPty } from '../lab/lab-pty.ts';
import type { Output } from './output.ts';

export const openLabShell = async (name: string, out: Output): Promise<number> => {
  const { stdin, stdout } = process;
  const size = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const pty = await startLabPty(name, size());
  if (!pty.shell.recorded)
    out.info(`note: commands are recorded for scenarios only in bash; ${pty.shell.file} works, unrecorded`);
  out.info(`lab ${name}: KUBECONFIG=${pty.shell.kubeconfigPath}; exit the shell to leave`);

  const raw = stdin.isTTY;
  if (raw) stdin.setRawMode(true);
  const decoder = new StringDecoder('utf8');
  const onInput = (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text) pty.write(text);
  };
  // Piped input: its end is the end of typing, as Ctrl-D at an empty prompt.
  const onEnd = () => pty.write('\x04');
  const onResize = () => {
    const { cols, rows } = size();
    pty.resize(cols, rows);
  };
  stdin.on('data', onInput);
  stdin.on('end', onEnd);
  stdout.on('resize', onResize);
  pty.onData((text) => stdout.write(text));
  stdin.resume();

  return new Promise((resolve) =>
    pty.onExit((code) => {
      stdin.off('data', onInput);
      stdin.off('end', onEnd);
      stdout.off('resize', onResize);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
      resolve(code);
    }),
  );
};
