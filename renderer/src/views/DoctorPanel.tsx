// What `kartstream doctor` finds on this machine: each tool or service, ok or not, and the fix.
import type { DoctorView } from '../../../core/contract/wire-types.ts';
import { api } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';

export const DoctorPanel = () => {
  const { data, error, loading, reload } = useQuery<DoctorView>(() => api.labs.doctor.query(), []);
  const problems = data?.findings.filter((f) => !f.ok).length ?? 0;
  return (
    <section className="doctor card" data-testid="doctor" aria-labelledby="doctor-title" aria-busy={loading}>
      <header className="section-head">
        <h3 id="doctor-title">Doctor</h3>
        {data && (
          <span className={`badge ${problems > 0 ? 'warn' : 'ok'}`}>
            {problems > 0 ? `${problems} to look at` : 'all good'}
          </span>
        )}
        <button type="button" className="button secondary small" onClick={reload} disabled={loading}>
          {loading ? 'Checking…' : 'Check again'}
        </button>
      </header>
      <ErrorMessage error={error} />
      {!data && loading && <p className="muted">Checking this machine…</p>}
      {data && (
        <>
          <ul className="findings">
            {data.findings.map((finding) => (
              <li
                key={finding.name}
                className={`finding ${finding.ok ? 'ok' : 'bad'}`}
                data-testid="doctor-finding"
                data-ok={String(finding.ok)}
              >
                <span className="finding-mark" aria-hidden="true">
                  {finding.ok ? '✓' : '✗'}
                </span>
                <div>
                  <strong>{finding.name}</strong>
                  <span className="visually-hidden">{finding.ok ? ' (ok)' : ' (problem)'}</span>
                  <span className="finding-detail"> — {finding.detail}</span>
                  {finding.fix && (
                    <p className="finding-fix">
                      <strong>Fix: </strong>
                      {finding.fix}
                    </p>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <p className="doctor-conclusion">
            New labs here use <strong>{data.conclusion.backend}</strong>: {data.conclusion.why}
          </p>
        </>
      )}
    </section>
  );
};
