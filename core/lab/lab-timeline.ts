// Append to and read a lab's shared timeline (core/contract/timeline-types.ts). Appends are one
// write of one line each, so concurrent writers (server, CLI, audit tailer) never interleave
// inside a line; a reader skips a torn or invalid line and says where it was.
import { appendFile, open, readFile, type FileHandle } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { labTimelineFile } from '../home/paths.ts';
import { ensurePrivateDir } from '../home/private-files.ts';
import { writeFailure } from '../home/write-failure.ts';
import { timelineEntrySchema, type TimelineEntry } from '../contract/timeline-types.ts';

export type NewTimelineEntry = Omit<TimelineEntry, 'at'> & { at?: string };

const endsMidLine = async (file: string): Promise<boolean> => {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  } finally {
    await handle?.close();
  }
};

export const appendLabTimeline = async (lab: string, entry: NewTimelineEntry): Promise<TimelineEntry> => {
  const full = timelineEntrySchema.parse({ ...entry, at: entry.at ?? new Date().toISOString() });
  const file = labTimelineFile(lab);
  try {
    await ensurePrivateDir(dirname(file));
    // After a torn last line the entry starts a line of its own, or it would be lost with it.
    const start = (await endsMidLine(file)) ? '\n' : '';
    await appendFile(file, `${start}${JSON.stringify(full)}\n`, { mode: 0o600 });
  } catch (error) {
    throw writeFailure(file, "the lab's timeline", error);
  }
  return full;
};

export interface TimelineRead {
  entries: TimelineEntry[];
  /** Lines that could not be read (a crash mid-write, a hand edit): 1-based line numbers. */
  skippedLines: number[];
}

export const readLabTimeline = async (lab: string): Promise<TimelineRead> => {
  const file = labTimelineFile(lab);
  if (!existsSync(file)) return { entries: [], skippedLines: [] };
  const entries: TimelineEntry[] = [];
  const skippedLines: number[] = [];
  (await readFile(file, 'utf8')).split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      entries.push(timelineEntrySchema.parse(JSON.parse(line)));
    } catch {
      skippedLines.push(i + 1);
    }
  });
  entries.sort((a, b) => a.at.localeCompare(b.at));
  return { entries, skippedLines };
};
