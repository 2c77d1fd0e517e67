// The prompt gate: input typed before the shell's first prompt is held and delivered after it,
// in order; the mark never reaches the screen, even split across output chunks. The last case
// runs a real interactive bash on a pty whose start-up reads the terminal: without the gate it
// would swallow what was typed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node-pty';
import { describe, expect, it } from 'vitest';
import { bashRecordingRc } from '../../../core/lab/lab-shell-env.ts';
import { PROMPT_READY_MARK, PromptGate } from '../../../core/lab/prompt-gate.ts';
import { waitFor } from '../../helpers/wait.ts';

const gateWith = (mark: string | undefined) => {
  const delivered: string[] = [];
  return { gate: new PromptGate((input) => delivered.push(input), mark), delivered };
};

describe('PromptGate', () => {
  it('holds input until the mark, then delivers it once, in order, and passes later input through', () => {
    const { gate, delivered } = gateWith(PROMPT_READY_MARK);
    gate.input('kub');
    gate.input('ectl get');
    expect(gate.output('welcome\r\n')).toBe('welcome\r\n');
    gate.input(' nodes\r');
    expect(delivered).toEqual([]);
    expect(gate.output(`${PROMPT_READY_MARK}(lab a) $ `)).toBe('(lab a) $ ');
    expect(delivered).toEqual(['kubectl get nodes\r']);
    gate.input('x');
    expect(delivered).toEqual(['kubectl get nodes\r', 'x']);
  });

  it('finds the mark split across chunks and never shows any part of it', () => {
    for (let cut = 1; cut < PROMPT_READY_MARK.length; cut++) {
      const { gate, delivered } = gateWith(PROMPT_READY_MARK);
      gate.input('ls\r');
      const shown =
        gate.output(`motd\r\n${PROMPT_READY_MARK.slice(0, cut)}`) +
        gate.output(`${PROMPT_READY_MARK.slice(cut)}$ `);
      expect(shown, `cut at ${cut}`).toBe('motd\r\n$ ');
      expect(delivered).toEqual(['ls\r']);
    }
  });

  it('shows held-back output that turned out not to be the mark', () => {
    const { gate, delivered } = gateWith(PROMPT_READY_MARK);
    // An OSC title sequence starts like the mark.
    expect(gate.output('a\x1b]')).toBe('a');
    expect(gate.output('0;title\x07b')).toBe('\x1b]0;title\x07b');
    expect(delivered).toEqual([]);
  });

  it('opens on the first output for a shell that prints no mark', () => {
    const { gate, delivered } = gateWith(undefined);
    gate.input('echo hi\r');
    expect(delivered).toEqual([]);
    expect(gate.output('% ')).toBe('% ');
    expect(delivered).toEqual(['echo hi\r']);
  });

  it('opens when told to, delivering what it held (the fallback when no mark comes)', () => {
    const { gate, delivered } = gateWith(PROMPT_READY_MARK);
    gate.input('a');
    gate.openNow();
    gate.openNow();
    expect(delivered).toEqual(['a']);
    expect(gate.output('later')).toBe('later');
  });

  it('delivers a runaway paste rather than dropping it', () => {
    const { gate, delivered } = gateWith(PROMPT_READY_MARK);
    const big = 'y'.repeat(3 * 1024 * 1024);
    gate.input(big);
    gate.input(big);
    expect(delivered.join('')).toBe(big + big);
  });
});

describe('an interactive bash behind the gate', () => {
  it('runs every line typed while its start-up reads the terminal, exactly as typed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kartstream-gate-'));
    try {
      // A user rc that reads the terminal at start-up (as some tools' init scripts do).
      writeFileSync(join(dir, '.bashrc'), 'read -r -t 2 swallowed; echo "rc read: [$swallowed]"\n');
      writeFileSync(join(dir, 'rc.bash'), bashRecordingRc('gate', join(dir, 'commands.jsonl')));
      const pty = spawn('bash', ['--rcfile', join(dir, 'rc.bash'), '-i'], {
        cols: 120,
        rows: 30,
        cwd: dir,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, HISTFILE: join(dir, 'history') },
      });
      let screen = '';
      const gate = new PromptGate((input) => pty.write(input), PROMPT_READY_MARK);
      pty.onData((chunk) => (screen += gate.output(chunk)));
      const exited = new Promise((resolve) => pty.onExit(resolve));
      // Typed key by key from the first moment, as a person (or a test) does.
      for (const ch of 'echo "first=$((40+2))"\recho second-line\r') gate.input(ch);
      await waitFor(
        'both lines to run',
        () => screen,
        (s) => /^second-line\r?$/m.test(s),
        20_000,
      );
      gate.input('exit\r');
      await exited;
      expect(screen).toContain('rc read: []');
      expect(screen).toMatch(/^first=42\r?$/m);
      expect(screen).not.toContain('7771;');
      const recorded = readFileSync(join(dir, 'commands.jsonl'), 'utf8');
      expect(recorded).toContain('"command":"echo \\"first=$((40+2))\\""');
      expect(recorded).toContain('"command":"echo second-line"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
