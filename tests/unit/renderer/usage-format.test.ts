import { describe, expect, it } from 'vitest';
import {
  describeUsage,
  formatCpu,
  formatMemory,
  percentOf,
} from '../../../renderer/src/views/map/usage-format.ts';

describe('usage figures as the map writes them', () => {
  it('writes CPU in millicores below a core, in cores above', () => {
    expect(formatCpu(37.4)).toBe('37m');
    expect(formatCpu(1000)).toBe('1 core');
    expect(formatCpu(1500)).toBe('1.5 cores');
    expect(formatCpu(2000)).toBe('2 cores');
  });
  it('writes memory in Mi below a Gi, in Gi above', () => {
    expect(formatMemory(38.4 * 2 ** 20)).toBe('38 Mi');
    expect(formatMemory(4 * 2 ** 30)).toBe('4 Gi');
    expect(formatMemory(1.25 * 2 ** 30)).toBe('1.3 Gi');
  });
  it('gives the share of allocatable or requests, or the figure alone when there is nothing to compare', () => {
    const usage = { cpuMillis: 40, memoryBytes: 38.4 * 2 ** 20 };
    const requests = { cpuMillis: 100, memoryBytes: 64 * 2 ** 20 };
    expect(describeUsage('cpu', usage, requests)).toBe('40m of 100m (40%)');
    expect(describeUsage('memory', usage, requests)).toBe('38 Mi of 64 Mi (60%)');
    expect(describeUsage('cpu', usage, undefined)).toBe('40m');
    expect(describeUsage('cpu', usage, { cpuMillis: 0, memoryBytes: 0 })).toBe('40m');
    expect(percentOf(5, 0)).toBeUndefined();
  });
});
