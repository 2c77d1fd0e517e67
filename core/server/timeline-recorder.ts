// The lab timeline's recorder (docs/gameday.md): while a lab is shared or a game day runs, it
// writes what happens in the lab into the lab's timeline: Warning events, alert state changes,
// commands typed in the lab shell, and audited changes with their person. Notes, milestones,
// injects and share events are written where they happen. One process records a lab at a time
// (a lock file with its pid), so `serve --share` and `gameday run` do not write everything twice.
import { existsSync } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CoreV1Event } from '@kubernetes/client-node';
import { LOCAL_ACTOR, SYSTEM_ACTOR } from '../contract/timeline-types.ts';
import { describeError } from '../errors/kartstream-error.ts';
import { isAlive } from '../exec/process-alive.ts';
import { commandsFile, labDir } from '../home/paths.ts';
import { kubeClients } from '../kube/kube-client.ts';
import { appendLabTimeline } from '../lab/lab-timeline.ts';
import { requireLabRecord } from '../lab/lab-record.ts';
import { labAlerts, type LabAlert } from '../monitoring/lab-alerts.ts';
import { sleep } from '../tasks/wait.ts';
import { auditLogSource, type AuditChangeSource } from './audit-change-source.ts';
import { openKnownLab } from './services/labs-service.ts';
import { labMonitoring } from './services/alert-monitoring.ts';
import { alertChanges, alertChangeText, firingAlerts } from './timeline-alert-changes.ts';

/** How often events, alerts and the commands file are read. */
export const RECORD_TICK_MS = 1_000;

export interface RecorderOptions {
  /** Where audited changes come from: the lab's API server audit log unless given. */
  audit?: AuditChangeSource;
  tickMs?: number;
  /** Where a failing source is reported (it keeps trying). */
  log?: (line: string) => void;
}

const lockFile = (lab: string) => join(labDir(lab), 'timeline-recorder.pid');

/** Whether this process records the lab now: it holds the lock, or takes it from a dead holder. */
const holdLock = async (lab: string): Promise<boolean> => {
  const holder = Number(await readFile(lockFile(lab), 'utf8').catch(() => ''));
  if (holder === process.pid) return true;
  if (holder && isAlive(holder)) return false;
  await writeFile(lockFile(lab), String(process.pid), { mode: 0o600 });
  return true;
};

const eventTime = (e: CoreV1Event): string => {
  const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return (at ? new Date(at) : new Date()).toISOString();
};

/** Warning events new since the last read (an event seen again with a higher count is new). */
const warningEvents = (lab: string) => {
  const seen = new Map<string, number>();
  // Events are stamped to the second: what happened before this second is history, not news.
  const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  let first = true;
  return async () => {
    const { lab: context } = await openKnownLab(lab);
    const { items } = await kubeClients(context.kubeconfigPath).core.listEventForAllNamespaces({
      fieldSelector: 'type=Warning',
    });
    for (const e of items) {
      const key = e.metadata?.uid ?? `${e.metadata?.namespace}/${e.metadata?.name}`;
      const count = e.count ?? e.series?.count ?? 1;
      const before = seen.get(key);
      seen.set(key, count);
      if (before === undefined ? first && eventTime(e) < since : before >= count) continue;
      const object = `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`;
      await appendLabTimeline(lab, {
        kind: 'warning',
        actor: SYSTEM_ACTOR,
        at: eventTime(e),
        text: `${e.reason ?? 'Warning'} ${object}: ${e.message ?? ''}`.trim(),
        data: { reason: e.reason, object, namespace: e.involvedObject?.namespace, count },
      });
    }
    first = false;
  };
};

const alertStates = (lab: string) => {
  let before: Map<string, LabAlert> | undefined;
  return async () => {
    const found = await labMonitoring(await requireLabRecord(lab));
    if ('reason' in found) return;
    const now = firingAlerts(await labAlerts(found.monitoring));
    for (const change of before ? alertChanges(before, now) : [])
      await appendLabTimeline(lab, {
        kind: 'alert',
        actor: SYSTEM_ACTOR,
        text: alertChangeText(change),
        data: { state: change.state, name: change.alert.name, severity: change.alert.severity },
      });
    before = now;
  };
};

/** Lines appended to the lab's commands file since recording began (the local user's shell). */
const shellCommands = (lab: string) => {
  const file = commandsFile(lab);
  let offset: number | undefined;
  return async () => {
    const size = existsSync(file) ? (await stat(file)).size : 0;
    if (offset === undefined || size < offset) offset = size;
    if (size === offset) return;
    const handle = await open(file, 'r');
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset).finally(() => handle.close());
    const text = buffer.toString('utf8');
    const complete = text.lastIndexOf('\n') + 1;
    // Read past a line only once it is recorded: one that cannot be written (a full disk) is
    // tried again at the next tick.
    for (const line of text.slice(0, complete).split('\n').slice(0, -1)) {
      const parsed = parseCommandLine(line);
      if (parsed.command)
        await appendLabTimeline(lab, {
          kind: 'command',
          actor: LOCAL_ACTOR,
          text: parsed.command,
          data: { source: parsed.source ?? 'shell' },
        });
      offset += Buffer.byteLength(`${line}\n`);
    }
  };
};

// A line of the commands file; a torn or hand-edited one reads as no command.
const parseCommandLine = (line: string): { command?: string; source?: string } => {
  try {
    return (JSON.parse(line) as { command?: string; source?: string } | null) ?? {};
  } catch {
    return {};
  }
};

// Every recorder follows the audit log, but only the lock's holder writes what it reads: two
// recorders of one lab (a shared server and `gameday run`) would otherwise write each change
// twice. A change read while a dead holder's lock is being taken over is written by the taker.
const auditChanges = async (
  lab: string,
  source: AuditChangeSource,
  signal: AbortSignal,
  log: (line: string) => void,
  tick: number,
) => {
  for await (const change of source(lab, signal)) {
    if (!(await holdLock(lab).catch(() => false))) continue;
    // The audit log is not read again: a change that cannot be written (a full disk) is tried
    // again each tick until it is, said once.
    for (let said = false; !signal.aborted;) {
      try {
        await appendLabTimeline(lab, {
          kind: 'change',
          actor: change.actor,
          at: change.at,
          text: change.text,
          data: {
            verb: change.verb,
            resource: change.resource,
            namespace: change.namespace,
            name: change.name,
          },
        });
        break;
      } catch (error) {
        if (!said) log(`timeline: cannot record the audited changes of lab ${lab}: ${describeError(error)}`);
        said = true;
        await sleep(tick, signal).catch(() => undefined);
      }
    }
  }
};

export interface Recorder {
  stop(): Promise<void>;
}

export const startTimelineRecorder = (lab: string, options: RecorderOptions = {}): Recorder => {
  const controller = new AbortController();
  const { signal } = controller;
  const log = options.log ?? (() => undefined);
  const tick = options.tickMs ?? RECORD_TICK_MS;
  const sources = {
    'Warning events': warningEvents(lab),
    alerts: alertStates(lab),
    commands: shellCommands(lab),
  };
  const failing = new Set<string>();
  const polling = (async () => {
    while (!signal.aborted) {
      if (await holdLock(lab).catch(() => false))
        for (const [name, read] of Object.entries(sources)) {
          // A source that fails (the lab offline, no monitoring) is said once and tried again.
          await read().then(
            () => failing.delete(name),
            (error: unknown) => {
              if (!failing.has(name))
                log(`timeline: cannot record the ${name} of lab ${lab}: ${describeError(error)}`);
              failing.add(name);
            },
          );
        }
      await sleep(tick, signal).catch(() => undefined);
    }
  })();
  const audit = auditChanges(lab, options.audit ?? auditLogSource, signal, log, tick).catch(
    (error: unknown) => {
      if (!signal.aborted) log(`timeline: the audited changes of lab ${lab} stopped: ${String(error)}`);
    },
  );
  return {
    stop: async () => {
      controller.abort();
      await Promise.all([polling, audit]);
      if (Number(await readFile(lockFile(lab), 'utf8').catch(() => '')) === process.pid)
        await rm(lockFile(lab), { force: true });
    },
  };
};

// Why each lab is recorded in this process (`share`, `gameday`): it records while any holds.
const recording = new Map<string, { reasons: Set<string>; recorder: Recorder }>();

/**
 * Records the lab's timeline for `reason` until the returned function is called; the game-day
 * runner and the share listener each call it.
 */
export const recordLabTimeline = (
  lab: string,
  reason: string,
  options: RecorderOptions = {},
): (() => Promise<void>) => {
  let entry = recording.get(lab);
  if (!entry)
    recording.set(lab, (entry = { reasons: new Set(), recorder: startTimelineRecorder(lab, options) }));
  entry.reasons.add(reason);
  const held = entry;
  return async () => {
    held.reasons.delete(reason);
    if (held.reasons.size > 0 || recording.get(lab) !== held) return;
    recording.delete(lab);
    await held.recorder.stop();
  };
};
