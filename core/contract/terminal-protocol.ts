// The lab terminal's WebSocket messages. The server sends the shell's output as text frames as
// they come; control messages are JSON objects in text frames that start with "{\"type\"" only
// from the client side. From the server, control messages are sent as JSON with a leading NUL
// byte, so they never mix with shell output.

export type TerminalClientMessage =
  { type: 'input'; data: string } | { type: 'resize'; cols: number; rows: number };

export type TerminalServerControl = { type: 'exit'; code: number } | { type: 'error'; message: string };

/** Prefix of a server control frame (shell output never contains a NUL byte at a frame start). */
export const CONTROL_PREFIX = '\u0000';
