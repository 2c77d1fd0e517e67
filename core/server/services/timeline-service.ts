// `timeline.*` and `incident.*`: the lab timeline as the caller may see it (now, and live by
// re-reading the file when it grows), and the incident workflow, which writes one entry per call.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { TimelineView } from '../../contract/incident-types.ts';
import type { TimelineViewer } from '../../contract/roles.ts';
import type { KartStreamServices } from '../../contract/services.ts';
import { labTimelineFile } from '../../home/paths.ts';
import { incidentFigures, incidentState } from '../../lab/incident-figures.ts';
import { requireLabRecord } from '../../lab/lab-record.ts';
import { appendLabTimeline, readLabTimeline } from '../../lab/lab-timeline.ts';
import { visibleTimeline } from '../../lab/timeline-visibility.ts';
import { sleep } from '../../tasks/wait.ts';

/** How often the live timeline checks its file for new entries. */
const WATCH_TICK_MS = 300;

export const timelineView = async (lab: string, viewer: TimelineViewer): Promise<TimelineView> => {
  const { entries, skippedLines } = await readLabTimeline(lab);
  // The figures count every inject, seen or not: the clock starts when the fault did.
  return {
    lab,
    entries: visibleTimeline(entries, viewer),
    ...(skippedLines.length > 0 ? { skipped: { file: labTimelineFile(lab), lines: skippedLines } } : {}),
    incident: incidentState(entries),
    figures: incidentFigures(entries),
  };
};

const fileStamp = async (lab: string): Promise<string> => {
  const file = labTimelineFile(lab);
  if (!existsSync(file)) return 'none';
  const s = await stat(file);
  return `${s.size}:${s.mtimeMs}`;
};

export const createTimelineService = (): KartStreamServices['timeline'] => ({
  list: async (lab, viewer) => {
    await requireLabRecord(lab);
    return timelineView(lab, viewer);
  },
  watch: async function* (lab, viewer, signal) {
    await requireLabRecord(lab);
    let last: string | undefined;
    while (!signal.aborted) {
      const stamp = await fileStamp(lab);
      if (stamp !== last) {
        last = stamp;
        yield await timelineView(lab, viewer);
      }
      await sleep(WATCH_TICK_MS, signal).catch((error: unknown) => {
        if (!signal.aborted) throw error;
      });
    }
  },
});

export const createIncidentService = (): KartStreamServices['incident'] => {
  const write = async (lab: string, entry: Parameters<typeof appendLabTimeline>[1]) => {
    await requireLabRecord(lab);
    return appendLabTimeline(lab, entry);
  };
  return {
    declare: ({ lab, severity, title }, actor) =>
      write(lab, {
        kind: 'incident',
        actor,
        text: `incident declared (${severity}): ${title}`,
        data: { event: 'declared', severity, title },
      }),
    severity: ({ lab, severity }, actor) =>
      write(lab, {
        kind: 'incident',
        actor,
        text: `severity set to ${severity}`,
        data: { event: 'severity', severity },
      }),
    milestone: ({ lab, name }, actor) =>
      write(lab, { kind: 'milestone', actor, text: `milestone: ${name}`, data: { name } }),
    note: ({ lab, text }, actor) => write(lab, { kind: 'note', actor, text }),
  };
};
