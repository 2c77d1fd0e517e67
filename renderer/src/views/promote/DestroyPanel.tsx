// Destroy the promoted lab, behind a typed confirmation: the button wakes only when the lab's
// name is typed exactly (the server checks it again).
import { useState } from 'react';

export const DestroyPanel = ({
  lab,
  busy,
  onDestroy,
}: {
  lab: string;
  busy: boolean;
  onDestroy: (confirm: string) => void;
}) => {
  const [confirm, setConfirm] = useState('');
  return (
    <section className="prm-card prm-danger-zone" aria-labelledby="prm-destroy-title">
      <h3 id="prm-destroy-title">Destroy</h3>
      <p>
        Deletes the EKS cluster, its node groups, the network stack and the IAM roles made for lab{' '}
        <code>{lab}</code>. The shop and its data on AWS are gone afterwards; the local lab stays.
      </p>
      <form
        className="prm-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (confirm === lab) onDestroy(confirm);
        }}
      >
        <label>
          <span>
            Type <code>{lab}</code> to confirm
          </span>
          <input
            value={confirm}
            autoComplete="off"
            spellCheck={false}
            data-testid="promote-destroy-confirm"
            onChange={(e) => setConfirm(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="button danger"
          data-testid="promote-destroy"
          disabled={busy || confirm !== lab}
        >
          Destroy on AWS
        </button>
      </form>
    </section>
  );
};
