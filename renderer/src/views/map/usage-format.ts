// How usage figures read on the map: CPU in millicores or cores, memory in Mi/Gi, and a share of
// allocatable (nodes) or requests (pods) as a whole percent.
import type { ResourceAmount } from '../../../../core/contract/usage-types.ts';

// One decimal where it says something: "1.5 cores", "2 cores", "4 Gi", "1.2 Gi".
const upToOneDecimal = (value: number): string => String(Math.round(value * 10) / 10);

export const formatCpu = (millis: number): string => {
  if (millis < 1000) return `${Math.round(millis)}m`;
  const cores = upToOneDecimal(millis / 1000);
  return `${cores} ${cores === '1' ? 'core' : 'cores'}`;
};

export const formatMemory = (bytes: number): string => {
  const mi = bytes / 2 ** 20;
  return mi >= 1024 ? `${upToOneDecimal(mi / 1024)} Gi` : `${Math.round(mi)} Mi`;
};

/** `used` as a whole percent of `of`; undefined when there is nothing to compare with. */
export const percentOf = (used: number, of: number | undefined): number | undefined =>
  of && of > 0 ? Math.round((used / of) * 100) : undefined;

/** "230m of 2 cores (12%)", "45 Mi of 64 Mi (70%)", or the figure alone with nothing to compare. */
export const describeUsage = (
  resource: 'cpu' | 'memory',
  usage: ResourceAmount,
  of: ResourceAmount | undefined,
): string => {
  const used = resource === 'cpu' ? usage.cpuMillis : usage.memoryBytes;
  const total = resource === 'cpu' ? of?.cpuMillis : of?.memoryBytes;
  const format = resource === 'cpu' ? formatCpu : formatMemory;
  const pct = percentOf(used, total);
  return pct === undefined || total === undefined
    ? format(used)
    : `${format(used)} of ${format(total)} (${pct}%)`;
};
