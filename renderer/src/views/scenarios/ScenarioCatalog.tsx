// The catalog: one card per scenario with its level, time, backends, needs and objectives, and a
// start button that says why it is disabled when the lab does not fit.
import { useState } from 'react';
import type { LabInfo, RunView, ScenarioSummary, WireError } from '../../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { InlineText } from './Markdown.tsx';
import { useCan } from '../../components/capabilities.tsx';
import { cannotStartReason } from './scenario-fit.ts';

const ScenarioCard = ({
  scenario,
  reason,
  starting,
  onStart,
}: {
  scenario: ScenarioSummary;
  reason: string | undefined;
  starting: boolean;
  onStart: () => void;
}) => {
  const reasonId = `scn-why-${scenario.id}`;
  const canInject = useCan('inject');
  return (
    <li className="scn-card" data-testid={`scenario-card-${scenario.id}`} aria-labelledby={`scn-title-${scenario.id}`}>
      <h3 id={`scn-title-${scenario.id}`}>{scenario.title}</h3>
      <p className="scn-meta">
        <span className={`scn-badge scn-level-${scenario.level}`}>{scenario.level}</span>
        <span>{scenario.minutes} min</span>
        <span>{scenario.steps} steps</span>
        <span title="Backends it runs on">{scenario.backends.join(' · ')}</span>
        {scenario.requires.map((need) => (
          <span key={need} className="scn-badge scn-needs">
            needs {need}
          </span>
        ))}
      </p>
      <p className="scn-summary">{scenario.summary}</p>
      <details className="scn-objectives">
        <summary>Objectives ({scenario.objectives.length})</summary>
        <ul>
          {scenario.objectives.map((objective, i) => (
            <li key={i}>
              <InlineText text={objective} />
            </li>
          ))}
        </ul>
      </details>
      <div className="scn-card-foot">
        <button
          type="button"
          className="button primary"
          data-testid={`scenario-start-${scenario.id}`}
          disabled={reason !== undefined || starting || !canInject.allowed}
          title={canInject.reason}
          aria-describedby={reason ? reasonId : undefined}
          onClick={onStart}
        >
          {starting ? 'Starting…' : 'Start'}
        </button>
        {reason && (
          <span className="scn-why" id={reasonId}>
            {reason}
          </span>
        )}
      </div>
    </li>
  );
};

export const ScenarioCatalog = ({
  lab,
  labInfo,
  scenarios,
  active,
}: {
  lab: string;
  labInfo: LabInfo | undefined;
  scenarios: ScenarioSummary[] | undefined;
  active: RunView | null | undefined;
}) => {
  const [starting, setStarting] = useState<string>();
  const [error, setError] = useState<WireError>();
  const start = (id: string) => {
    setStarting(id);
    setError(undefined);
    api.scenarios.start
      .mutate({ lab, id })
      .catch((cause: unknown) => setError(wireErrorOf(cause)))
      .finally(() => setStarting(undefined));
  };
  return (
    <section className="scn-catalog" aria-labelledby="scn-catalog-title">
      <h2 id="scn-catalog-title">Scenarios</h2>
      <ErrorMessage error={error} />
      {scenarios ? (
        <ul className="scn-cards">
          {scenarios.map((scenario) => (
            <ScenarioCard
              key={scenario.id}
              scenario={scenario}
              reason={labInfo ? cannotStartReason(scenario, labInfo, active) : 'reading the lab…'}
              starting={starting === scenario.id}
              onStart={() => start(scenario.id)}
            />
          ))}
        </ul>
      ) : (
        <p className="scn-muted">Loading the catalog…</p>
      )}
    </section>
  );
};
