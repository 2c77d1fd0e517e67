// Soak benchmark (issue #19): a sim lab with monitoring, `kartstream serve` and the map open in
// Chromium for [minutes] (default 60). Every 20-40 s a random fault or repair from the scenario
// actions through the server's API (node fail/heal, pool scale, pods broken/healed, Deployments
// scaled); every 4th turn a scenario is started or aborted, every 3rd a terminal is opened, made
// to print a known sequence and closed. Every 10 s it records the RSS and open descriptors of the
// server, its children and the lab's processes, the server's connections, and the sizes of the
// timeline and log files. At the end: the server's RSS growth over the last 75 % of the run
// <= 10 %, every timeline file valid JSON Lines, no terminal output lost, and after `down` no
// process and no descriptor left behind. Exits non-zero when a check fails.
// Run: npx tsx bench/soak.ts [minutes]   (sim binaries cached)
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { growthAfter, jsonLinesProblems } from './soak-checks.ts';
import { apiClient, Unrest } from './soak-driver.ts';
import {
  connectionsTo,
  descendantsOf,
  fdTargets,
  filesUnder,
  inotifyWatches,
  processesOfHome,
  processTable,
  rssMb,
  type Proc,
} from './soak-probes.ts';
import { terminalSession, type TerminalResult } from './soak-terminal.ts';
import {
  benchHome,
  launchChromium,
  onCleanup,
  openMap,
  REPO,
  runBench,
  sleep,
  startServe,
  until,
} from './ui-helpers.ts';

const MINUTES = Number(process.argv[2] ?? 60);
if (!(MINUTES > 0)) throw new Error(`soak: minutes must be a positive number, got "${process.argv[2]}"`);
const LAB = 'soak';
const SAMPLE_MS = 10_000;
const TERMINAL_LINES = 5_000;
const MAX_GROWTH = 0.1;
const OUT = join(REPO, 'test-results', 'bench');
const SAMPLES_FILE = join(OUT, 'soak-samples.jsonl');

interface Usage {
  rss: number;
  fds: number;
  count: number;
}

interface Snapshot {
  atMs: number;
  server: Usage;
  /** Processes the server started (terminal shells, kubectl, helpers) and still running. */
  serverChildren: number;
  childrenRss: number;
  /** Established TCP connections to the server (the page's WebSocket, HTTP keep-alive). */
  connections: number;
  /** The lab's processes by name (kube-apiserver, etcd, kwok, prometheus, ...). */
  lab: Record<string, Usage>;
  chromiumRss: number;
  timelineBytes: number;
  logBytes: number;
}

const usageOf = (procs: readonly Proc[]): Usage => ({
  rss: procs.reduce((sum, p) => sum + rssMb(p.pid), 0),
  fds: procs.reduce((sum, p) => sum + fdTargets(p.pid).length, 0),
  count: procs.length,
});

const isTimeline = (path: string) => path.endsWith('.jsonl');
const isLog = (path: string) => /(\.log|log\.txt)$/.test(path);

await runBench(async () => {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(SAMPLES_FILE, '');
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  log(
    `soak: ${MINUTES} min; lab ${LAB} (sim, monitoring), serve, the map in Chromium; samples in ${SAMPLES_FILE}`,
  );

  const home = benchHome('soak');
  const homeDir = home.env.KARTSTREAM_HOME ?? '';
  let downed = false;
  onCleanup(`kartstream down --name ${LAB}`, async () => {
    if (!downed) await home.cli('down', '--name', LAB);
  });
  await home.cli('up', '--backend', 'sim', '--name', LAB);
  const served = await startServe(home, LAB);
  const port = Number(new URL(served.url).port);
  const api = apiClient(served.url);
  const unrest = await Unrest.of(api, LAB);
  // The server idle with the lab up, before any page: what it should be back to after `down`
  // (once HTTP keep-alive connections have timed out, 5 s).
  await sleep(8_000);
  const idleFds = fdTargets(served.pid);
  // tsx's esbuild service runs beside the server from its start; only later children count.
  const idleChildren = new Set(descendantsOf(served.pid, processTable()).map((p) => p.pid));
  log(`serve pid ${served.pid} at ${served.url}: ${rssMb(served.pid).toFixed(0)} MB, ${idleFds.length} fds`);

  const browser = await launchChromium();
  const page = await openMap(browser, served.url, LAB);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  // ---- sampling ----
  const started = Date.now();
  const snapshots: Snapshot[] = [];
  const sample = (): Snapshot => {
    const table = processTable();
    const ours = processesOfHome(homeDir, table);
    const serverTree = new Set([served.pid, ...descendantsOf(served.pid, table).map((p) => p.pid)]);
    const children = table.filter(
      (p) => serverTree.has(p.pid) && p.pid !== served.pid && !idleChildren.has(p.pid),
    );
    const labProcs = new Map<string, Proc[]>();
    for (const p of ours.filter((x) => !serverTree.has(x.pid)))
      labProcs.set(p.name, [...(labProcs.get(p.name) ?? []), p]);
    const oursPids = new Set(ours.map((p) => p.pid));
    const chromium = descendantsOf(process.pid, table).filter((p) => !oursPids.has(p.pid));
    const files = filesUnder(homeDir);
    const s: Snapshot = {
      atMs: Date.now() - started,
      server: usageOf(table.filter((p) => p.pid === served.pid)),
      serverChildren: children.length,
      childrenRss: usageOf(children).rss,
      connections: connectionsTo(port),
      lab: Object.fromEntries([...labProcs].map(([name, procs]) => [name, usageOf(procs)])),
      chromiumRss: usageOf(chromium).rss,
      timelineBytes: files.filter((f) => isTimeline(f.path)).reduce((n, f) => n + f.bytes, 0),
      logBytes: files.filter((f) => isLog(f.path)).reduce((n, f) => n + f.bytes, 0),
    };
    snapshots.push(s);
    appendFileSync(SAMPLES_FILE, `${JSON.stringify(s)}\n`);
    return s;
  };
  let lastReport = 0;
  const sampler = setInterval(() => {
    const s = sample();
    if (s.atMs - lastReport >= 60_000) {
      lastReport = s.atMs;
      const labRss = Object.values(s.lab).reduce((n, u) => n + u.rss, 0);
      log(
        `${(s.atMs / 60_000).toFixed(1)} min: server ${s.server.rss.toFixed(0)} MB, ${s.server.fds} fds, ` +
          `${s.serverChildren} children, ${s.connections} connections; lab ${labRss.toFixed(0)} MB; ` +
          `Chromium ${s.chromiumRss.toFixed(0)} MB; timelines ${(s.timelineBytes / 1024).toFixed(0)} KB, logs ${(s.logBytes / 1024 / 1024).toFixed(1)} MB`,
      );
    }
  }, SAMPLE_MS);
  onCleanup('stopping the sampler', async () => clearInterval(sampler));
  sample();

  // ---- unrest ----
  const terminals: TerminalResult[] = [];
  const end = started + MINUTES * 60_000;
  for (let turn = 1; Date.now() < end; turn += 1) {
    await sleep(Math.min(20_000 + Math.random() * 20_000, Math.max(0, end - Date.now())));
    if (Date.now() >= end) break;
    const did = [await unrest.fault()];
    if (turn % 4 === 0) did.push(await unrest.toggleScenario());
    if (turn % 3 === 0) {
      // The page's terminal panel too (its own WebSocket and shell), open while the check runs.
      const toggle = page.getByTestId('terminal-toggle');
      await toggle.click({ timeout: 10_000 }).catch(() => undefined);
      const result = await terminalSession(served.url, LAB, `soak${turn}`, TERMINAL_LINES);
      await toggle.click({ timeout: 10_000 }).catch(() => undefined);
      terminals.push(result);
      if (result.output !== undefined)
        writeFileSync(join(OUT, `soak-terminal-soak${turn}.txt`), JSON.stringify(result.output));
      did.push(
        `terminal ${result.complete ? 'complete' : `INCOMPLETE (missing ${result.missingCount}, ${result.error ?? ''})`} in ${result.ms} ms`,
      );
    }
    log(`turn ${turn}: ${did.join('; ')}`);
  }
  clearInterval(sampler);
  sample();
  const runMs = Date.now() - started;

  // ---- wind down ----
  log('putting the lab back (abort the scenario, heal, first sizes)');
  await unrest.restore();
  const loaded = await page
    .locator('[data-testid="cluster-map"][data-loaded="true"]')
    .count()
    .catch(() => 0);
  const timelineFiles = filesUnder(homeDir).filter((f) => isTimeline(f.path));
  const badTimelines = timelineFiles.flatMap((f) =>
    jsonLinesProblems(readFileSync(f.path, 'utf8'))
      .slice(0, 3)
      .map((p) => `${f.path.slice(homeDir.length + 1)}: ${p}`),
  );
  await browser.close();
  await sleep(8_000); // keep-alive connections time out
  const beforeDown = sample();
  log(`kartstream down --name ${LAB} (serve still running)`);
  await home.cli('down', '--name', LAB);
  downed = true;
  const notServer = (p: Proc) => p.pid !== served.pid && !idleChildren.has(p.pid);
  const labGone = await until(
    async () => processesOfHome(homeDir, processTable()).every((p) => !notServer(p)),
    30_000,
  );
  const afterDownProcs = processesOfHome(homeDir, processTable()).filter(notServer);
  const serverChildrenAfter = descendantsOf(served.pid, processTable()).filter(
    (p) => !idleChildren.has(p.pid),
  );
  await sleep(8_000);
  const afterDownFds = fdTargets(served.pid);
  const labPath = join(homeDir, 'labs', LAB);
  const fdsIntoLab = afterDownFds.filter((t) => t.startsWith(labPath));
  // libuv opens one inotify descriptor at the first fs.watch and keeps it for the process's life;
  // what would be left behind is a watch in it, so it counts only while it holds one.
  const watchesAfterDown = inotifyWatches(served.pid);
  const idleInotify = idleFds.filter((t) => t === 'anon_inode:inotify').length;
  const keptInotify = afterDownFds.filter((t) => t === 'anon_inode:inotify').length - idleInotify;
  const extraFds =
    afterDownFds.length - idleFds.length - (watchesAfterDown === 0 ? Math.max(0, keptInotify) : 0);
  const afterDownRss = rssMb(served.pid);
  await served.stop();
  await sleep(3_000);
  const leftAfterStop = processesOfHome(homeDir, processTable());

  // ---- report ----
  const at = (fraction: number) =>
    snapshots.find((s) => s.atMs >= fraction * runMs) ?? snapshots.at(-1) ?? snapshots[0]!;
  const [first, quarter, last] = [snapshots[0]!, at(0.25), snapshots.filter((s) => s.atMs <= runMs).at(-1)!];
  const rows: [string, (s: Snapshot) => number, number][] = [
    ['server RSS (MB)', (s) => s.server.rss, 0],
    ['server open fds', (s) => s.server.fds, 0],
    ['server child processes', (s) => s.serverChildren, 0],
    ['connections to the server', (s) => s.connections, 0],
    ...Object.keys(last.lab)
      .sort()
      .flatMap((name): [string, (s: Snapshot) => number, number][] => [
        [`lab ${name} RSS (MB)`, (s) => s.lab[name]?.rss ?? 0, 0],
        [`lab ${name} fds`, (s) => s.lab[name]?.fds ?? 0, 0],
      ]),
    ['Chromium RSS (MB)', (s) => s.chromiumRss, 0],
    ['timeline files (KB)', (s) => s.timelineBytes / 1024, 0],
    ['log files (MB)', (s) => s.logBytes / 1024 / 1024, 1],
  ];
  console.log(
    `\n| what (${(runMs / 60_000).toFixed(1)} min, ${snapshots.length} samples) | start | 25 % | end | end / 25 % |`,
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const [what, f, digits] of rows) {
    const q = f(quarter);
    console.log(
      `| ${what} | ${f(first).toFixed(digits)} | ${q.toFixed(digits)} | ${f(last).toFixed(digits)} | ${q > 0 ? (f(last) / q).toFixed(2) : '—'} |`,
    );
  }
  const maxRss = Math.max(...snapshots.map((s) => s.server.rss));
  console.log(
    `server RSS max ${maxRss.toFixed(0)} MB; before down ${beforeDown.server.rss.toFixed(0)} MB, after down ${afterDownRss.toFixed(0)} MB`,
  );
  console.log('\nactions (ok / failed, first errors):');
  for (const [action, c] of unrest.tally.counts)
    console.log(`  ${action}: ${c.ok} / ${c.failed}${c.errors.length ? `  ${c.errors.join(' | ')}` : ''}`);
  console.log(
    `terminals: ${terminals.length} sessions of ${TERMINAL_LINES} lines, ${terminals.filter((t) => t.complete).length} complete; ` +
      `page errors: ${pageErrors.length}${pageErrors.length ? ` (${pageErrors.slice(0, 3).join(' | ')})` : ''}; map still loaded at the end: ${loaded > 0}`,
  );

  const growth = growthAfter(
    snapshots.map((s) => ({ atMs: s.atMs, value: s.server.rss })),
    runMs,
  );
  const lostTerminals = terminals.filter((t) => !t.complete);
  const checks: [string, boolean, string][] = [
    [
      'server RSS growth over the last 75 % <= 10 %',
      growth !== undefined && growth.growth <= MAX_GROWTH,
      growth
        ? `${growth.start.toFixed(0)} -> ${growth.end.toFixed(0)} MB (medians), ${(growth.growth * 100).toFixed(1)} %`
        : 'too few samples',
    ],
    [
      'every timeline file valid JSON Lines',
      badTimelines.length === 0,
      `${timelineFiles.length} files${badTimelines.length ? `: ${badTimelines.slice(0, 5).join('; ')}` : ''}`,
    ],
    [
      'no terminal output lost',
      terminals.length > 0 && lostTerminals.length === 0,
      `${terminals.length - lostTerminals.length} of ${terminals.length} sessions whole` +
        (lostTerminals.length
          ? `; e.g. missing ${lostTerminals[0]!.missingCount}, ${lostTerminals[0]!.error ?? ''}`
          : ''),
    ],
    [
      'no process left after down',
      labGone &&
        afterDownProcs.length === 0 &&
        serverChildrenAfter.length === 0 &&
        leftAfterStop.length === 0,
      [
        `lab processes left: ${afterDownProcs.map((p) => `${p.pid} ${p.name}`).join(', ') || 'none'}`,
        `server children: ${serverChildrenAfter.map((p) => `${p.pid} ${p.args.slice(0, 60)}`).join(', ') || 'none'}`,
        `after serve stopped: ${leftAfterStop.map((p) => `${p.pid} ${p.name}`).join(', ') || 'none'}`,
      ].join('; '),
    ],
    [
      'no descriptor left after down',
      extraFds <= 0 && fdsIntoLab.length === 0,
      `server fds ${idleFds.length} idle before the page, ${afterDownFds.length} after down; into the lab dir: ${fdsIntoLab.length}; inotify watches ${watchesAfterDown}` +
        (extraFds > 0 ? `; new: ${newTargets(idleFds, afterDownFds).join(', ')}` : ''),
    ],
  ];
  console.log('\n| check | verdict | figures |\n|---|---|---|');
  for (const [what, ok, figures] of checks) console.log(`| ${what} | ${ok ? 'PASS' : 'FAIL'} | ${figures} |`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
});

/** Descriptor kinds that are new after, with their counts (`socket ×3`, a path). */
function newTargets(before: readonly string[], after: readonly string[]): string[] {
  const kind = (t: string) => (t.startsWith('socket:') ? 'socket' : t);
  const count = (list: readonly string[]) => {
    const m = new Map<string, number>();
    for (const t of list) m.set(kind(t), (m.get(kind(t)) ?? 0) + 1);
    return m;
  };
  const [b, a] = [count(before), count(after)];
  return [...a].filter(([k, n]) => n > (b.get(k) ?? 0)).map(([k, n]) => `${k} ×${n - (b.get(k) ?? 0)}`);
}
