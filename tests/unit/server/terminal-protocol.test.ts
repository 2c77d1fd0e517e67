// The terminal's wire messages: what the server accepts from a client, and how control frames
// stay apart from shell output.
import { describe, expect, it } from 'vitest';
import {
  CONTROL_PREFIX,
  encodeControl,
  inputMessages,
  MAX_CLIENT_FRAME_BYTES,
  MAX_INPUT_CHUNK,
  MAX_TERMINAL_SIZE,
  parseClientMessage,
  parseServerFrame,
} from '../../../core/contract/terminal-protocol.ts';

describe('parseClientMessage', () => {
  it('reads input and resize messages', () => {
    expect(parseClientMessage('{"type":"input","data":"ls\\r"}')).toEqual({ type: 'input', data: 'ls\r' });
    expect(parseClientMessage('{"type":"resize","cols":120,"rows":40}')).toEqual({
      type: 'resize',
      cols: 120,
      rows: 40,
    });
  });

  it.each([
    ['not JSON', 'ls -l'],
    ['JSON that is not an object', '"input"'],
    ['null', 'null'],
    ['an unknown type', '{"type":"exec","data":"rm -rf /"}'],
    ['input without text', '{"type":"input","data":42}'],
    ['zero columns', '{"type":"resize","cols":0,"rows":10}'],
    ['negative rows', '{"type":"resize","cols":10,"rows":-1}'],
    ['a fractional size', '{"type":"resize","cols":80.5,"rows":24}'],
    ['a size as text', '{"type":"resize","cols":"80","rows":24}'],
    ['a size above the bound', `{"type":"resize","cols":${MAX_TERMINAL_SIZE + 1},"rows":24}`],
  ])('refuses %s', (_what, raw) => {
    expect(parseClientMessage(raw)).toBeUndefined();
  });

  it('accepts the bounds themselves', () => {
    expect(parseClientMessage(`{"type":"resize","cols":1,"rows":${MAX_TERMINAL_SIZE}}`)).toEqual({
      type: 'resize',
      cols: 1,
      rows: MAX_TERMINAL_SIZE,
    });
  });
});

describe('server frames', () => {
  it('round-trips control messages through the NUL prefix', () => {
    const exit = encodeControl({ type: 'exit', code: 3 });
    expect(exit.startsWith(CONTROL_PREFIX)).toBe(true);
    expect(parseServerFrame(exit)).toEqual({ type: 'exit', code: 3 });
    const error = {
      type: 'error' as const,
      code: 'not-found',
      message: 'no lab',
      details: [],
      fix: 'create it',
    };
    expect(parseServerFrame(encodeControl(error))).toEqual(error);
  });

  it('takes anything else as shell output, JSON look-alikes included', () => {
    expect(parseServerFrame('{"type":"exit","code":0}\r\n')).toEqual({
      type: 'output',
      data: '{"type":"exit","code":0}\r\n',
    });
  });

  it('turns a broken control frame into an error, not an exception', () => {
    const frame = parseServerFrame(`${CONTROL_PREFIX}{oops`);
    expect(frame.type).toBe('error');
  });
});

describe('inputMessages', () => {
  it('sends a short input as one message and nothing for nothing', () => {
    expect(inputMessages('ls\r')).toEqual([{ type: 'input', data: 'ls\r' }]);
    expect(inputMessages('')).toEqual([]);
  });

  it('splits a big paste into frames the server accepts, in order, keeping surrogate pairs whole', () => {
    const paste = `${'a'.repeat(MAX_INPUT_CHUNK - 1)}😀${'\u0001"\\'.repeat(MAX_INPUT_CHUNK)}`;
    const messages = inputMessages(paste);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.map((m) => (m.type === 'input' ? m.data : '')).join('')).toBe(paste);
    for (const m of messages) {
      const frame = JSON.stringify(m);
      expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(MAX_CLIENT_FRAME_BYTES);
      expect(parseClientMessage(frame)).toEqual(m);
      const data = m.type === 'input' ? m.data : '';
      expect(data.at(-1)).not.toMatch(/[\ud800-\udbff]/);
      expect(data.at(0)).not.toMatch(/[\udc00-\udfff]/);
    }
  });
});
