// Bad input to the running server and the files it reads, as one corpus (issue #19): malformed
// tRPC calls, WebSocket frames, oversized and deeply nested JSON, broken lab records, torn
// timelines, kubeconfigs that point nowhere, a scenario file changed while it runs. One real
// `kartstream serve` and one sim lab for the whole file. Each case states its input and what the
// user must get back; after every case the server must still answer and the lab still work: its
// map feed shows a change made with kubectl, through the same feed socket as before.
//
// Not repeated here (see tests/integration/server-security.test.ts, sim-bad-input.test.ts and
// tests/unit/lab/lab-records.test.ts, lab-timeline.test.ts, server/terminal-protocol.test.ts):
// the token/Host/Origin refusals, `{"name": "a",` bodies, labs.create with a number or an unknown
// field, a 5000-character lab name, a 2001-character PromQL query, 70 KiB bodies, the `{not json`
// WebSocket frame, the terminal's bad lab name and out-of-bounds resize (terminal.test.ts), and
// the unit-level record and timeline parsing.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../../core/kube/free-port.ts';
import { startServe, type ServedApp } from '../e2e/helpers/serve.ts';
import { waitFor } from '../helpers/wait.ts';
import { cli, REPO, useTempHome } from './helpers/lab-env.ts';

const NAME = 'corpus';
/** The queries the corpus calls: sent as GET with ?input= unless a case says otherwise. */
const QUERIES = new Set([
  'app.info',
  'labs.list',
  'labs.info',
  'labs.topology',
  'tasks.get',
  'cluster.events',
  'logs.deployment',
  'dashboards.panel',
  'timeline.list',
]);
const KIB = 1024;
const MIB = 1024 * KIB;

interface Reply {
  status: number;
  body: string;
}

/** What a refused tRPC call must carry: its status, and words that say what, where and how to fix. */
interface Refusal {
  status: number;
  code?: string;
  message: RegExp;
  field?: string;
  fix?: RegExp;
}

/** A plain HTTP request to the API, described as data. */
interface HttpCall {
  method?: string;
  procedure: string;
  /** Sent as ?input=<JSON> on GET, as the JSON body otherwise. */
  input?: unknown;
  /** A raw body (string or bytes) instead of `input`. */
  body?: string | Buffer;
  query?: string;
  headers?: Record<string, string>;
}

type Case = { name: string } & (
  | {
      call: HttpCall;
      // orReset: the refusal may come as the connection closed while the request is still being
      // sent (Node closes it after its 431), which is a refusal just the same.
      expect: Refusal | { status: number; text: RegExp; orReset?: boolean };
    }
  | { run: () => Promise<void>; timeoutMs?: number }
);

describe('bad input corpus: one server, one sim lab', () => {
  const temp = useTempHome();
  const uiDir = join(temp.home, 'ui');
  const labsDir = join(temp.home, 'labs');
  const kubeconfig = join(labsDir, NAME, 'kubeconfig');
  const timelineFile = join(labsDir, NAME, 'timeline.jsonl');
  let app: ServedApp;
  let blackHole: Server;
  let blackHolePort = 0;
  let closedPort = 0;
  const held: Socket[] = [];
  let feed: Feed;
  let node = '';
  let change = 0;

  const api = (procedure: string) => `/t/${app.token}/trpc/${procedure}`;

  const send = (call: HttpCall): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const method =
        call.method ??
        (call.body !== undefined || (call.input !== undefined && !QUERIES.has(call.procedure))
          ? 'POST'
          : 'GET');
      const query =
        call.query ??
        (method === 'GET' && call.input !== undefined
          ? `?input=${encodeURIComponent(JSON.stringify(call.input))}`
          : '');
      const body =
        call.body ?? (method !== 'GET' && call.input !== undefined ? JSON.stringify(call.input) : undefined);
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: app.port,
          path: api(call.procedure) + query,
          method,
          headers: {
            host: `127.0.0.1:${app.port}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...call.headers,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += String(c)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.setHeader('content-length', Buffer.byteLength(body));
      req.end(body);
    });

  // The typed error of a refused call: status, wire code, words, the field, and never a stack.
  const expectRefusal = (reply: Reply, want: Refusal) => {
    expect(reply.status, reply.body.slice(0, 500)).toBe(want.status);
    expect(reply.body).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules/);
    const wire = (JSON.parse(reply.body) as { error: { data: { wire: WireLike } } }).error.data.wire;
    expectWire(wire, want);
  };

  interface WireLike {
    code: string;
    message: string;
    details: string[];
    fix?: string;
    fields?: { path: string; message: string }[];
  }
  const expectWire = (wire: WireLike, want: Omit<Refusal, 'status'>) => {
    if (want.code) expect(wire.code).toBe(want.code);
    expect([wire.message, ...wire.details].join('\n')).toMatch(want.message);
    if (want.field) expect(wire.fields?.map((f) => f.path)).toContain(want.field);
    if (want.fix) expect(wire.fix).toMatch(want.fix);
  };

  const json = async <T>(call: HttpCall): Promise<T> => {
    const reply = await send(call);
    expect(reply.status, reply.body.slice(0, 500)).toBe(200);
    return (JSON.parse(reply.body) as { result: { data: T } }).result.data;
  };

  const kubectl = (args: string[], config = kubeconfig) =>
    execa('kubectl', ['--kubeconfig', config, ...args], { timeout: 60_000 });

  // ---- the map feed, on one socket opened before the first case ---------------------------

  interface NodeView {
    name: string;
    pool: string;
    ready: boolean;
    taints: string[];
  }
  interface Feed {
    nodes: Map<string, NodeView>;
    offline: Map<number, string>;
    ws: WebSocket;
    subscribe(id: number, lab: string): void;
    until<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T>;
  }

  const openFeed = async (): Promise<Feed> => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}/t/${app.token}/ws`, { origin: app.origin });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const nodes = new Map<string, NodeView>();
    const offline = new Map<number, string>();
    ws.on('message', (raw) => {
      // The server's keep-alive: unanswered, it closes the socket.
      if (String(raw) === 'PING') return ws.send('PONG');
      const m = JSON.parse(String(raw)) as {
        id: number;
        result?: { data?: { type: string; nodes?: NodeView[]; deletedNodes?: string[]; message?: string } };
      };
      const data = m.result?.data;
      if (!data) return;
      if (data.type === 'offline') offline.set(m.id, data.message ?? '');
      if (m.id !== 1) return;
      if (data.type === 'reset') nodes.clear();
      for (const n of data.nodes ?? []) nodes.set(n.name, n);
      for (const n of data.deletedNodes ?? []) nodes.delete(n);
    });
    const subscribe = (id: number, lab: string) =>
      ws.send(
        JSON.stringify({ id, method: 'subscription', params: { path: 'cluster.watch', input: { lab } } }),
      );
    subscribe(1, NAME);
    return {
      nodes,
      offline,
      ws,
      subscribe,
      until: (what, check, timeoutMs) =>
        waitFor(what, check, (v) => v !== undefined, timeoutMs, { intervalMs: 100 }) as Promise<never>,
    };
  };

  // After every case: the process lives, the API answers, the lab is listed ready, and a change
  // made with kubectl reaches the map through the feed socket opened at the start.
  const stillUsable = async () => {
    expect(() => process.kill(app.pid, 0), 'the server process died').not.toThrow();
    expect(feed.ws.readyState, 'the map feed socket closed').toBe(WebSocket.OPEN);
    expect((await json<{ version: string }>({ procedure: 'app.info' })).version).toBeTruthy();
    const labs = await json<{ name: string; state: string }[]>({ procedure: 'labs.list' });
    expect(labs.find((l) => l.name === NAME)).toMatchObject({ state: 'ready' });
    change += 1;
    const taint = `kartstream.dev/corpus=c${change}:PreferNoSchedule`;
    await kubectl(['taint', 'node', node, taint, '--overwrite']);
    await feed.until(
      `the map to show taint ${taint} on ${node}`,
      () => (feed.nodes.get(node)?.taints.some((t) => t.includes(`corpus=c${change}`)) ? true : undefined),
      15_000,
    );
  };

  // ---- raw WebSocket frames (what the ws client will not send) ------------------------------

  const rawSocket = async (path: string) => {
    const socket = connect({ host: '127.0.0.1', port: app.port });
    let buffer = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => (buffer = Buffer.concat([buffer, d])));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\nOrigin: ${app.origin}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await waitFor('the upgrade', () => buffer.includes('\r\n\r\n'), Boolean, 10_000, { intervalMs: 20 });
    expect(buffer.toString('latin1', 0, 12)).toBe('HTTP/1.1 101');
    const headerEnd = buffer.indexOf('\r\n\r\n') + 4;
    return {
      send: (opcode: number, payload: Buffer, masked = true) => {
        const head = Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | payload.length]);
        const mask = randomBytes(4);
        const body = masked ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!)) : payload;
        socket.write(Buffer.concat(masked ? [head, mask, body] : [head, body]));
      },
      write: (bytes: Buffer) => socket.write(bytes),
      // The server's close frame: its code and reason (frames are small, never masked).
      closed: async (): Promise<{ code: number; reason: string }> => {
        await waitFor(
          'the server to close',
          () => closeFrameIn(buffer.subarray(headerEnd)),
          Boolean,
          10_000,
          {
            intervalMs: 20,
          },
        );
        const frame = closeFrameIn(buffer.subarray(headerEnd))!;
        await Promise.race([ended, new Promise((r) => setTimeout(r, 2000))]);
        socket.destroy();
        return frame;
      },
      destroy: () => socket.destroy(),
    };
  };
  const closeFrameIn = (data: Buffer): { code: number; reason: string } | undefined => {
    for (let at = 0; at + 2 <= data.length;) {
      const length = data[at + 1]! & 0x7f;
      const extra = length === 126 ? 2 : 0;
      const size = length === 126 ? data.readUInt16BE(at + 2) : length;
      const start = at + 2 + extra;
      if ((data[at]! & 0x0f) === 8 && start + size <= data.length)
        return { code: data.readUInt16BE(start), reason: data.toString('utf8', start + 2, start + size) };
      at = start + size;
    }
    return undefined;
  };

  // ---- the tRPC WebSocket, one socket per case ---------------------------------------------

  const trpcSocket = async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}/t/${app.token}/ws`, { origin: app.origin });
    const replies: { id: unknown; error?: { data: { wire: WireLike } }; result?: unknown }[] = [];
    let closed: { code: number; reason: string } | undefined;
    ws.on('message', (m) =>
      String(m) === 'PING'
        ? ws.send('PONG')
        : replies.push(JSON.parse(String(m)) as (typeof replies)[number]),
    );
    ws.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
    ws.on('error', () => undefined);
    await new Promise<void>((resolve) => ws.once('open', () => resolve()));
    const reply = (id: unknown) =>
      waitFor(`a reply to ${String(id)}`, () => replies.find((r) => r.id === id), Boolean, 10_000, {
        intervalMs: 20,
      }).then(() => replies.find((r) => r.id === id)!);
    const close = async () => {
      ws.close();
      await waitFor('the socket to close', () => ws.readyState === WebSocket.CLOSED, Boolean, 5_000);
    };
    return { ws, replies, reply, close, closed: () => closed };
  };
  // A malformed message gets an error reply (id null when it has no usable id), and the same
  // socket answers a good query afterwards.
  const badTrpcFrame = (frame: string | Buffer, id: unknown, want: Omit<Refusal, 'status'>) => async () => {
    const s = await trpcSocket();
    s.ws.send(frame, { binary: Buffer.isBuffer(frame) });
    expectWire((await s.reply(id)).error!.data.wire, want);
    s.ws.send(JSON.stringify({ id: 'after', method: 'query', params: { path: 'app.info' } }));
    expect((await s.reply('after')).result).toMatchObject({ type: 'data' });
    await s.close();
  };

  // ---- the terminal ------------------------------------------------------------------------

  const terminal = async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}/t/${app.token}/terminal?lab=${NAME}`, {
      origin: app.origin,
    });
    let output = '';
    const controls: { type: string; code?: string | number; message?: string; fix?: string }[] = [];
    let closed: { code: number; reason: string } | undefined;
    ws.on('message', (m) => {
      const text = String(m);
      if (text.startsWith('\u0000')) controls.push(JSON.parse(text.slice(1)) as (typeof controls)[number]);
      else output += text;
    });
    ws.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
    ws.on('error', () => undefined);
    await new Promise<void>((resolve) => ws.once('open', () => resolve()));
    const type = (line: string) => ws.send(JSON.stringify({ type: 'input', data: `${line}\r` }));
    const marker = () => `m${randomBytes(4).toString('hex')}`;
    // The shell answers: a marker echoed by the shell (not by the tty) shows up in the output.
    const answers = async () => {
      const m = marker();
      type(`echo ${m.slice(0, 3)}""${m.slice(3)}`);
      await waitFor('the shell to answer', () => output.includes(m), Boolean, 30_000, { intervalMs: 50 });
    };
    const close = async () => {
      ws.close();
      await waitFor('the terminal to close', () => ws.readyState === WebSocket.CLOSED, Boolean, 10_000);
    };
    return { ws, type, answers, controls, close, closed: () => closed, output: () => output };
  };
  const badTerminalFrame = (frame: string | Buffer, why: RegExp) => async () => {
    const t = await terminal();
    await t.answers();
    t.ws.send(frame, { binary: Buffer.isBuffer(frame) });
    await waitFor('an error frame', () => t.controls.find((c) => c.type === 'error'), Boolean, 10_000);
    const error = t.controls.find((c) => c.type === 'error')!;
    expect(error).toMatchObject({ code: 'terminal-protocol', message: expect.stringMatching(why) });
    expect(error.fix).toMatch(/"type":"input"/);
    await t.answers();
    await t.close();
  };

  // ---- files in KARTSTREAM_HOME --------------------------------------------------------------

  const goodRecord = () =>
    JSON.parse(readFileSync(join(labsDir, NAME, 'lab.json'), 'utf8')) as Record<string, unknown>;
  // A second lab folder whose lab.json is `content`: listed as broken, naming the file and a fix,
  // next to the working lab; asking for it says the same; nothing else changes.
  const brokenRecord = (content: string | Buffer | 'dir', why: RegExp) => async () => {
    const dir = join(labsDir, 'broken-rec');
    mkdirSync(dir, { recursive: true });
    if (content === 'dir') mkdirSync(join(dir, 'lab.json'));
    else writeFileSync(join(dir, 'lab.json'), content);
    try {
      const labs = await json<
        { name: string; state: string; problem?: { message: string; path: string; fix?: string } }[]
      >({ procedure: 'labs.list' });
      expect(labs.map((l) => l.name)).toEqual(['broken-rec', NAME]);
      const broken = labs.find((l) => l.name === 'broken-rec')!;
      expect(broken.state).toBe('broken');
      expect(broken.problem?.path).toBe(join(dir, 'lab.json'));
      expect(broken.problem?.message).toMatch(why);
      expect(broken.problem?.fix).toMatch(/lab\.json|rm -r|permissions/);
      expectRefusal(await send({ procedure: 'labs.info', input: { lab: 'broken-rec' } }), {
        status: 500,
        message: new RegExp(`${join(dir, 'lab.json').replace(/[/.]/g, '\\$&')}`),
        fix: /lab\.json|rm -r|permissions/,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const entry = (text: string, at: string) => JSON.stringify({ at, kind: 'note', actor: 'local', text });
  interface TimelineView {
    entries: { text: string }[];
    skipped?: { file: string; lines: number[] };
  }
  const timeline = () => json<TimelineView>({ procedure: 'timeline.list', input: { lab: NAME } });
  // The timeline file holds `lines` (joined by "\n", as written): the view lists the valid
  // entries and names the lines it skipped; a note written afterwards is listed too.
  const tornTimeline = (content: string | Buffer, valid: string[], skipped: number[]) => async () => {
    writeFileSync(timelineFile, content, { mode: 0o600 });
    try {
      const view = await timeline();
      expect(view.entries.map((e) => e.text)).toEqual(valid);
      expect(view.skipped).toEqual({ file: timelineFile, lines: skipped });
      const note = `written after the damage ${change}`;
      await json({ procedure: 'incident.note', input: { lab: NAME, text: note } });
      expect((await timeline()).entries.map((e) => e.text)).toContain(note);
    } finally {
      rmSync(timelineFile, { force: true });
    }
  };

  // A lab whose kubeconfig is `content` (or missing): its events and info fail in bounded time
  // with an error that names the lab and what is wrong; the map says it is offline.
  const kubeconfigCase =
    (content: (good: string) => string | undefined, why: RegExp, limitMs = 25_000) =>
    async () => {
      const dir = join(labsDir, 'kc-lab');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'lab.json'), JSON.stringify({ ...goodRecord(), name: 'kc-lab' }));
      const text = content(readFileSync(kubeconfig, 'utf8'));
      if (text !== undefined) writeFileSync(join(dir, 'kubeconfig'), text);
      try {
        const started = Date.now();
        const reply = await send({ procedure: 'cluster.events', input: { lab: 'kc-lab' } });
        expect(Date.now() - started).toBeLessThan(limitMs);
        expectRefusal(reply, { status: 500, message: /kc-lab/, fix: /lab/ });
        expectRefusal(reply, { status: 500, message: why });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
  const pointAt = (server: string) => (good: string) => good.replace(/server: \S+/, `server: ${server}`);

  // ---- a scenario file changed while its run goes on -------------------------------------------

  const scenarioText = readFileSync(
    join(REPO, 'tests/fixtures/bad-input/changed-while-running.yaml'),
    'utf8',
  );
  const runWithChangedFile = (edit: (text: string) => string) => async () => {
    const file = join(temp.home, `changed-while-running.yaml`);
    writeFileSync(file, scenarioText);
    const run: ResultPromise<{ reject: false }> = execa(
      process.execPath,
      [join(REPO, 'bin/kartstream.js'), 'scenario', 'run', file, '--name', NAME, '-o', 'json'],
      { cwd: REPO, env: { KARTSTREAM_HOME: temp.home }, reject: false, timeout: 300_000 },
    );
    try {
      // Step 1 has failed backend-1: the map shows it.
      await feed.until(
        'backend-1 to fail',
        () => (feed.nodes.get('backend-1')?.ready === false ? true : undefined),
        120_000,
      );
      writeFileSync(file, edit(scenarioText));
      // The learner heals it from the app; the run goes on with the steps it started with.
      await json({ procedure: 'actions.healNode', input: { lab: NAME, node: 'backend-1' } });
      const result = await run;
      expect(result.exitCode, String(result.stderr)).toBe(0);
      const out = JSON.parse(String(result.stdout)) as {
        state: string;
        steps: { id: string; outcome: string }[];
      };
      expect(out.state).toBe('passed');
      expect(out.steps.map((s) => [s.id, s.outcome])).toEqual([
        ['heal', 'passed'],
        ['confirm', 'passed'],
      ]);
    } finally {
      run.kill('SIGINT');
      await run;
    }
    // The lab is left healed.
    const nodes = await kubectl(['get', 'nodes', '-l', 'pool=backend', '--no-headers']);
    expect(String(nodes.stdout).match(/\bReady\b/g)).toHaveLength(2);
  };

  // ---- the corpus --------------------------------------------------------------------------------

  const deep = (levels: number) => `{"name":${'['.repeat(levels)}${']'.repeat(levels)}}`;
  const lab = NAME;

  const cases: Case[] = [
    // tRPC over HTTP: the call itself is wrong
    {
      name: 'an unknown procedure',
      call: { procedure: 'nope.nothing' },
      expect: { status: 404, code: 'not-found', message: /nope\.nothing/ },
    },
    {
      name: 'an unknown procedure in a known area',
      call: { procedure: 'labs.explode' },
      expect: { status: 404, code: 'not-found', message: /labs\.explode/ },
    },
    {
      name: 'GET for a mutation',
      call: { method: 'GET', procedure: 'labs.remove', input: { lab } },
      expect: { status: 405, message: /GET-request to mutation .*labs\.remove/ },
    },
    {
      name: 'POST for a query',
      call: { method: 'POST', procedure: 'labs.list', input: {} },
      expect: { status: 405, message: /POST-request to query .*labs\.list/ },
    },
    {
      name: 'PUT, which the API does not take',
      call: { method: 'PUT', procedure: 'labs.list', body: '{}' },
      expect: { status: 405, text: /Method Not Allowed/ },
    },
    {
      name: 'a body that is not JSON',
      call: { procedure: 'labs.remove', body: 'remove the lab please' },
      expect: { status: 400, code: 'bad-request', message: /not valid JSON/, fix: /as JSON/ },
    },
    {
      name: 'a query input that is not JSON',
      call: { procedure: 'labs.info', query: '?input=lab%3Dcorpus' },
      expect: { status: 400, code: 'bad-request', message: /not valid JSON/, fix: /\?input=/ },
    },
    {
      name: 'a mutation without its input',
      call: { method: 'POST', procedure: 'labs.remove', headers: { 'content-type': 'application/json' } },
      expect: { status: 400, code: 'invalid-input', message: /expected object/, field: '(input)' },
    },
    {
      name: 'a body sent as text/plain',
      call: { procedure: 'labs.remove', body: '{"lab":"corpus"}', headers: { 'content-type': 'text/plain' } },
      expect: { status: 415, message: /content-type "text\/plain/ },
    },
    {
      name: 'an array where an object is expected',
      call: { procedure: 'actions.failNode', input: [lab, 'frontend-1'] },
      expect: {
        status: 400,
        code: 'invalid-input',
        message: /expected object, received array/,
        field: '(input)',
      },
    },
    {
      name: 'a bare string as input',
      call: { procedure: 'labs.remove', body: '"corpus"' },
      expect: { status: 400, code: 'invalid-input', message: /expected object/, field: '(input)' },
    },
    {
      name: 'null as input',
      call: { procedure: 'actions.healNode', body: 'null' },
      expect: { status: 400, code: 'invalid-input', message: /expected object/, field: '(input)' },
    },
    {
      name: 'a missing field (failNode without node)',
      call: { procedure: 'actions.failNode', input: { lab } },
      expect: { status: 400, code: 'invalid-input', message: /node/, field: 'node' },
    },
    {
      name: 'an extra field (scaleDeployment with force)',
      call: {
        procedure: 'actions.scaleDeployment',
        input: { lab, name: 'frontend', replicas: 1, force: true },
      },
      expect: { status: 400, code: 'invalid-input', message: /force/ },
    },
    {
      name: 'a number sent as a string (scalePool nodes "3")',
      call: { procedure: 'actions.scalePool', input: { lab, pool: 'frontend', nodes: '3' } },
      expect: { status: 400, code: 'invalid-input', message: /expected number/, field: 'nodes' },
    },
    {
      name: 'a negative count (replicas -1)',
      call: { procedure: 'actions.scaleDeployment', input: { lab, name: 'frontend', replicas: -1 } },
      expect: { status: 400, code: 'invalid-input', message: />=\s*0/, field: 'replicas' },
    },
    {
      name: 'a count far out of range (replicas 10^9)',
      call: { procedure: 'actions.scaleDeployment', input: { lab, name: 'frontend', replicas: 1e9 } },
      expect: { status: 400, code: 'invalid-input', message: /<=\s*100/, field: 'replicas' },
    },
    {
      name: 'a fraction where a whole number is expected (nodes 1.5)',
      call: { procedure: 'actions.scalePool', input: { lab, pool: 'frontend', nodes: 1.5 } },
      expect: { status: 400, code: 'invalid-input', message: /int/i, field: 'nodes' },
    },
    {
      name: 'a number that overflows to Infinity (1e400)',
      call: {
        procedure: 'actions.scaleDeployment',
        body: `{"lab":"${lab}","name":"frontend","replicas":1e400}`,
      },
      expect: { status: 400, code: 'invalid-input', message: /Infinity/, field: 'replicas' },
    },
    {
      name: 'a zero limit for events',
      call: { procedure: 'cluster.events', input: { lab, limit: 0 } },
      expect: { status: 400, code: 'invalid-input', message: />=\s*1/, field: 'limit' },
    },
    {
      name: 'too many log lines asked for',
      call: { procedure: 'logs.deployment', input: { lab, deployment: 'frontend', tailLines: 5001 } },
      expect: { status: 400, code: 'invalid-input', message: /5000/, field: 'tailLines' },
    },
    {
      name: 'a lab name with a NUL byte',
      call: { procedure: 'labs.info', input: { lab: `${lab}\u0000` } },
      expect: { status: 400, code: 'invalid-input', message: /lab name/, field: 'lab' },
    },
    {
      name: 'a node name with a terminal escape',
      call: { procedure: 'actions.healNode', input: { lab, node: 'frontend-1\u001b[2J' } },
      expect: { status: 400, code: 'invalid-input', message: /Kubernetes object name/, field: 'node' },
    },
    {
      name: 'a note with NUL and terminal escapes',
      call: { procedure: 'incident.note', input: { lab, text: 'all good\u0000\u001b]0;pwned\u0007' } },
      expect: { status: 400, code: 'invalid-input', message: /control characters/, field: 'text' },
    },
    {
      name: 'an incident title with a bell and a backspace',
      call: { procedure: 'incident.declare', input: { lab, severity: 'SEV2', title: 'db down\u0007\u0008' } },
      expect: { status: 400, code: 'invalid-input', message: /control characters/, field: 'title' },
    },
    {
      name: 'a 1 MB note in the body',
      call: { procedure: 'incident.note', input: { lab, text: 'x'.repeat(MIB) } },
      expect: { status: 413, code: 'payload-too-large', message: /larger than 64 KiB/, fix: /smaller/ },
    },
    {
      name: 'a 1 MB input in the query string',
      call: { procedure: 'labs.info', input: { lab: 'x'.repeat(MIB) } },
      // Node refuses a request line over its 16 KiB header limit before the server sees it.
      expect: { status: 431, text: /^$/, orReset: true },
    },
    {
      name: 'a topology path with a NUL byte',
      call: { procedure: 'labs.topology', input: { topologyFile: '/tmp/topology\u0000.yaml' } },
      expect: {
        status: 400,
        code: 'invalid-input',
        message: /topology file \/tmp\/topology/,
        fix: /topology/,
      },
    },
    {
      name: 'a topology path over 4096 characters',
      call: { procedure: 'labs.topology', input: { topologyFile: `/${'a'.repeat(4096)}` } },
      expect: { status: 400, code: 'invalid-input', message: /4096/, field: 'topologyFile' },
    },
    {
      name: 'a scenario step timeout that is no duration',
      call: { procedure: 'scenarios.start', input: { lab, id: 'failover', stepTimeout: 'forever' } },
      expect: { status: 400, code: 'invalid-input', message: /duration/, field: 'stepTimeout' },
    },
    {
      name: 'an unknown pod fault',
      call: { procedure: 'actions.breakPods', input: { lab, deployment: 'frontend', mode: 'explode' } },
      expect: { status: 400, code: 'invalid-input', message: /crashloop/, field: 'mode' },
    },
    {
      name: 'a game day extended by 0 minutes',
      call: { procedure: 'gameday.extend', input: { lab, minutes: 0 } },
      expect: { status: 400, code: 'invalid-input', message: />=\s*1/, field: 'minutes' },
    },
    {
      name: 'an invite for a person whose name holds control characters',
      call: { procedure: 'share.invite', input: { lab, person: 'Eve\u0000\u001b[31m', role: 'observer' } },
      expect: { status: 400, code: 'invalid-input', message: /a name has letters/, field: 'person' },
    },
    {
      name: 'a dashboard variable whose name is no identifier',
      call: { procedure: 'dashboards.panel', input: { lab, uid: 'x', panelId: 1, vars: { 'a b': 'c' } } },
      expect: { status: 400, code: 'invalid-input', message: /vars/ },
    },
    {
      name: 'a task id that does not exist',
      call: { procedure: 'tasks.get', input: { id: 'no-such-task' } },
      expect: { status: 404, code: 'not-found', message: /no-such-task/ },
    },
    {
      name: 'an action on a lab that does not exist',
      call: { procedure: 'actions.healNode', input: { lab: 'ghost', node: 'frontend-1' } },
      expect: { status: 404, code: 'not-found', message: /ghost/, fix: /ghost/ },
    },
    {
      name: 'a node that is not in the lab',
      call: { procedure: 'actions.failNode', input: { lab, node: 'nosuch-9' } },
      expect: { status: 404, code: 'not-found', message: /nosuch-9/ },
    },
    {
      name: 'a Deployment that is not in the lab',
      call: { procedure: 'actions.scaleDeployment', input: { lab, name: 'nosuchservice', replicas: 2 } },
      expect: { status: 404, code: 'not-found', message: /nosuchservice/ },
    },
    {
      name: 'invalid UTF-8 bytes as the body',
      call: { procedure: 'labs.remove', body: Buffer.from([0xff, 0xfe, 0xfd, 0x80]) },
      expect: { status: 400, code: 'bad-request', message: /not valid JSON/ },
    },
    {
      name: 'invalid UTF-8 inside a JSON string',
      call: {
        procedure: 'labs.remove',
        body: Buffer.concat([Buffer.from('{"lab":"co'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
      },
      expect: { status: 400, code: 'invalid-input', message: /lab name/, field: 'lab' },
    },
    {
      name: 'JSON nested 100k levels deep',
      call: { procedure: 'labs.create', body: deep(100_000) },
      expect: { status: 413, code: 'payload-too-large', message: /64 KiB/ },
    },
    {
      name: 'JSON nested 30k levels deep, inside the size limit',
      call: { procedure: 'labs.create', body: deep(30_000) },
      expect: {
        status: 400,
        code: 'invalid-input',
        message: /expected string, received array/,
        field: 'name',
      },
    },
    {
      name: 'a batch whose members are unknown or wrong',
      run: async () => {
        const reply = await send({
          procedure: 'app.info,nope.x,labs.info',
          query: `?batch=1&input=${encodeURIComponent(JSON.stringify({ 2: { lab: 5 } }))}`,
        });
        expect(reply.status).toBe(207);
        const members = JSON.parse(reply.body) as {
          result?: unknown;
          error?: { data: { wire: WireLike } };
        }[];
        expect(members[0]?.result).toBeDefined();
        expectWire(members[1]!.error!.data.wire, { code: 'not-found', message: /nope\.x/ });
        expectWire(members[2]!.error!.data.wire, { code: 'invalid-input', message: /string/, field: 'lab' });
      },
    },
    {
      name: 'a batch of mutations that are all wrong',
      run: async () => {
        const reply = await send({
          procedure: 'actions.failNode,actions.healNode',
          query: '?batch=1',
          body: JSON.stringify({ 0: {}, 1: { lab, node: 'Not A Node' } }),
        });
        expect(reply.status).toBe(400);
        const members = JSON.parse(reply.body) as { error: { data: { wire: WireLike } } }[];
        expectWire(members[0]!.error.data.wire, { code: 'invalid-input', message: /lab/, field: 'lab' });
        expectWire(members[1]!.error.data.wire, {
          code: 'invalid-input',
          message: /object name/,
          field: 'node',
        });
      },
    },
    {
      name: 'a 10 MB body with its Content-Length: 413 before the body is sent',
      run: async () => {
        const socket = connect({ host: '127.0.0.1', port: app.port });
        let reply = '';
        socket.on('data', (d: Buffer) => (reply += String(d)));
        socket.on('error', () => undefined);
        socket.write(
          `POST ${api('labs.create')} HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${10 * MIB}\r\n\r\n`,
        );
        await waitFor('the refusal', () => reply.includes('\r\n\r\n{'), Boolean, 10_000, { intervalMs: 20 });
        socket.destroy();
        expect(reply).toMatch(/^HTTP\/1\.1 413 /);
        expect(reply).toContain('the request is larger than 64 KiB');
      },
    },
    {
      name: 'a 10 MB chunked body: 413 long before it is all sent',
      run: async () => {
        const chunk = Buffer.alloc(64 * KIB, 'a');
        let sent = 0;
        const reply = await new Promise<Reply & { sentWhenAnswered: number }>((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port: app.port,
              path: api('labs.create'),
              method: 'POST',
              headers: { host: `127.0.0.1:${app.port}`, 'content-type': 'application/json' },
            },
            (res) => {
              const sentWhenAnswered = sent;
              let body = '';
              res.on('data', (c: Buffer) => (body += String(c)));
              res.on('end', () => {
                // With its answer a client stops sending. The server stopped reading at the
                // limit, so the writes had backed up: what was sent is what the sockets hold.
                req.destroy();
                resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered });
              });
            },
          );
          req.on('error', reject);
          const pump = () => {
            while (sent < 10 * MIB && !req.destroyed) {
              sent += chunk.length;
              if (!req.write(chunk)) return void req.once('drain', pump);
            }
            req.end();
          };
          pump();
        });
        expectRefusal(reply, {
          status: 413,
          code: 'payload-too-large',
          message: /larger than 64 KiB/,
          fix: /smaller/,
        });
        expect(reply.sentWhenAnswered).toBeLessThan(10 * MIB);
      },
    },

    // tRPC over WebSocket
    {
      name: 'a WebSocket message that is a JSON number',
      run: badTrpcFrame('42', null, { code: 'parse-error', message: /not a tRPC request/, fix: /"method"/ }),
    },
    {
      name: 'a WebSocket message with an unknown method',
      run: badTrpcFrame(JSON.stringify({ id: 5, method: 'explode', params: {} }), null, {
        code: 'parse-error',
        message: /not a tRPC request: .*procedure type/,
      }),
    },
    {
      name: 'a WebSocket message whose id is an object',
      run: badTrpcFrame(
        JSON.stringify({ id: { a: 1 }, method: 'query', params: { path: 'app.info' } }),
        null,
        {
          code: 'parse-error',
          message: /request id/,
        },
      ),
    },
    {
      name: 'a subscription to a path that does not exist',
      run: badTrpcFrame(
        JSON.stringify({ id: 6, method: 'subscription', params: { path: 'cluster.nope', input: { lab } } }),
        6,
        { code: 'not-found', message: /cluster\.nope/ },
      ),
    },
    {
      name: 'a subscription to the map with a number for the lab',
      run: badTrpcFrame(
        JSON.stringify({
          id: 7,
          method: 'subscription',
          params: { path: 'cluster.watch', input: { lab: 42 } },
        }),
        7,
        { code: 'invalid-input', message: /string/, field: 'lab' },
      ),
    },
    {
      name: 'a binary WebSocket frame',
      run: badTrpcFrame(
        Buffer.from(JSON.stringify({ id: 8, method: 'query', params: { path: 'app.info' } })),
        null,
        {
          code: 'parse-error',
          message: /text frames/,
        },
      ),
    },
    {
      name: 'a WebSocket query nested 30k levels deep',
      run: badTrpcFrame(
        `{"id":9,"method":"query","params":{"path":"labs.info","input":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`,
        9,
        { code: 'invalid-input', message: /expected object/ },
      ),
    },
    {
      name: 'the same subscription id twice',
      run: async () => {
        const s = await trpcSocket();
        const m = JSON.stringify({
          id: 11,
          method: 'subscription',
          params: { path: 'timeline.watch', input: { lab } },
        });
        s.ws.send(m);
        s.ws.send(m);
        await waitFor('the duplicate refused', () => s.replies.find((r) => r.error), Boolean, 10_000);
        expectWire(s.replies.find((r) => r.error)!.error!.data.wire, { message: /Duplicate id 11/ });
        await s.close();
      },
    },
    {
      name: 'stopping a subscription that was never started',
      run: async () => {
        const s = await trpcSocket();
        s.ws.send(JSON.stringify({ id: 99, method: 'subscription.stop' }));
        s.ws.send(JSON.stringify({ id: 100, method: 'query', params: { path: 'app.info' } }));
        expect((await s.reply(100)).result).toMatchObject({ type: 'data' });
        await s.close();
      },
    },
    {
      name: 'a WebSocket frame over 64 KiB',
      run: async () => {
        const s = await trpcSocket();
        s.ws.send(
          JSON.stringify({
            id: 12,
            method: 'query',
            params: { path: 'labs.info', input: { lab: 'x'.repeat(70 * KIB) } },
          }),
        );
        await waitFor('the socket closed', s.closed, Boolean, 10_000);
        expect(s.closed()?.code).toBe(1009);
      },
    },
    {
      name: 'a text frame that is not UTF-8',
      run: async () => {
        const raw = await rawSocket(`/t/${app.token}/ws`);
        raw.send(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
        expect((await raw.closed()).code).toBe(1007);
      },
    },
    {
      name: 'a client frame without a mask',
      run: async () => {
        const raw = await rawSocket(`/t/${app.token}/ws`);
        raw.send(0x1, Buffer.from('{"id":1,"method":"query","params":{"path":"app.info"}}'), false);
        expect((await raw.closed()).code).toBe(1002);
      },
    },
    {
      name: 'frames after the close frame',
      run: async () => {
        const raw = await rawSocket(`/t/${app.token}/ws`);
        const closing = Buffer.alloc(2);
        closing.writeUInt16BE(1000);
        raw.send(0x8, closing);
        for (let i = 0; i < 20; i++)
          raw.send(0x1, Buffer.from(`{"id":${i},"method":"query","params":{"path":"app.info"}}`));
        expect((await raw.closed()).code).toBe(1000);
      },
    },
    {
      name: 'a map feed socket without the token',
      run: async () => {
        const status = await new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws`, { origin: app.origin });
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('error', () => undefined);
        });
        expect(status).toBe(401);
      },
    },

    // the terminal
    {
      name: 'a terminal frame that is not JSON',
      run: badTerminalFrame('ls -la\r', /not an input or resize/),
    },
    {
      name: 'a terminal message of an unknown type',
      run: badTerminalFrame('{"type":"exec","cmd":"rm -rf /"}', /not an input or resize/),
    },
    {
      name: 'terminal input that is not a string',
      run: badTerminalFrame('{"type":"input","data":42}', /not an input or resize/),
    },
    {
      name: 'a binary terminal frame',
      run: badTerminalFrame(Buffer.from('{"type":"input","data":"ls\\r"}'), /binary/),
    },
    {
      name: 'a resize to negative sizes',
      run: badTerminalFrame('{"type":"resize","cols":-80,"rows":-24}', /not an input or resize/),
    },
    {
      name: 'a resize to a billion columns',
      run: badTerminalFrame('{"type":"resize","cols":1000000000,"rows":24}', /not an input or resize/),
    },
    {
      name: 'a terminal frame over 64 KiB',
      run: async () => {
        const t = await terminal();
        t.ws.send(JSON.stringify({ type: 'input', data: 'x'.repeat(70 * KIB) }));
        await waitFor('the terminal closed', t.closed, Boolean, 10_000);
        expect(t.closed()?.code).toBe(1009);
      },
    },
    {
      name: 'a terminal text frame that is not UTF-8',
      run: async () => {
        const raw = await rawSocket(`/t/${app.token}/terminal?lab=${NAME}`);
        raw.send(0x1, Buffer.from([0x7b, 0xc3, 0x28, 0x7d]));
        expect((await raw.closed()).code).toBe(1007);
      },
    },

    // lab.json in KARTSTREAM_HOME
    { name: 'lab.json cut in half', run: brokenRecord('{"name":"broken-rec","backend":"si', /JSON/) },
    { name: 'lab.json that is not JSON', run: brokenRecord('name = broken-rec\n', /JSON/) },
    { name: 'an empty lab.json', run: brokenRecord('', /JSON/) },
    { name: 'lab.json holding an array', run: brokenRecord('[1,2,3]', /not a lab record/) },
    { name: 'lab.json holding null', run: brokenRecord('null', /not a lab record/) },
    {
      name: 'lab.json without its backend',
      run: brokenRecord(
        JSON.stringify({ name: 'broken-rec', state: 'ready' }),
        /backend: got nothing, expected one of sim, kind, external/,
      ),
    },
    {
      name: 'lab.json with an unknown backend',
      run: async () =>
        brokenRecord(JSON.stringify({ ...goodRecord(), backend: 'docker' }), /backend: got "docker"/)(),
    },
    {
      name: 'lab.json with a state that does not exist',
      run: async () =>
        brokenRecord(JSON.stringify({ ...goodRecord(), state: 'exploded' }), /state: got "exploded"/)(),
    },
    {
      name: 'lab.json with a number for the topology file',
      run: async () =>
        brokenRecord(JSON.stringify({ ...goodRecord(), topologyFile: 42 }), /topologyFile: got 42/)(),
    },
    {
      name: 'lab.json with a string for monitoring',
      run: async () =>
        brokenRecord(JSON.stringify({ ...goodRecord(), monitoring: 'yes' }), /monitoring: got "yes"/)(),
    },
    { name: 'lab.json of binary garbage', run: brokenRecord(randomBytes(512), /JSON/) },
    { name: 'lab.json that is a folder', run: brokenRecord('dir', /EISDIR/) },

    // the lab timeline
    {
      name: 'a timeline whose last line was cut in half',
      run: tornTimeline(
        `${entry('one', '2026-01-01T00:00:01Z')}\n${entry('two', '2026-01-01T00:00:02Z')}\n${entry('three', '2026-01-01T00:00:03Z').slice(0, 30)}`,
        ['one', 'two'],
        [3],
      ),
    },
    {
      name: 'a timeline with a garbage line in the middle',
      run: tornTimeline(
        `${entry('one', '2026-01-01T00:00:01Z')}\n#### not json ####\n${entry('three', '2026-01-01T00:00:03Z')}\n`,
        ['one', 'three'],
        [2],
      ),
    },
    {
      name: 'a timeline line that is JSON of the wrong shape',
      run: tornTimeline(
        `${entry('one', '2026-01-01T00:00:01Z')}\n{"kind":"note","text":42}\n${entry('three', '2026-01-01T00:00:03Z')}\n`,
        ['one', 'three'],
        [2],
      ),
    },
    {
      name: 'a timeline ending in NUL bytes (a crash before the data reached the disk)',
      run: tornTimeline(
        Buffer.concat([Buffer.from(`${entry('one', '2026-01-01T00:00:01Z')}\n`), Buffer.alloc(300)]),
        ['one'],
        [2],
      ),
    },

    // kubeconfigs that point nowhere
    {
      name: 'a kubeconfig pointing at a closed port',
      run: async () => kubeconfigCase(pointAt(`https://127.0.0.1:${closedPort}`), /ECONNREFUSED/)(),
    },
    {
      name: 'a kubeconfig pointing at a host that does not resolve',
      run: kubeconfigCase(pointAt('https://kartstream-nowhere.invalid:6443'), /ENOTFOUND|EAI_AGAIN/),
    },
    {
      name: 'a kubeconfig pointing at a server that accepts and never answers',
      run: async () =>
        kubeconfigCase(pointAt(`https://127.0.0.1:${blackHolePort}`), /did not answer within 20 s/)(),
      timeoutMs: 60_000,
    },
    {
      name: 'a missing kubeconfig',
      run: kubeconfigCase(() => undefined, /kubeconfig .*kc-lab\/kubeconfig does not exist/),
    },
    {
      name: 'a kubeconfig that is not YAML',
      run: kubeconfigCase(() => 'clusters: [\n  - name: {', /kubeconfig .*kc-lab\/kubeconfig cannot be used/),
    },
    {
      name: 'a kubeconfig that is YAML but no kubeconfig',
      run: kubeconfigCase(() => 'hello: world\n', /no current context/),
    },
    {
      name: 'the map of a lab whose API server never answers says it is offline',
      run: async () => {
        const dir = join(labsDir, 'kc-lab');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'lab.json'), JSON.stringify({ ...goodRecord(), name: 'kc-lab' }));
        writeFileSync(
          join(dir, 'kubeconfig'),
          pointAt(`https://127.0.0.1:${blackHolePort}`)(readFileSync(kubeconfig, 'utf8')),
        );
        try {
          feed.subscribe(2, 'kc-lab');
          const message = await feed.until('the map to say offline', () => feed.offline.get(2), 20_000);
          expect(message).toMatch(/kc-lab|answer|API/);
        } finally {
          feed.ws.send(JSON.stringify({ id: 2, method: 'subscription.stop' }));
          rmSync(dir, { recursive: true, force: true });
        }
      },
      timeoutMs: 60_000,
    },

    // a scenario file changed while its run goes on
    {
      name: 'a scenario file made invalid YAML while it runs',
      run: runWithChangedFile(() => 'steps: [\n  - id: heal\n    title: {'),
      timeoutMs: 360_000,
    },
    {
      name: 'a step removed from a scenario file while it runs',
      run: runWithChangedFile((text) => text.slice(0, text.indexOf('  - id: confirm'))),
      timeoutMs: 360_000,
    },
  ];

  beforeAll(async () => {
    mkdirSync(uiDir, { recursive: true });
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>KartStream</title><div id="root"></div>');
    blackHole = createServer((socket) => {
      held.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => blackHole.listen({ host: '127.0.0.1', port: 0 }, resolve));
    blackHolePort = (blackHole.address() as { port: number }).port;
    closedPort = await freePort();
    const up = await cli(['up', '--backend', 'sim', '--name', NAME, '--no-monitoring']);
    expect(up.exitCode, up.stderr).toBe(0);
    app = await startServe({
      home: temp.home,
      env: { KARTSTREAM_RENDERER_DIR: uiDir },
      args: ['--port', '0', '--name', NAME],
    });
    feed = await openFeed();
    node = await feed.until(
      'the map to list a frontend node',
      () => [...feed.nodes.values()].find((n) => n.pool === 'frontend')?.name,
      60_000,
    );
  }, 900_000);

  afterAll(async () => {
    feed?.ws.terminate();
    const stopped = await app?.stop();
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => blackHole?.close(resolve));
    await cli(['down', '--name', NAME]);
    temp.cleanup();
    expect(stopped?.exited ?? true).toBe(true);
  }, 300_000);

  it('holds at least 50 cases, each named once', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    it(c.name, { timeout: ('timeoutMs' in c ? c.timeoutMs : undefined) ?? 90_000 }, async () => {
      if ('call' in c) {
        const want = c.expect;
        const reply = await send(c.call).catch((error: NodeJS.ErrnoException) => {
          if ('orReset' in want && want.orReset && ['ECONNRESET', 'EPIPE'].includes(error.code ?? ''))
            return undefined;
          throw error;
        });
        if (reply === undefined) {
          // Refused by closing the connection: nothing to read; the server must still be usable.
        } else if ('text' in c.expect) {
          expect(reply.status).toBe(c.expect.status);
          expect(reply.body).toMatch(c.expect.text);
        } else expectRefusal(reply, c.expect);
      } else await c.run();
      await stillUsable();
    });
  }

  it('logged no crash and no stack', () => {
    expect(app.stderr()).not.toMatch(/\n\s+at .+:\d+:\d+|uncaught|unhandled/i);
  });
});
