// Scenarios: the catalog, the player while a run is going, the debrief when it ends, and the
// lab's past runs. The lab's run is followed live through `scenarios.watch`.
import { useEffect, useState } from 'react';
import type { RunView } from '../../../core/contract/wire-types.ts';
import { api } from '../api/client.ts';
import { useQuery, useSubscription } from '../api/hooks.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Debrief } from './scenarios/Debrief.tsx';
import { PastRuns } from './scenarios/PastRuns.tsx';
import { ScenarioCatalog } from './scenarios/ScenarioCatalog.tsx';
import { ScenarioPlayer } from './scenarios/ScenarioPlayer.tsx';
import './scenarios/scenarios.css';

/** Debriefs the learner closed, kept while the page lives so switching views does not reopen them. */
const dismissed = new Set<string>();

export const ScenariosView = ({ lab }: { lab: string }) => {
  const [run, setRun] = useState<RunView | null>();
  const [opened, setOpened] = useState<RunView>();
  const [, setClosedTick] = useState(0);
  const labInfo = useQuery(() => api.labs.info.query({ lab }), [lab]);
  const catalog = useQuery(() => api.scenarios.list.query(), []);
  const runs = useQuery(() => api.scenarios.runs.query({ lab }), [lab, run?.id, run?.state]);
  const scenarioId = run?.scenario;
  const detail = useQuery(
    () => (scenarioId ? api.scenarios.get.query({ id: scenarioId }) : Promise.resolve(undefined)),
    [scenarioId],
  );

  useEffect(() => {
    setRun(undefined);
    setOpened(undefined);
  }, [lab]);

  const watchError = useSubscription<RunView | null>(
    (handlers) => api.scenarios.watch.subscribe({ lab }, handlers),
    (next) => setRun(next),
    [lab],
  );

  // A new run replaces whatever debrief was open.
  const runId = run?.id;
  useEffect(() => setOpened(undefined), [runId]);

  const running = run?.state === 'running' ? run : undefined;
  const debriefRun = opened ?? (run && run.state !== 'running' && !dismissed.has(run.id) ? run : undefined);
  const closeDebrief = () => {
    if (debriefRun) dismissed.add(debriefRun.id);
    setOpened(undefined);
    setClosedTick((n) => n + 1);
  };

  return (
    <div className="scn-view" data-testid="scenarios-view">
      <ErrorMessage error={labInfo.error} />
      <ErrorMessage error={watchError} />
      {running && (
        <ScenarioPlayer
          lab={lab}
          run={running}
          detail={detail.data?.id === running.scenario ? detail.data : undefined}
          onRun={setRun}
        />
      )}
      {!running && debriefRun && (
        <Debrief key={debriefRun.id} run={debriefRun} onClose={closeDebrief} focus={debriefRun === opened} />
      )}
      {!running && <ScenarioCatalog lab={lab} labInfo={labInfo.data} scenarios={catalog.data} active={run} />}
      <ErrorMessage error={catalog.error} />
      <PastRuns
        runs={runs.data}
        onOpen={(r) => {
          dismissed.delete(r.id);
          setOpened(r);
        }}
      />
      <ErrorMessage error={runs.error} />
    </div>
  );
};
