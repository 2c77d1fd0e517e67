// The lab terminal's server side: one node-pty shell per WebSocket (see
// core/contract/terminal-protocol.ts for the messages). The shell is the lab pty shared with
// `kartstream shell` (core/lab/lab-pty.ts): its command lines land in the lab's commands file,
// and input typed before its first prompt is held, never lost. The shell dies with its socket
// and the socket with its shell; output is paused at the pty while the socket is slow, so a
// chatty command cannot fill the server's memory.
import type { RawData, WebSocket } from 'ws';
import {
  encodeControl,
  MAX_CLIENT_FRAME_BYTES,
  MAX_TERMINAL_SIZE,
  parseClientMessage,
  type TerminalServerControl,
} from '../contract/terminal-protocol.ts';
import type { WireError } from '../contract/wire-types.ts';
import { isKartStreamError } from '../errors/kartstream-error.ts';
import { startLabPty, type LabPty } from '../lab/lab-pty.ts';

/** Pause the pty above this many bytes waiting in the socket, resume below the low mark. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 128 * 1024;
/** Output chunks are gathered this long (or up to MAX_BATCH) before a frame goes out. */
const BATCH_MS = 5;
const MAX_BATCH = 64 * 1024;
/** A shell that ignores SIGHUP this long gets SIGKILL. */
const KILL_GRACE_MS = 2000;

interface Session {
  /** Ends the session: kills the shell (HUP, then KILL) and closes the socket. Resolves on exit. */
  close(code: number, reason: string): Promise<void>;
}

const sessions = new Set<Session>();

const wireErrorOf = (error: unknown): WireError =>
  isKartStreamError(error)
    ? {
        code: error.code,
        message: error.message,
        details: error.details,
        fix: error.fix,
        logPath: error.logPath,
      }
    : {
        code: 'terminal-failed',
        message: `the lab shell did not start: ${error instanceof Error ? error.message : String(error)}`,
        details: [],
      };

const textOf = (data: RawData): string =>
  (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString(
    'utf8',
  );

const sizeOf = (data: RawData): number =>
  Buffer.isBuffer(data)
    ? data.length
    : Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : data.byteLength;

export const handleTerminalSocket = (socket: WebSocket, lab: string): void => {
  let shell: LabPty | undefined;
  let exited: Promise<void> | undefined;
  let alive = false;
  let closed = false;
  let size = { cols: 80, rows: 24 };
  /** Input that came before the pty existed; the pty's own gate holds it until the prompt. */
  let earlyInput: string[] = [];
  let batch: string[] = [];
  let batchBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let paused = false;

  const sendControl = (control: TerminalServerControl) => {
    if (socket.readyState === socket.OPEN) socket.send(encodeControl(control));
  };

  const resumeWhenDrained = () => {
    if (paused && socket.bufferedAmount < LOW_WATER) {
      paused = false;
      shell?.resume();
    }
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0 || socket.readyState !== socket.OPEN) return;
    const frame = batch.join('');
    batch = [];
    batchBytes = 0;
    socket.send(frame, resumeWhenDrained);
    if (!paused && socket.bufferedAmount > HIGH_WATER) {
      paused = true;
      shell?.pause();
    }
  };

  const session: Session = {
    close: async (code, reason) => {
      if (!closed) {
        closed = true;
        if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING)
          socket.close(code, reason);
      }
      if (!shell || !exited || !alive) {
        sessions.delete(session);
        return;
      }
      const running = shell;
      // A paused pty would hold its last output (and node-pty's exit event) back.
      if (paused) running.resume();
      running.kill('SIGHUP');
      const killer = setTimeout(() => {
        try {
          running.kill('SIGKILL');
        } catch {
          // already gone
        }
      }, KILL_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
  sessions.add(session);

  // A frame the protocol has no meaning for is dropped, saying why; the shell goes on.
  const refuseFrame = (why: string) =>
    sendControl({
      type: 'error',
      code: 'terminal-protocol',
      message: `a terminal message was ignored: ${why}`,
      details: [],
      fix: `send JSON text frames: {"type":"input","data":"..."} or {"type":"resize","cols":C,"rows":R} with C and R from 1 to ${MAX_TERMINAL_SIZE}`,
    });

  socket.on('message', (data, isBinary) => {
    if (isBinary) return refuseFrame('it is a binary frame');
    if (sizeOf(data) > MAX_CLIENT_FRAME_BYTES)
      return refuseFrame(`it is larger than ${MAX_CLIENT_FRAME_BYTES / 1024} KiB`);
    const message = parseClientMessage(textOf(data));
    if (!message) return refuseFrame('it is not an input or resize message');
    if (message.type === 'resize') {
      size = { cols: message.cols, rows: message.rows };
      shell?.resize(message.cols, message.rows);
    } else if (shell) shell.write(message.data);
    else earlyInput.push(message.data);
  });
  const onSocketGone = () => void session.close(1000, 'socket closed');
  socket.on('close', onSocketGone);
  socket.on('error', onSocketGone);

  const start = async () => {
    const running = await startLabPty(lab, { ...size, env: { COLORTERM: 'truecolor' } });
    if (closed) {
      running.kill('SIGKILL');
      return;
    }
    shell = running;
    alive = true;
    // A resize that came while the shell was starting.
    running.resize(size.cols, size.rows);
    exited = new Promise((resolve) =>
      running.onExit((exitCode) => {
        alive = false;
        flush();
        sendControl({ type: 'exit', code: exitCode });
        sessions.delete(session);
        closed = true;
        if (socket.readyState === socket.OPEN) socket.close(1000, 'shell exited');
        resolve();
      }),
    );
    running.onData((data) => {
      batch.push(data);
      batchBytes += data.length;
      if (batchBytes >= MAX_BATCH) flush();
      else timer ??= setTimeout(flush, BATCH_MS);
    });
    if (!running.shell.recorded && socket.readyState === socket.OPEN)
      socket.send(
        `\x1b[2mnote: commands are recorded for scenarios only in bash; ${running.shell.file} works, unrecorded\x1b[0m\r\n`,
      );
    for (const input of earlyInput) running.write(input);
    earlyInput = [];
  };

  start().catch((error: unknown) => {
    sendControl({ type: 'error', ...wireErrorOf(error) });
    sessions.delete(session);
    void session.close(1011, 'the lab shell did not start');
  });
};

/** Ends every open terminal (the server calls this when it stops); resolves when the shells are gone. */
export const closeAllTerminals = async (): Promise<void> => {
  await Promise.all([...sessions].map((s) => s.close(1001, 'server stopping')));
  sessions.clear();
};
