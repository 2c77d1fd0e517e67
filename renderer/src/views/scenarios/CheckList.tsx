// A list of checks, each green or red, in words with its detail (step checks, steady state);
// the check as the scenario writes it shows on hover.
import type { CheckView } from '../../../../core/contract/wire-types.ts';

export const CheckList = ({ checks, label, testId }: { checks: CheckView[]; label: string; testId?: string }) => (
  <ul className="scn-checks" aria-label={label}>
    {checks.map((check, i) => (
      <li
        key={`${check.check}-${i}`}
        title={check.check}
        className={`scn-check ${check.ok ? 'scn-ok' : 'scn-not-ok'}`}
        data-testid={testId}
        data-ok={String(check.ok)}
      >
        <span className="scn-check-mark" aria-hidden="true">
          {check.ok ? '✓' : '✗'}
        </span>
        <span className="visually-hidden">{check.ok ? 'passing:' : 'not yet:'}</span>
        <span className="scn-check-name">{check.text}</span>
        <span className="scn-check-detail">{check.detail}</span>
      </li>
    ))}
  </ul>
);
