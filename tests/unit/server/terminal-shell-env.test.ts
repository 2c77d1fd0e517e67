// The lab shell's env and its bash command recorder, run in real bash: what lands in the
// commands file is what run-files.ts readCommands (and so `learnerRan`) reads.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliShimScript } from '../../../core/exec/cli-shim.ts';
import { bashRecordingRc, labShellEnv } from '../../../core/lab/lab-shell-env.ts';

describe('labShellEnv', () => {
  it('puts the lab first and drops the Electron switch', () => {
    const env = labShellEnv(
      { PATH: '/usr/bin:/bin', HOME: '/home/me', ELECTRON_RUN_AS_NODE: '1', KUBECONFIG: '/elsewhere' },
      { name: 'demo', kubeconfigPath: '/labs/demo/kubeconfig' },
      ['/labs/demo/bin', '/cache/kubernetes/bin'],
      { TERM: 'xterm-256color' },
    );
    expect(env).toEqual({
      PATH: '/labs/demo/bin:/cache/kubernetes/bin:/usr/bin:/bin',
      HOME: '/home/me',
      KUBECONFIG: '/labs/demo/kubeconfig',
      KARTSTREAM_LAB: 'demo',
      TERM: 'xterm-256color',
    });
  });

  it('leaves out a directory that is not there (no pinned kubectl)', () => {
    expect(
      labShellEnv({ PATH: '/usr/bin' }, { name: 'l', kubeconfigPath: '/k' }, ['/l/bin', undefined]).PATH,
    ).toBe('/l/bin:/usr/bin');
  });
});

describe('the bash recorder', () => {
  let dir: string;
  const commands = () => join(dir, 'commands.jsonl');

  /** Types `lines` into an interactive bash that uses the rc; returns the recorded entries. */
  const typeInBash = (lines: string[], bashrc = '', history = '') => {
    writeFileSync(join(dir, '.bashrc'), bashrc);
    writeFileSync(join(dir, 'history'), history);
    writeFileSync(join(dir, 'rc.bash'), bashRecordingRc('demo', commands()));
    const out = execFileSync('bash', ['--rcfile', join(dir, 'rc.bash'), '-i'], {
      input: `${lines.join('\n')}\nexit 0\n`,
      env: { PATH: process.env.PATH, HOME: dir, HISTFILE: join(dir, 'history'), TZ: 'Asia/Tokyo' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let recorded: { at: string; command: string; source: string }[] = [];
    try {
      recorded = readFileSync(commands(), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { at: string; command: string; source: string });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return { out: String(out), recorded };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kartstream-rc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records each command line as JSON with a UTC time in milliseconds', () => {
    const before = Date.now();
    const { out, recorded } = typeInBash(['echo hello', ': kubectl get nodes -o wide']);
    expect(out).toContain('hello');
    expect(recorded.map((r) => r.command)).toEqual(['echo hello', ': kubectl get nodes -o wide']);
    for (const r of recorded) {
      expect(r.source).toBe('shell');
      expect(r.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const at = new Date(r.at).getTime();
      expect(at).toBeGreaterThanOrEqual(before - 5);
      expect(at).toBeLessThanOrEqual(Date.now() + 5);
    }
  });

  it('keeps quotes, backslashes, tabs and Unicode intact', () => {
    const tricky = [`echo "a \\"quoted\\" \\\\path"`, "printf '%s\\t%s\\n' x y", 'echo héllo ✓ $HOME'];
    expect(typeInBash(tricky).recorded.map((r) => r.command)).toEqual(tricky);
  });

  it('records a multi-line command as one entry', () => {
    const { recorded } = typeInBash(['for i in 1 2; do', '  echo $i', 'done']);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.command).toMatch(/^for i in 1 2; do\s*\n?\s*echo \$i;?\s*\n?\s*done$/);
  });

  it('skips the history of earlier sessions and records repeats despite HISTCONTROL', () => {
    const { recorded } = typeInBash(
      ['echo again', 'echo again', ' echo hidden'],
      'HISTCONTROL=ignoreboth\n',
      'old-command-from-yesterday\n',
    );
    // ignorespace stays the user's choice: a line typed with a leading space is not kept.
    expect(recorded.map((r) => r.command)).toEqual(['echo again', 'echo again']);
  });

  it("keeps the user's PROMPT_COMMAND working, even one ending with ';'", () => {
    const { out, recorded } = typeInBash(['echo hi'], 'PROMPT_COMMAND="echo user-hook;"\n');
    expect(out).toContain('user-hook');
    expect(out).not.toMatch(/syntax error/);
    expect(recorded.map((r) => r.command)).toEqual(['echo hi']);
  });

  it('names the lab in the prompt after the user rc, and marks only the first prompt as ready', () => {
    // The first prompt carries the ready mark; the second prompt is the user's again.
    const { out } = typeInBash(['echo "[$PS1]"', 'echo "[$PS1]"'], 'PS1="mine> "\n');
    expect(out).toContain(`[\\[\\e]7771;kartstream-ready\\a\\](lab demo) mine> ]`);
    expect(out).toContain('[(lab demo) mine> ]');
  });

  it('runs `npx kartstream` as the kartstream command on PATH, and other npx commands as npx', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'kartstream'), '#!/bin/sh\necho "shim: $*"\n', { mode: 0o755 });
    writeFileSync(join(bin, 'npx'), '#!/bin/sh\necho "real npx: $*"\n', { mode: 0o755 });
    const { out } = typeInBash([`PATH=${bin}:$PATH`, 'npx kartstream alerts --name x', 'npx vite --help']);
    expect(out).toContain('shim: alerts --name x');
    expect(out).toContain('real npx: vite --help');
  });
});

describe('the kartstream shim', () => {
  it('runs the given CLI entry with the given Node, arguments intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kartstream-shim-'));
    try {
      const entry = join(dir, "it's cli.js");
      writeFileSync(entry, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
      writeFileSync(join(dir, 'kartstream'), cliShimScript(process.execPath, entry, false), { mode: 0o700 });
      const out = execFileSync(join(dir, 'kartstream'), ['alerts', '--name', 'a b', '$HOME']);
      expect(JSON.parse(String(out))).toEqual(['alerts', '--name', 'a b', '$HOME']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs Electron as Node when the app is Electron', () => {
    expect(cliShimScript('/opt/KartStream/kartstream', '/opt/app/bin/kartstream.js', true)).toContain(
      "ELECTRON_RUN_AS_NODE=1 exec '/opt/KartStream/kartstream' '/opt/app/bin/kartstream.js' \"$@\"",
    );
  });
});
