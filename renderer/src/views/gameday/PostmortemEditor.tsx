// The postmortem draft, editable: prose sections as text, lists one item per line, action items
// typed mitigate/prevent/process with an owner. The two scores are shown apart and not editable.
// Export downloads the saved draft as Markdown or JSON.
import { useState } from 'react';
import {
  ACTION_ITEM_TYPES,
  type ActionItem,
  type PostmortemReport,
  type PostmortemSections,
} from '../../../../core/contract/gameday-types.ts';
import type { WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';

const PROSE = ['summary', 'impact', 'trigger', 'detection', 'resolution'] as const;
const LISTS = [
  ['wentWell', 'What went well'],
  ['wentWrong', 'What went wrong'],
  ['gotLucky', 'Where we got lucky'],
] as const;

const download = (name: string, type: string, text: string) => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
};

export const PostmortemEditor = ({
  lab,
  report,
  canEdit,
  onSaved,
}: {
  lab: string;
  report: PostmortemReport;
  canEdit: boolean;
  onSaved: () => void;
}) => {
  const { postmortem } = report;
  const [sections, setSections] = useState<PostmortemSections>(postmortem.sections);
  const [format, setFormat] = useState<'md' | 'json'>('md');
  const [error, setError] = useState<WireError>();
  const set = <K extends keyof PostmortemSections>(key: K, value: PostmortemSections[K]) =>
    setSections((s) => ({ ...s, [key]: value }));
  const setItem = (i: number, item: Partial<ActionItem>) =>
    set(
      'actionItems',
      sections.actionItems.map((a, j) => (j === i ? { ...a, ...item } : a)),
    );
  const save = () =>
    api.gameday.savePostmortem.mutate({ lab, run: postmortem.run, sections }).then(
      () => {
        setError(undefined);
        onSaved();
      },
      (cause: unknown) => setError(wireErrorOf(cause)),
    );
  const { system, responders } = postmortem.scores;
  const seconds = (s: number | null) =>
    s === null ? '—' : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return (
    <div className="postmortem" data-testid="postmortem">
      <h3>Postmortem (draft)</h3>
      {error && <ErrorMessage error={error} />}
      <div className="postmortem-scores">
        <div data-testid="score-system">
          <h4>The system</h4>
          <p>
            Steady state held after the rollback:{' '}
            {system.steadyStateHeld === null ? 'not checked' : system.steadyStateHeld ? 'yes' : 'no'}
          </p>
          <p>
            Customer impact:{' '}
            {system.customerImpact === null
              ? 'not measured'
              : system.customerImpact.available
                ? `${system.customerImpact.failedCheckouts}/${system.customerImpact.checkouts} checkouts failed`
                : system.customerImpact.reason}
          </p>
        </div>
        <div data-testid="score-responders">
          <h4>The responders</h4>
          <p>
            Objectives met:{' '}
            {responders.objectivesMet === null ? 'not checked' : responders.objectivesMet ? 'yes' : 'no'}
          </p>
          <p>
            Detect {seconds(responders.timeToDetectSeconds)} · acknowledge{' '}
            {seconds(responders.timeToAcknowledgeSeconds)} · mitigate{' '}
            {seconds(responders.timeToMitigateSeconds)} · resolve {seconds(responders.timeToResolveSeconds)}
          </p>
          <p>
            Hints: {responders.hintsRevealed} of {responders.hintsAvailable}
          </p>
        </div>
      </div>
      {PROSE.map((key) => (
        <label key={key} className="postmortem-section">
          <span>{key[0]!.toUpperCase() + key.slice(1)}</span>
          <textarea
            value={sections[key]}
            readOnly={!canEdit}
            onChange={(e) => set(key, e.target.value)}
            rows={3}
          />
        </label>
      ))}
      {LISTS.map(([key, label]) => (
        <label key={key} className="postmortem-section">
          <span>{label} (one per line)</span>
          <textarea
            value={sections[key].join('\n')}
            readOnly={!canEdit}
            onChange={(e) => set(key, e.target.value.split('\n'))}
            rows={3}
          />
        </label>
      ))}
      <h4>Action items</h4>
      <table className="postmortem-actions">
        <tbody>
          {sections.actionItems.map((a, i) => (
            <tr key={i}>
              <td>
                <select
                  aria-label="Type"
                  value={a.type}
                  disabled={!canEdit}
                  onChange={(e) => setItem(i, { type: e.target.value as ActionItem['type'] })}
                >
                  {ACTION_ITEM_TYPES.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  aria-label="Item"
                  value={a.text}
                  readOnly={!canEdit}
                  onChange={(e) => setItem(i, { text: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label="Owner"
                  value={a.owner}
                  readOnly={!canEdit}
                  onChange={(e) => setItem(i, { owner: e.target.value })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit && (
        <button
          type="button"
          className="button"
          onClick={() =>
            set('actionItems', [
              ...sections.actionItems,
              { type: 'process', text: 'New action item', owner: 'unassigned' },
            ])
          }
        >
          Add an action item
        </button>
      )}
      <h4>Timeline</h4>
      <ol className="postmortem-timeline">
        {sections.timeline.map((e, i) => (
          <li key={i}>
            {e.at} [{e.kind}] {e.actor}: {e.text}
          </li>
        ))}
      </ol>
      <div className="postmortem-buttons">
        {canEdit && (
          <button type="button" className="button primary" onClick={() => void save()}>
            Save the draft
          </button>
        )}
        <select
          aria-label="Export format"
          value={format}
          onChange={(e) => setFormat(e.target.value as 'md' | 'json')}
        >
          <option value="md">Markdown</option>
          <option value="json">JSON</option>
        </select>
        <button
          type="button"
          className="button"
          data-testid="postmortem-export"
          onClick={() =>
            format === 'md'
              ? download(`postmortem-${postmortem.gameday}.md`, 'text/markdown', report.markdown)
              : download(
                  `postmortem-${postmortem.gameday}.json`,
                  'application/json',
                  JSON.stringify(postmortem, null, 2),
                )
          }
        >
          Export
        </button>
      </div>
    </div>
  );
};
