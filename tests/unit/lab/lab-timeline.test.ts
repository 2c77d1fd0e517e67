import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendLabTimeline, readLabTimeline } from '../../../core/lab/lab-timeline.ts';
import { labTimelineFile } from '../../../core/home/paths.ts';
import { personServiceAccount, teamServiceAccountOf } from '../../../core/contract/team-identity.ts';

describe('the lab timeline file', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'kartstream-timeline-'));
    process.env.KARTSTREAM_HOME = home;
  });
  afterEach(async () => {
    delete process.env.KARTSTREAM_HOME;
    await rm(home, { recursive: true, force: true });
  });

  it('keeps entries in time order, private to the user, and skips a torn line saying which', async () => {
    await appendLabTimeline('lab1', {
      kind: 'note',
      actor: 'ana',
      text: 'checkout is slow',
      at: '2026-12-05T10:00:02.000Z',
    });
    await appendLabTimeline('lab1', {
      kind: 'milestone',
      actor: 'ana',
      text: 'detected',
      at: '2026-12-05T10:00:01.000Z',
      data: { name: 'detected' },
    });
    await appendFile(labTimelineFile('lab1'), '{"at":"2026-12-05T10:00:03.000Z","kind":"no');
    const read = await readLabTimeline('lab1');
    expect(read.entries.map((e) => e.text)).toEqual(['detected', 'checkout is slow']);
    expect(read.skippedLines).toEqual([3]);
    expect((await stat(labTimelineFile('lab1'))).mode & 0o777).toBe(0o600);
  });

  it('refuses an entry of an unknown kind or without an actor', async () => {
    await expect(
      appendLabTimeline('lab1', { kind: 'gossip' as never, actor: 'ana', text: 'x' }),
    ).rejects.toThrow();
    await expect(appendLabTimeline('lab1', { kind: 'note', actor: '', text: 'x' })).rejects.toThrow();
    expect((await readLabTimeline('lab1')).entries).toEqual([]);
  });
});

describe("a participant's ServiceAccount name", () => {
  it("is a DNS label made from the person's name, and an audit username maps back to it", () => {
    expect(personServiceAccount('Ana María')).toBe('person-ana-mar-a');
    expect(personServiceAccount('  ')).toBe('person-anonymous');
    expect(personServiceAccount('x'.repeat(80))).toHaveLength(57);
    expect(teamServiceAccountOf('system:serviceaccount:kartstream-team:person-ana')).toBe('person-ana');
    expect(teamServiceAccountOf('system:serviceaccount:kube-system:person-ana')).toBeUndefined();
    expect(teamServiceAccountOf('kubernetes-admin')).toBeUndefined();
  });
});
