// Two recorders of one lab (a shared server and `gameday run` in another process) write each
// audited change once: only the holder of the lab's recorder lock writes, and a recorder takes
// the lock over when its holder dies. The other process is a real one (`sleep`) whose pid holds
// the lock.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditChange } from '../../../core/lab/audit-log.ts';
import { readLabTimeline } from '../../../core/lab/lab-timeline.ts';
import { labDir } from '../../../core/home/paths.ts';
import { startTimelineRecorder } from '../../../core/server/timeline-recorder.ts';
import { waitFor } from '../../helpers/wait.ts';

const LAB = 'recorder-lock';

/** An audit source the test feeds by hand; `handled` resolves once the recorder is done with all pushed. */
const feed = () => {
  const queue: AuditChange[] = [];
  let wake: (() => void) | undefined;
  let idle: (() => void) | undefined;
  return {
    push(change: AuditChange) {
      queue.push(change);
      wake?.();
    },
    // The recorder asks for the next change only after it has written (or left out) the last.
    handled: () => new Promise<void>((resolve) => (idle = resolve)),
    source: async function* (_lab: string, signal: AbortSignal) {
      signal.addEventListener('abort', () => wake?.());
      while (!signal.aborted) {
        const next = queue.shift();
        if (next) yield next;
        else {
          idle?.();
          await new Promise<void>((resolve) => (wake = resolve));
        }
      }
    },
  };
};

const change = (name: string): AuditChange => ({
  at: new Date().toISOString(),
  actor: 'Oona',
  verb: 'patch',
  resource: 'deployments/scale',
  namespace: 'shop',
  name,
  text: `Oona scaled deployment ${name} in shop`,
});

describe('the timeline recorder lock', () => {
  const home = mkdtempSync(join(tmpdir(), 'kartstream-recorder-lock-'));
  const previous = process.env.KARTSTREAM_HOME;
  beforeAll(() => {
    process.env.KARTSTREAM_HOME = home;
    mkdirSync(labDir(LAB), { recursive: true });
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.KARTSTREAM_HOME;
    else process.env.KARTSTREAM_HOME = previous;
    rmSync(home, { recursive: true, force: true });
  });

  it('writes an audited change only while it holds the lock, and takes it over from a dead holder', async () => {
    const other = execa('sleep', ['120'], { reject: false });
    writeFileSync(join(labDir(LAB), 'timeline-recorder.pid'), String(other.pid));
    const audit = feed();
    const recorder = startTimelineRecorder(LAB, { audit: audit.source, tickMs: 50 });
    try {
      // The other process records this one: this recorder leaves it out.
      const handled = audit.handled();
      audit.push(change('while-the-other-records'));
      await handled;
      other.kill('SIGKILL');
      await other;
      // The holder is gone: the next change is this recorder's to write.
      audit.push(change('after-the-other-died'));
      const { entries } = await waitFor(
        'the change read after the holder died',
        () => readLabTimeline(LAB),
        (t) => t.entries.some((e) => e.text.includes('after-the-other-died')),
        10_000,
      );
      const changes = entries.filter((e) => e.kind === 'change').map((e) => e.text);
      expect(changes).toEqual(['Oona scaled deployment after-the-other-died in shop']);
    } finally {
      await recorder.stop();
    }
  });
});
