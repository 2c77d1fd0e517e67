// Download progress as a person reads it: "45.1 MB of 105 MB, 12.3 MB/s, 5 s left".

export interface DownloadProgress {
  url: string;
  /** Bytes of the file on disk so far (a resumed download starts above 0). */
  received: number;
  /** The full size, when the server says. */
  total?: number;
  bytesPerSecond: number;
  secondsLeft?: number;
}

/** Bytes in B, kB, MB or GB (decimal, one decimal place above 10). */
export const formatBytes = (bytes: number): string => {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
};

/** One line for a progress event. */
export const describeProgress = (p: DownloadProgress): string => {
  const size = p.total ? `${formatBytes(p.received)} of ${formatBytes(p.total)}` : formatBytes(p.received);
  const rate = `${formatBytes(p.bytesPerSecond)}/s`;
  const left = p.secondsLeft === undefined ? '' : `, ${Math.ceil(p.secondsLeft)} s left`;
  return `${size}, ${rate}${left}`;
};
