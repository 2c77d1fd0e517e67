// A participant's lab terminal (docs/sharing.md): not a shell on this machine but a line editor
// over the same terminal socket protocol, running one `kubectl` command at a time with the
// person's own kubeconfig (their ServiceAccount, so the API server's RBAC and audit log apply),
// or a read-only `kartstream` command. Each command run is written to the lab's timeline with
// its person. Ctrl-C stops a running command (kubectl logs -f, get -w).
import { execa, type ResultPromise } from 'execa';
import type { RawData, WebSocket } from 'ws';
import type { Caller } from '../contract/roles.ts';
import { MAX_CLIENT_FRAME_BYTES, parseClientMessage } from '../contract/terminal-protocol.ts';
import { findSimBinaries } from '../backends/sim/binaries.ts';
import { isKartStreamError } from '../errors/kartstream-error.ts';
import { CLI_ENTRY } from '../exec/cli-shim.ts';
import { appendLabTimeline } from '../lab/lab-timeline.ts';
import { personKubeconfig } from '../lab/team-identity.ts';
import { parseConsoleLine } from './console-line.ts';

type Participant = Extract<Caller, { kind: 'participant' }>;

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';
/** A line longer than this is cut: no kubectl command needs more. */
const MAX_LINE = 4096;

const textOf = (data: RawData): string =>
  (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString(
    'utf8',
  );

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

const kubectlBinary = async (): Promise<string> => (await findSimBinaries()).found.kubectl?.path ?? 'kubectl';

export const handleConsoleSocket = (socket: WebSocket, caller: Participant): void => {
  const { lab, person } = caller;
  let line = '';
  let running: ResultPromise | undefined;
  /** A line is being run; what is typed meanwhile waits in `typedAhead`, as in a shell. */
  let busy = false;
  let typedAhead = '';
  /** The rest of an escape sequence (arrow keys...) being skipped. */
  let inEscape = false;

  const send = (text: string) => {
    if (socket.readyState === socket.OPEN) socket.send(text);
  };
  const prompt = () => send(`${person}@${lab} $ `);

  const run = async (typed: string) => {
    const parsed = parseConsoleLine(typed, lab);
    if (parsed.kind === 'empty') return;
    if (parsed.kind === 'refused') return send(`${RED}${parsed.message}${RESET}\r\n`);
    const [file, args, env] =
      parsed.program === 'kubectl'
        ? [await kubectlBinary(), parsed.args, { KUBECONFIG: personKubeconfig(lab, person) }]
        : [process.execPath, [CLI_ENTRY, ...parsed.args], { NO_COLOR: '1' }];
    await appendLabTimeline(lab, {
      kind: 'command',
      actor: person,
      text: typed.trim(),
      data: { console: true },
    });
    running = execa(file, args, {
      env: { ...env, KARTSTREAM_CONSOLE: '1' },
      stdin: 'ignore',
      reject: false,
      buffer: false,
    });
    running.stdout?.on('data', (chunk: Buffer) => send(crlf(String(chunk))));
    running.stderr?.on('data', (chunk: Buffer) => send(crlf(String(chunk))));
    await running;
  };

  const submit = () => {
    const typed = line;
    line = '';
    busy = true;
    send('\r\n');
    run(typed)
      .catch((error: unknown) =>
        send(`${RED}${isKartStreamError(error) ? error.message : String(error)}${RESET}\r\n`),
      )
      .finally(() => {
        running = undefined;
        busy = false;
        prompt();
        const ahead = typedAhead;
        typedAhead = '';
        onInput(ahead);
      });
  };

  const onInput = (data: string): void => {
    for (const [i, c] of [...data].entries()) {
      if (busy && c !== '\x03') {
        typedAhead = (typedAhead + [...data].slice(i).join('')).slice(0, MAX_LINE * 4);
        return;
      }
      if (inEscape) {
        // CSI sequences end with a letter or ~; a lone ESC followed by [ or O keeps going.
        if (/[A-Za-z~]/.test(c)) inEscape = false;
        continue;
      }
      if (c === '\x03') {
        if (busy) {
          typedAhead = '';
          running?.kill('SIGINT');
        } else {
          line = '';
          send('^C\r\n');
          prompt();
        }
      } else if (c === '\x1b') inEscape = true;
      else if (c === '\r' || c === '\n') submit();
      else if (c === '\x7f' || c === '\b') {
        if (line) {
          line = line.slice(0, -1);
          send('\b \b');
        }
      } else if (c === '\x15') {
        send('\b \b'.repeat(line.length));
        line = '';
      } else if (c >= ' ' && line.length < MAX_LINE) {
        line += c;
        send(c);
      }
    }
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = textOf(data);
    if (text.length > MAX_CLIENT_FRAME_BYTES) return;
    const message = parseClientMessage(text);
    if (message?.type === 'input') onInput(message.data);
  });
  socket.on('close', () => {
    running?.kill('SIGKILL');
  });

  send(
    `${DIM}KartStream console for lab ${lab}, as ${person} (${caller.role}): kubectl runs with your own identity in the cluster; read-only kartstream commands work too. No shell: ; | & $( ) and redirections are refused.${RESET}\r\n`,
  );
  prompt();
};
