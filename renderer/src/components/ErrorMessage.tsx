// An error as the user reads it: what failed, the details, how to fix it, and the fields at fault.
import type { WireError } from '../../../core/contract/wire-types.ts';

export const ErrorMessage = ({ error }: { error: WireError | undefined }) => {
  if (!error) return null;
  return (
    <div className="error-message" data-testid="error-message" data-code={error.code} role="alert">
      <p className="error-title">
        <span className="error-icon" aria-hidden="true">
          !
        </span>
        {error.message}
      </p>
      {error.details.length > 0 && (
        <ul className="error-details">
          {error.details.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
      {error.fields && error.fields.length > 0 && (
        <ul className="error-fields" aria-label="Fields at fault">
          {error.fields.map((field) => (
            <li key={field.path}>
              <code>{field.path}</code>: {field.message}
            </li>
          ))}
        </ul>
      )}
      {error.fix && (
        <p className="error-fix" data-testid="error-fix">
          <strong>Fix: </strong>
          {error.fix}
        </p>
      )}
      {error.logPath && (
        <p className="error-log">
          Log: <code>{error.logPath}</code>
        </p>
      )}
    </div>
  );
};
