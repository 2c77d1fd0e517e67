// The lab's earlier runs, newest first, each opening its debrief.
import type { RunView } from '../../../../core/contract/wire-types.ts';

export const PastRuns = ({ runs, onOpen }: { runs: RunView[] | undefined; onOpen: (run: RunView) => void }) => (
  <section className="scn-runs" aria-labelledby="scn-runs-title">
    <h2 id="scn-runs-title">Past runs</h2>
    {!runs ? (
      <p className="scn-muted">Loading…</p>
    ) : runs.length === 0 ? (
      <p className="scn-muted">No runs on this lab yet.</p>
    ) : (
      <table className="scn-runs-table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Scenario</th>
            <th scope="col">Outcome</th>
            <th scope="col">Score</th>
            <th scope="col">
              <span className="visually-hidden">Debrief</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {[...runs]
            .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
            .map((run) => (
              <tr key={run.id} data-testid={`scenario-run-${run.id}`}>
                <td>{new Date(run.startedAt).toLocaleString()}</td>
                <td>{run.title}</td>
                <td>
                  <span className={`scn-badge scn-outcome-${run.state}`}>{run.state}</span>
                </td>
                <td>{run.score !== undefined ? `${run.score} / ${run.maxScore ?? '?'}` : '—'}</td>
                <td>
                  <button
                    type="button"
                    className="button"
                    disabled={run.state === 'running'}
                    onClick={() => onOpen(run)}
                  >
                    Debrief
                  </button>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    )}
  </section>
);
