import { describe, expect, it } from 'vitest';
import { cpuMillis, memoryBytes, parseQuantity } from '../../../core/kube/quantity.ts';

describe('Kubernetes quantities as numbers', () => {
  it('reads the CPU forms metrics-server and specs use', () => {
    expect(cpuMillis('250m')).toBe(250);
    expect(cpuMillis('2')).toBe(2000);
    expect(cpuMillis('1.5')).toBe(1500);
    expect(cpuMillis('123456789n')).toBe(123);
    expect(cpuMillis('1500u')).toBe(2);
  });
  it('reads binary and decimal memory suffixes and exponents', () => {
    expect(memoryBytes('64Mi')).toBe(64 * 2 ** 20);
    expect(memoryBytes('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(memoryBytes('12345Ki')).toBe(12345 * 1024);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('1e3')).toBe(1000);
    expect(parseQuantity('2E')).toBe(2e18);
  });
  it('gives undefined for what is not a quantity', () => {
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity('5Xi')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
    expect(cpuMillis('')).toBeUndefined();
  });
});
