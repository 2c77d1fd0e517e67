// The lab terminal: xterm.js in the page, a shell on the server (node-pty) with the lab's
// KUBECONFIG. The session lives as long as the WebSocket; when it ends the panel offers to
// reconnect. Keys typed while it connects are sent once it is open. Copy: select + Ctrl/Cmd+Shift+C (or the browser's copy); paste: Ctrl/Cmd+Shift+V (or
// the browser's paste). Commands from `runInTerminal` are typed into the live session.
import { useEffect, useRef, useState } from 'react';
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import './terminal.css';
import { wsUrl } from '../api/client.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import {
  inputMessages,
  parseServerFrame,
  type TerminalClientMessage,
} from '../../../core/contract/terminal-protocol.ts';
import type { WireError } from '../../../core/contract/wire-types.ts';
import { onRunInTerminal } from './terminal-bus.ts';

type Status = 'connecting' | 'connected' | 'ended';

const LIGHT: ITheme = {
  background: '#ffffff',
  foreground: '#1f2328',
  cursor: '#1f2328',
  selectionBackground: '#b6d6fd',
  black: '#1f2328',
  red: '#b42318',
  green: '#1a7f37',
  yellow: '#8a6100',
  blue: '#0550ae',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#cf222e',
  brightGreen: '#116329',
  brightYellow: '#6f4f00',
  brightBlue: '#0969da',
  brightMagenta: '#a475f9',
  brightCyan: '#3192aa',
  brightWhite: '#8c959f',
};

const DARK: ITheme = {
  background: '#0d1117',
  foreground: '#e6edf3',
  cursor: '#e6edf3',
  selectionBackground: '#3a4a66',
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#6e7681',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#f0f6fc',
};

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

/** Ctrl+Shift+<key> (Cmd+Shift+<key> on macOS) on key down. */
const isShortcut = (e: KeyboardEvent, key: string) =>
  e.type === 'keydown' && (e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === key;

export const TerminalPanel = ({ lab }: { lab: string }) => {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | undefined>(undefined);
  const [status, setStatus] = useState<Status>('connecting');
  const [error, setError] = useState<WireError | undefined>();
  const [attempt, setAttempt] = useState(0);

  // One xterm for the panel's life: theme follows the OS, size follows the container.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: darkQuery().matches ? DARK : LIGHT,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    term.attachCustomKeyEventHandler((e) => {
      if (isShortcut(e, 'c')) {
        e.preventDefault();
        if (term.hasSelection()) void navigator.clipboard?.writeText(term.getSelection());
        return false;
      }
      // Not handled by xterm: the browser then fires its paste event, which xterm reads.
      if (isShortcut(e, 'v')) return false;
      return true;
    });
    termRef.current = term;

    const refit = () => {
      if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
    };
    const observer = new ResizeObserver(refit);
    observer.observe(host);
    refit();

    const scheme = darkQuery();
    const onScheme = () => {
      term.options.theme = scheme.matches ? DARK : LIGHT;
    };
    scheme.addEventListener('change', onScheme);
    return () => {
      scheme.removeEventListener('change', onScheme);
      observer.disconnect();
      term.dispose();
      termRef.current = undefined;
    };
  }, []);

  // One session per lab and reconnect.
  useEffect(() => {
    const term = termRef.current;
    if (!term) return;
    setStatus('connecting');
    setError(undefined);
    const used = term.buffer.active.baseY > 0 || term.buffer.active.cursorY > 0;
    if (used) term.write(`\r\n\x1b[2m── new session in lab ${lab} ──\x1b[0m\r\n`);
    const ws = new WebSocket(wsUrl(`terminal?lab=${encodeURIComponent(lab)}`));
    // What is typed while the socket opens waits here, in order; the server then holds it until
    // the shell's first prompt, so no key is lost however early it is typed.
    const pending: TerminalClientMessage[] = [];
    const send = (message: TerminalClientMessage) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      else if (ws.readyState === WebSocket.CONNECTING && message.type === 'input') pending.push(message);
    };
    const type = (data: string) => inputMessages(data).forEach(send);
    let unregister: (() => void) | undefined;
    const subscriptions = [
      term.onData(type),
      term.onBinary(type),
      term.onResize(({ cols, rows }) => send({ type: 'resize', cols, rows })),
    ];
    ws.onopen = () => {
      setStatus('connected');
      send({ type: 'resize', cols: term.cols, rows: term.rows });
      for (const message of pending.splice(0)) send(message);
      term.focus();
      unregister = onRunInTerminal((command) => {
        type(`${command}\r`);
        term.focus();
      });
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      const frame = parseServerFrame(event.data);
      if (frame.type === 'output') term.write(frame.data);
      else if (frame.type === 'exit')
        term.write(`\r\n\x1b[2m[shell exited with code ${frame.code}]\x1b[0m\r\n`);
      else {
        const { type: _type, ...wire } = frame;
        setError(wire);
      }
    };
    ws.onclose = (event) => {
      unregister?.();
      unregister = undefined;
      setStatus('ended');
      // A refusal without an error frame (bad lab name, node-pty missing) comes as the close reason.
      if (event.code !== 1000 && event.reason)
        setError((shown) => shown ?? { code: 'terminal-closed', message: event.reason, details: [] });
    };
    return () => {
      unregister?.();
      for (const s of subscriptions) s.dispose();
      ws.onclose = null;
      ws.close();
    };
  }, [lab, attempt]);

  return (
    <section className="terminal-panel" aria-label={`Terminal for lab ${lab}`}>
      <div className="terminal-bar">
        <span className="terminal-status" data-state={status}>
          {status === 'connecting' ? 'connecting…' : status === 'connected' ? 'connected' : 'session ended'}
        </span>
        <span className="terminal-hint">Copy Ctrl+Shift+C · Paste Ctrl+Shift+V</span>
        {status === 'ended' && (
          <button
            type="button"
            className="button"
            data-testid="terminal-reconnect"
            onClick={() => setAttempt((n) => n + 1)}
          >
            Reconnect
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
      <div className="terminal-host" data-testid="terminal" ref={hostRef} />
    </section>
  );
};
