// One lab terminal session over the server's terminal WebSocket, as the page's terminal panel
// opens it: wait for the shell, make it print a known sequence, check all of it arrived, close.
import { WebSocket } from 'ws';
import { parseServerFrame, type TerminalClientMessage } from '../core/contract/terminal-protocol.ts';
import { checkSequence, sequenceCommand, type SequenceCheck } from './soak-checks.ts';

export interface TerminalResult extends SequenceCheck {
  /** Characters of output received. */
  received: number;
  ms: number;
  error?: string;
  /** All output, kept only when the sequence is not whole (to see what went wrong). */
  output?: string;
}

const send = (ws: WebSocket, message: TerminalClientMessage) => ws.send(JSON.stringify(message));

/**
 * Opens `${base}terminal?lab=LAB` (base: the printed URL, http → ws), types the sequence command
 * once the shell has printed something (its prompt), and waits for the end line (`timeoutMs`).
 * The socket is closed in every case, as closing the panel does.
 */
export const terminalSession = async (
  base: string,
  lab: string,
  tag: string,
  lines: number,
  timeoutMs = 60_000,
): Promise<TerminalResult> => {
  const started = Date.now();
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}terminal?lab=${encodeURIComponent(lab)}`);
  let output = '';
  let error: string | undefined;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      error = `no end line within ${timeoutMs / 1000} s`;
      resolve();
    }, timeoutMs);
    let typed = false;
    ws.on('message', (data) => {
      const frame = parseServerFrame(String(data));
      if (frame.type === 'output') output += frame.data;
      else if (frame.type === 'error') error = `terminal error: ${frame.message}`;
      else error = `the shell exited (${frame.code})`;
      if (!typed && output.length > 0) {
        typed = true;
        send(ws, { type: 'resize', cols: 120, rows: 40 });
        send(ws, { type: 'input', data: `${sequenceCommand(tag, lines)}\r` });
      }
      if (error || checkSequence(output, tag, lines).ended) {
        clearTimeout(timer);
        resolve();
      }
    });
    ws.on('error', (e) => {
      error = `WebSocket: ${e.message}`;
      clearTimeout(timer);
      resolve();
    });
    ws.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await done;
  const closed = new Promise<void>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve();
    else ws.once('close', () => resolve());
  });
  ws.close();
  await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000))]);
  const check = checkSequence(output, tag, lines);
  return {
    ...check,
    received: output.length,
    ms: Date.now() - started,
    error,
    output: check.complete ? undefined : output,
  };
};
