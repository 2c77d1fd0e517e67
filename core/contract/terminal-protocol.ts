// The lab terminal's WebSocket messages (`/t/<token>/terminal?lab=NAME`).
//
// Client → server: JSON text frames, `{type:'input',data}` (keystrokes, pastes) and
// `{type:'resize',cols,rows}`. Server → client: the shell's output as plain text frames, and
// control frames: a NUL byte followed by JSON (`exit` when the shell ends, `error` when the
// session cannot start). A shell never writes NUL into a UTF-8 text stream, so the prefix keeps
// the two apart without wrapping every output chunk in JSON.
//
// Pure functions only: both the server and the renderer import this file.
import type { WireError } from './wire-types.ts';

export type TerminalClientMessage =
  { type: 'input'; data: string } | { type: 'resize'; cols: number; rows: number };

export type TerminalServerControl = { type: 'exit'; code: number } | ({ type: 'error' } & WireError);

export type TerminalServerFrame = { type: 'output'; data: string } | TerminalServerControl;

/** Prefix of a server control frame. */
export const CONTROL_PREFIX = '\u0000';

/** Bounds of a resize (xterm's own limit is far below 1000; anything outside is a bad message). */
export const MAX_TERMINAL_SIZE = 1000;

/** Largest client frame the server reads (the core server's WebSocket limit, too). */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/** Characters per input message: even all escaped as JSON (6 bytes each) it stays under the limit. */
export const MAX_INPUT_CHUNK = 8192;

/** Input (e.g. a big paste) as messages the server accepts, never splitting a surrogate pair. */
export const inputMessages = (data: string): TerminalClientMessage[] => {
  const messages: TerminalClientMessage[] = [];
  for (let at = 0; at < data.length;) {
    let end = Math.min(at + MAX_INPUT_CHUNK, data.length);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    messages.push({ type: 'input', data: data.slice(at, end) });
    at = end;
  }
  return messages;
};

const isSize = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_TERMINAL_SIZE;

/** A client frame as a message, or undefined when it is not one (wrong JSON, bad sizes). */
export const parseClientMessage = (raw: string): TerminalClientMessage | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m.type === 'input' && typeof m.data === 'string') return { type: 'input', data: m.data };
  if (m.type === 'resize' && isSize(m.cols) && isSize(m.rows))
    return { type: 'resize', cols: m.cols, rows: m.rows };
  return undefined;
};

export const encodeControl = (control: TerminalServerControl): string =>
  CONTROL_PREFIX + JSON.stringify(control);

/** A server frame: shell output, or the control message it carries. */
export const parseServerFrame = (raw: string): TerminalServerFrame => {
  if (!raw.startsWith(CONTROL_PREFIX)) return { type: 'output', data: raw };
  try {
    return JSON.parse(raw.slice(CONTROL_PREFIX.length)) as TerminalServerControl;
  } catch {
    return {
      type: 'error',
      code: 'terminal-protocol',
      message: 'The server sent a broken control frame.',
      details: [raw.slice(1, 200)],
    };
  }
};
