// `kartstream timeline --name LAB [-o json]`: the lab's shared timeline (docs/gameday.md). The
// CLI runs as the local user, who sees every entry; hidden ones (injects) are marked so.
import type { Command } from 'commander';
import { formatDuration, MILESTONES, type TimelineView } from '../contract/incident-types.ts';
import type { TimelineEntry } from '../contract/timeline-types.ts';
import { checkLabName, DEFAULT_LAB_NAME } from '../home/lab-name.ts';
import { table } from '../text/table.ts';
import { outputFormat, type Output } from './output.ts';

/** `20:04:05`: the time of day in UTC; the date is printed once above the table. */
const clock = (at: string): string => at.slice(11, 19);

const textOf = (e: TimelineEntry): string => (e.hidden ? `${e.text} (hidden from responders)` : e.text);

/** The table `kartstream timeline` prints, with the incident's figures below it. */
export const timelineTable = (view: TimelineView): string => {
  const { entries, figures, incident } = view;
  const lines = [
    `timeline of lab ${view.lab}, ${entries[0]?.at.slice(0, 10) ?? ''} (UTC)`,
    table(
      ['TIME', 'KIND', 'ACTOR', 'TEXT'],
      entries.map((e) => [clock(e.at), e.kind, e.actor, textOf(e)]),
    ),
  ];
  if (incident.declared)
    lines.push(
      '',
      `incident: ${incident.declared.title} (${incident.severity ?? 'no severity'}), declared by ${incident.declared.actor}`,
    );
  if (figures.start) {
    const times = MILESTONES.map((m) => {
      const ms = figures.timeTo[m];
      return `${m} ${ms === undefined ? '-' : formatDuration(ms)}`;
    });
    lines.push(
      `time to ${times.join(', ')} (from the first ${figures.start.from === 'inject' ? 'inject' : 'declaration'})`,
    );
  }
  return lines.join('\n');
};

const printTimeline = async (opts: { name: string; output: string }, out: Output): Promise<void> => {
  const lab = checkLabName(opts.name);
  const format = outputFormat(opts.output, ['table', 'json'] as const);
  const { requireLabRecord } = await import('../lab/lab-record.ts');
  const { timelineView } = await import('../server/services/timeline-service.ts');
  await requireLabRecord(lab);
  const view = await timelineView(lab, 'all');
  if (format === 'json') return out.print(JSON.stringify(view.entries, null, 2));
  if (view.entries.length === 0)
    return out.info(
      `lab ${lab} has no timeline yet: it is recorded while the lab is shared (kartstream serve --share --name ${lab}) or a game day runs`,
    );
  out.print(timelineTable(view));
};

export const addTimelineCommand = (program: Command, out: Output): void => {
  program
    .command('timeline')
    .description(
      "print the lab's shared timeline: injects, warnings, alerts, changes, commands, notes, milestones",
    )
    .option('--name <lab>', 'the lab', DEFAULT_LAB_NAME)
    .option('-o, --output <format>', 'table, or json (an array of {at, kind, actor, text, ...})', 'table')
    .action((opts: { name: string; output: string }) => printTimeline(opts, out));
};
