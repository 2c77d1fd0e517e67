// The CLI's shared option checks: -o formats and whole numbers with explicit bounds.
import { describe, expect, it } from 'vitest';
import { NODE_COUNT, wholeNumberOption } from '../../../core/cli/number-option.ts';
import { outputFormat } from '../../../core/cli/output.ts';

describe('wholeNumberOption', () => {
  it('takes whole numbers within the bounds', () => {
    expect(wholeNumberOption('--nodes', '0', NODE_COUNT)).toBe(0);
    expect(wholeNumberOption('--nodes', '5000', NODE_COUNT)).toBe(5000);
  });

  it.each(['-1', '5001', '1.5', '1e3', '0x10', '', 'three'])(
    'refuses %j, naming the flag and the bounds',
    (value) => {
      expect(() => wholeNumberOption('--nodes', value, NODE_COUNT)).toThrow(
        `--nodes: got ${JSON.stringify(value)}, expected a whole number 0-5000`,
      );
    },
  );

  it('says what the number is and passes the fix on', () => {
    expect(() =>
      wholeNumberOption('--port', '70000', {
        min: 0,
        max: 65535,
        what: 'a port number',
        fix: 'use --port 8080',
      }),
    ).toThrow(
      expect.objectContaining({
        message: '--port: got "70000", expected a port number 0-65535',
        fix: 'use --port 8080',
      }),
    );
  });
});

describe('outputFormat', () => {
  it('returns a format the command prints and refuses any other with the choices', () => {
    expect(outputFormat('json', ['text', 'json'] as const)).toBe('json');
    expect(() => outputFormat('yaml', ['text', 'json'] as const)).toThrow(
      expect.objectContaining({ code: 'invalid-input', fix: 'use -o text or -o json' }),
    );
  });
});
