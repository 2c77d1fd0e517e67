// The lab terminal on a real sim lab: a real WebSocket server running handleTerminalSocket, a
// `ws` client typing into the real shell (node-pty, bash), kubectl against the lab's API, the
// command record the scenario runner reads, resize, errors, flow control and no orphans.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { V1NodeList } from '@kubernetes/client-node';
import { simBinaryPath } from '../../core/backends/sim/binaries.ts';
import {
  parseServerFrame,
  type TerminalClientMessage,
  type TerminalServerControl,
} from '../../core/contract/terminal-protocol.ts';
import { labContext, requireLabRecord } from '../../core/lab/lab-record.ts';
import type { LabContext } from '../../core/backends/cluster-backend.ts';
import { readCommands } from '../../core/scenarios/run-files.ts';
import { closeAllTerminals, handleTerminalSocket } from '../../core/server/terminal-session.ts';
import { spawn as spawnPty } from 'node-pty';
import { cli, kubectlJson, processesMentioning, REPO, useTempHome } from './helpers/lab-env.ts';
import { present, waitFor } from '../helpers/wait.ts';

const NAME = 'term-lab';

const until = <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000) =>
  waitFor(what, probe, present, ms, { intervalMs: 100 }) as Promise<T>;

/** A terminal client as the page is one: sends protocol messages, collects output and controls. */
class TerminalClient {
  /** The output's last 2 MB at most; `dropped` characters before it were let go. */
  output = '';
  dropped = 0;
  received = 0;
  controls: TerminalServerControl[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = parseServerFrame(String(data));
      if (frame.type === 'output') {
        this.received += frame.data.length;
        this.output += frame.data;
        if (this.output.length > 2_000_000) {
          this.dropped += this.output.length - 1_000_000;
          this.output = this.output.slice(-1_000_000);
        }
      } else this.controls.push(frame);
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  static async open(base: string, lab: string): Promise<TerminalClient> {
    const ws = new WebSocket(`${base}/terminal?lab=${encodeURIComponent(lab)}`);
    const client = new TerminalClient(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return client;
  }

  send(message: TerminalClientMessage) {
    this.ws.send(JSON.stringify(message));
  }

  type(line: string) {
    this.send({ type: 'input', data: `${line}\r` });
  }

  /** Where the output ends now, for `waitFor(re, mark)`. */
  mark(): number {
    return this.dropped + this.output.length;
  }

  /** The first match of `re` in the output written after `from` (a `mark()`). */
  async waitFor(re: RegExp, from = 0, ms = 30_000): Promise<RegExpMatchArray> {
    try {
      return await until(
        `${re} in the terminal output`,
        () => re.exec(this.output.slice(Math.max(0, from - this.dropped))) ?? undefined,
        ms,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\nterminal output:\n${this.output.slice(-2000)}`, {
        cause: error,
      });
    }
  }
}

describe('the lab terminal', () => {
  const temp = useTempHome();
  const saved = { SHELL: process.env.SHELL, HISTFILE: process.env.HISTFILE };
  const histDir = mkdtempSync(join(tmpdir(), 'kartstream-term-hist-'));
  let server: WebSocketServer;
  const serverSockets: WebSocket[] = [];
  let base: string;
  let lab: LabContext;

  beforeAll(async () => {
    // bash, with a history of its own (the user's is not written by the test).
    process.env.SHELL = '/bin/bash';
    process.env.HISTFILE = join(histDir, 'history');
    const up = await cli(['up', '--backend', 'sim', '--no-monitoring', '--name', NAME]);
    expect(up.stderr + up.stdout).not.toMatch(/^error:/m);
    expect(up.exitCode).toBe(0);
    lab = await labContext(await requireLabRecord(NAME));
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws, req) => {
      serverSockets.push(ws);
      handleTerminalSocket(ws, new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('lab') ?? '');
    });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await closeAllTerminals();
    await new Promise((resolve) => server?.close(resolve));
    await cli(['down', '--name', NAME]);
    Object.assign(process.env, saved);
    if (saved.SHELL === undefined) delete process.env.SHELL;
    if (saved.HISTFILE === undefined) delete process.env.HISTFILE;
    rmSync(histDir, { recursive: true, force: true });
    temp.cleanup();
  });

  it('runs kubectl against the lab and records the command line for the scenario runner', async () => {
    const term = await TerminalClient.open(base, NAME);
    await term.waitFor(/\(lab term-lab\)/);
    // The lab's env: its KUBECONFIG, its name, and the pinned kubectl first on PATH.
    term.type('echo "$((6*7))K=$KUBECONFIG L=$KARTSTREAM_LAB B=$(command -v kubectl)"');
    const env = await term.waitFor(/42K=(\S+) L=(\S+) B=(\S+)/);
    expect(env.slice(1)).toEqual([lab.kubeconfigPath, NAME, simBinaryPath('kubectl')]);
    expect(dirname(env[3] ?? '')).toBe(dirname(simBinaryPath('kubectl')));

    const nodes = await kubectlJson<V1NodeList>(lab.kubeconfigPath, ['get', 'nodes']);
    const poolOf = (labels: Record<string, string> = {}) =>
      lab.topology.pools.find((p) => Object.entries(p.labels).every(([k, v]) => labels[k] === v))?.name;
    const byPool = new Map<string, string[]>();
    for (const n of nodes.items) {
      const pool = poolOf(n.metadata?.labels) ?? '(none)';
      byPool.set(pool, [...(byPool.get(pool) ?? []), n.metadata?.name ?? '']);
    }
    expect([...byPool.keys()].sort()).toEqual(lab.topology.pools.map((p) => p.name).sort());
    expect(lab.topology.pools).toHaveLength(4);

    const startedAt = new Date();
    const from = term.mark();
    term.type('kubectl get nodes');
    for (const name of nodes.items.map((n) => n.metadata?.name ?? '')) {
      await term.waitFor(new RegExp(`^${name}\\s+Ready\\s`, 'm'), from);
    }

    const recorded = await until('the command in the commands file', async () =>
      (await readCommands(NAME)).find((c) => c.command === 'kubectl get nodes'),
    );
    expect(recorded.source).toBe('shell');
    expect(new Date(recorded.at).getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1000);
    term.ws.close();
    await term.closed;
  });

  it('runs what is typed at once, before any prompt, in 20 fresh shells in a row', async () => {
    for (let i = 0; i < 20; i++) {
      const term = await TerminalClient.open(base, NAME);
      // Key by key as xterm sends them, from the moment the socket is open: no wait for a prompt.
      const line = `echo "fresh-${i}:$((${i}*7))" ${'x'.repeat(i)}`;
      for (const ch of `${line}\r`) term.send({ type: 'input', data: ch });
      const ran = await term.waitFor(new RegExp(`^fresh-${i}:(\\d+) ?(x*)\\r?$`, 'm'));
      expect([ran[1], ran[2]], `shell ${i}:\n${term.output}`).toEqual([String(i * 7), 'x'.repeat(i)]);
      // The command line the shell echoed is the one typed, whole and in order.
      expect(term.output).toContain(line);
      expect(term.output).not.toMatch(/command not found/);
      const recorded = await until(`shell ${i}'s line in the commands file`, async () =>
        (await readCommands(NAME)).find((c) => c.command === line),
      );
      expect(recorded.source).toBe('shell');
      term.ws.close();
      await term.closed;
    }
  });

  it('holds input typed before the shell exists and delivers it in order after the prompt', async () => {
    const term = await TerminalClient.open(base, NAME);
    // Many small frames at once, as a fast paste in pieces; the last ones likely arrive after the
    // shell has started, the first ones before it.
    const parts = ['echo "or', 'der-', '$((1+1))', '-', 'ok"', '\r', 'echo after-that', '\r'];
    for (const data of parts) term.send({ type: 'input', data });
    await term.waitFor(/^after-that\r?$/m);
    expect(term.output).toMatch(/^order-2-ok\r?$/m);
    expect(term.output.indexOf('order-2-ok')).toBeLessThan(term.output.lastIndexOf('after-that'));
    expect(term.output).not.toContain('7771;');
    term.ws.close();
    await term.closed;
  });

  it("has `kartstream` (and `npx kartstream`) on PATH, running this checkout's CLI", async () => {
    const term = await TerminalClient.open(base, NAME);
    term.type('kartstream kubeconfig --name term-lab; echo "shim-done-$((2+3))"');
    await term.waitFor(/shim-done-5/, 0, 60_000);
    expect(term.output).toMatch(new RegExp(`^(\\x1b\\[\\?2004l\\r)?${lab.kubeconfigPath}\\r?$`, 'm'));
    const from = term.mark();
    term.type('npx kartstream kubeconfig --name term-lab; echo "npx-done-$((2+4))"');
    await term.waitFor(/npx-done-6/, from, 60_000);
    expect(term.output.slice(from)).toMatch(
      new RegExp(`^(\\x1b\\[\\?2004l\\r)?${lab.kubeconfigPath}\\r?$`, 'm'),
    );
    expect(term.output).not.toMatch(/404|command not found/);
    term.ws.close();
    await term.closed;
  });

  it('`kartstream shell` keeps what is typed while it starts, and records it', async () => {
    const shell = spawnPty(process.execPath, [join(REPO, 'bin/kartstream.js'), 'shell', '--name', NAME], {
      cols: 120,
      rows: 30,
      cwd: REPO,
      env: process.env as Record<string, string>,
    });
    let screen = '';
    shell.onData((d) => (screen += d));
    const exited = new Promise<number>((resolve) => shell.onExit(({ exitCode }) => resolve(exitCode)));
    // Typed at once, while node, tsx and the shell start.
    for (const ch of 'echo "cli-$((6*7))"\rexit 4\r') shell.write(ch);
    expect(await exited).toBe(4);
    expect(screen).toMatch(/^cli-42\r?$/m);
    expect(screen).not.toContain('7771;');
    expect((await readCommands(NAME)).some((c) => c.command === 'echo "cli-$((6*7))"')).toBe(true);
  });

  it('resizes the pty', async () => {
    const term = await TerminalClient.open(base, NAME);
    term.send({ type: 'resize', cols: 100, rows: 30 });
    await term.waitFor(/\(lab term-lab\)/);
    let from = term.mark();
    term.type('stty size');
    await term.waitFor(/^30 100\r?$/m, from);

    term.send({ type: 'resize', cols: 123, rows: 41 });
    // Out of bounds: ignored, the session goes on.
    term.send({ type: 'resize', cols: 0, rows: 5000 });
    from = term.mark();
    term.type('stty size');
    await term.waitFor(/^41 123\r?$/m, from);
    term.ws.close();
    await term.closed;
  });

  it('answers an unknown lab with the error and its fix, then closes', async () => {
    const term = await TerminalClient.open(base, 'no-such-lab');
    const closed = await term.closed;
    expect(closed.code).toBe(1011);
    expect(term.controls).toHaveLength(1);
    const error = term.controls[0];
    expect(error?.type).toBe('error');
    if (error?.type !== 'error') return;
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('no-such-lab');
    expect(error.fix).toContain('npx kartstream up --name no-such-lab');
  });

  it('sends the exit code and closes when the shell exits', async () => {
    const term = await TerminalClient.open(base, NAME);
    await term.waitFor(/\(lab term-lab\)/);
    term.type('exit 3');
    expect((await term.closed).code).toBe(1000);
    expect(term.controls).toEqual([{ type: 'exit', code: 3 }]);
  });

  it('kills the shell and what runs in it when the socket closes', async () => {
    const term = await TerminalClient.open(base, NAME);
    await term.waitFor(/\(lab term-lab\)/);
    term.type('echo "PID=$$"');
    const pid = Number((await term.waitFor(/PID=(\d+)/))[1]);
    term.type('sleep 4242');
    await until('sleep running', async () => (await processesMentioning('sleep 4242')).length > 0);
    const running = (p: number) => spawnSync('ps', ['-p', String(p)]).status === 0;
    expect(running(pid)).toBe(true);
    term.ws.close();
    await until(
      'the shell and its sleep to be gone',
      async () => {
        const left = await processesMentioning('sleep 4242');
        return left.length === 0 && !running(pid);
      },
      10_000,
    );
  });

  it('pauses the shell while the client does not read, and loses nothing', async () => {
    const term = await TerminalClient.open(base, NAME);
    await term.waitFor(/\(lab term-lab\)/);
    const socket = serverSockets.at(-1);
    if (!socket) throw new Error('no server socket');
    const total = 20_000_000;
    const before = term.received;
    const from = term.mark();
    term.ws.pause();
    term.type(`head -c ${total} /dev/zero | tr '\\0' x; echo "END-$((40+2))"`);
    // A measurement, not a wait: the socket's peak backlog over 5 s of a flood it does not read.
    let peak = 0;
    const sampleUntil = Date.now() + 5000;
    while (Date.now() < sampleUntil) {
      peak = Math.max(peak, socket.bufferedAmount);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Without flow control the 20 MB would be queued here; with it, about the high-water mark.
    expect(peak).toBeLessThan(2 * 1024 * 1024);
    expect(await processesMentioning(`head -c ${total}`)).not.toEqual([]);
    term.ws.resume();
    await term.waitFor(/END-42/, from, 60_000);
    expect(term.received - before).toBeGreaterThan(total);
    term.ws.close();
    await term.closed;
  });

  it('still ends a paused shell when its slow client goes away', async () => {
    const term = await TerminalClient.open(base, NAME);
    await term.waitFor(/\(lab term-lab\)/);
    term.type('echo "PID=$$"');
    const pid = Number((await term.waitFor(/PID=(\d+)/))[1]);
    const socket = serverSockets.at(-1);
    term.ws.pause();
    term.type('yes kartstream-flood');
    await until('the server to hold output back', () => (socket?.bufferedAmount ?? 0) > 512 * 1024);
    term.ws.terminate();
    await until('the shell to be gone', () => spawnSync('ps', ['-p', String(pid)]).status !== 0, 10_000);
    expect(await processesMentioning('yes kartstream-flood')).toEqual([]);
  });
});
