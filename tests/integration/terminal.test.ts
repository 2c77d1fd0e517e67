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
import { cli, kubectlJson, processesMentioning, useTempHome } from './helpers/lab-env.ts';

const NAME = 'term-lab';

const until = async <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000) => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

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
  waitFor(re: RegExp, from = 0, ms = 30_000): Promise<RegExpMatchArray> {
    return until(
      `${re} in the terminal output:\n${this.output.slice(-2000)}`,
      () => re.exec(this.output.slice(Math.max(0, from - this.dropped))) ?? undefined,
      ms,
    );
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
