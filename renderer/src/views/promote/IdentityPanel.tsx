// Who the AWS calls run as, and where: the caller identity for the chosen region and profile.
import { useState, type FormEvent } from 'react';
import type { IdentityView, WireError } from '../../../../core/contract/wire-types.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import type { AwsSettings } from './aws-settings.ts';

export const IdentityPanel = ({
  settings,
  identity,
  error,
  loading,
  onApply,
}: {
  settings: AwsSettings;
  identity: IdentityView | undefined;
  error: WireError | undefined;
  loading: boolean;
  onApply: (settings: AwsSettings) => void;
}) => {
  const [region, setRegion] = useState(settings.region);
  const [profile, setProfile] = useState(settings.profile);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ region, profile });
  };
  return (
    <section className="prm-card" aria-labelledby="prm-identity-title">
      <h3 id="prm-identity-title">AWS account</h3>
      <form className="prm-form" onSubmit={submit}>
        <label>
          Region
          <input
            name="region"
            value={region}
            placeholder="SDK default"
            autoComplete="off"
            spellCheck={false}
            data-testid="promote-region"
            onChange={(e) => setRegion(e.target.value)}
          />
        </label>
        <label>
          Profile
          <input
            name="profile"
            value={profile}
            placeholder="default"
            autoComplete="off"
            spellCheck={false}
            data-testid="promote-profile"
            onChange={(e) => setProfile(e.target.value)}
          />
        </label>
        <button type="submit" className="button" disabled={loading}>
          {loading ? 'Checking…' : 'Check identity'}
        </button>
      </form>
      <div className="prm-identity" data-testid="promote-identity" aria-live="polite" aria-busy={loading}>
        {identity ? (
          <dl>
            <dt>Account</dt>
            <dd>
              <code>{identity.account}</code>
            </dd>
            <dt>Caller</dt>
            <dd>
              <code>{identity.arn}</code>
            </dd>
            <dt>Region</dt>
            <dd>
              <code>{identity.region}</code>
            </dd>
            {identity.endpoint && (
              <>
                <dt>Endpoint</dt>
                <dd>
                  <code>{identity.endpoint}</code> <span className="prm-muted">(not AWS itself)</span>
                </dd>
              </>
            )}
          </dl>
        ) : (
          !error && <p className="prm-muted">{loading ? 'Asking AWS who we are…' : 'No identity yet.'}</p>
        )}
        <ErrorMessage error={error} />
      </div>
    </section>
  );
};
