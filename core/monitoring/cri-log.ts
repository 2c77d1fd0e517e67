// Container log files in the CRI format that kubelets write and KWOK serves to `kubectl logs`:
// `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`, one record per line. KWOK refuses plain
// lines ("unsupported log format"), so every line the lab writes goes through here.
import { open, readFile, stat } from 'node:fs/promises';
import { writePrivateFile } from '../home/private-files.ts';

export type LogStream = 'stdout' | 'stderr';

/** A kubelet splits a line longer than this into partial (`P`) records, ended by a full (`F`) one. */
export const CRI_MAX_LINE = 16 * 1024;

/** Time in RFC 3339 with nanoseconds, as CRI runtimes write it (JS time has milliseconds). */
export const criTime = (at: Date): string => at.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

// The CRI records of `text` (one or more lines) written to `stream` at `at`.
export const criLines = (at: Date, stream: LogStream, text: string): string => {
  const time = criTime(at);
  const records: string[] = [];
  for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) {
    const chunks: string[] = [];
    for (let i = 0; i < line.length; i += CRI_MAX_LINE) chunks.push(line.slice(i, i + CRI_MAX_LINE));
    if (chunks.length === 0) chunks.push('');
    chunks.forEach((chunk, i) =>
      records.push(`${time} ${stream} ${i < chunks.length - 1 ? 'P' : 'F'} ${chunk}`),
    );
  }
  return `${records.join('\n')}\n`;
};

// The newest whole lines of `content` that fit in `bytes` (cut at a line start, never mid-record).
export const keepNewest = (content: string, bytes: number): string => {
  const buffer = Buffer.from(content, 'utf8');
  if (buffer.length <= bytes) return content;
  const tail = buffer.subarray(buffer.length - bytes).toString('utf8');
  const start = tail.indexOf('\n');
  return start === -1 ? '' : tail.slice(start + 1);
};

/**
 * Appends CRI records to a private (0600) log file and keeps it under `maxBytes`: once it grows
 * past the cap it is rewritten with its newest half, as log rotation would leave it.
 */
export const appendCapped = async (file: string, records: string, maxBytes: number): Promise<void> => {
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.appendFile(records);
  } finally {
    await handle.close();
  }
  if ((await stat(file)).size > maxBytes)
    await writePrivateFile(file, keepNewest(await readFile(file, 'utf8'), Math.floor(maxBytes / 2)));
};
