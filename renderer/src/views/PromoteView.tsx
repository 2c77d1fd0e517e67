// Promote to AWS: who and where, the plan (changes and cost per hour) before anything happens,
// apply as a task, the status with idle scaling, and destroy behind a typed confirmation.
import { useRef, useState } from 'react';
import type { PlanView as Plan, WireError } from '../../../core/contract/wire-types.ts';
import { api, wireErrorOf } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { useCan } from '../components/capabilities.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { TaskView } from '../components/TaskView.tsx';
import { awsArgs, type AwsSettings } from './promote/aws-settings.ts';
import { DestroyPanel } from './promote/DestroyPanel.tsx';
import { IdentityPanel } from './promote/IdentityPanel.tsx';
import { PlanView } from './promote/PlanView.tsx';
import { StatusPanel } from './promote/StatusPanel.tsx';
import './promote/promote.css';

type Nat = '' | 'single' | 'per-az';

// Promoting uses this machine's AWS credentials: only the person running the lab may (docs/sharing.md).
export const PromoteView = ({ lab }: { lab: string }) => {
  const canHost = useCan('host');
  if (canHost.allowed) return <PromotePanels lab={lab} />;
  return (
    <div className="prm-view">
      <h2>Promote to AWS</h2>
      <p className="muted" data-testid="promote-not-allowed">
        {canHost.reason === undefined || canHost.reason.startsWith('checking')
          ? canHost.reason
          : `Promoting uses the AWS credentials of the machine that runs the lab, so only the person running it can plan, apply or destroy (${canHost.reason}).`}
      </p>
    </div>
  );
};

const PromotePanels = ({ lab }: { lab: string }) => {
  const [settings, setSettings] = useState<AwsSettings>({ region: '', profile: '' });
  const [nat, setNat] = useState<Nat>('');
  const [plan, setPlan] = useState<{ plan: Plan; key: string }>();
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<WireError>();
  const [task, setTask] = useState<string>();
  const [taskRunning, setTaskRunning] = useState(false);
  const taskRef = useRef<HTMLDivElement>(null);

  const args = awsArgs(settings);
  const input = { lab, ...args, ...(nat ? { nat } : {}) };
  const key = JSON.stringify(input);
  const identity = useQuery(() => api.promote.identity.query(args), [settings.region, settings.profile]);
  const status = useQuery(
    () => api.promote.status.query({ lab, ...args }),
    [lab, settings.region, settings.profile],
  );

  const makePlan = () => {
    setPlanning(true);
    setError(undefined);
    setPlan(undefined);
    api.promote.plan
      .query(input)
      .then(
        (next) => setPlan({ plan: next, key }),
        (cause: unknown) => setError(wireErrorOf(cause)),
      )
      .finally(() => setPlanning(false));
  };

  const startTask = (start: () => Promise<{ taskId: string }>) => {
    setError(undefined);
    setTaskRunning(true);
    start().then(
      ({ taskId }) => {
        setTask(taskId);
        window.requestAnimationFrame(() => taskRef.current?.scrollIntoView({ block: 'nearest' }));
      },
      (cause: unknown) => {
        setTaskRunning(false);
        setError(wireErrorOf(cause));
      },
    );
  };

  const planIsCurrent = plan?.key === key && plan.plan.lab === lab;
  const busy = taskRunning || planning;

  return (
    <div className="prm-view" data-testid="promote-view">
      <header className="prm-head">
        <h2>Promote lab {lab} to AWS</h2>
        <p className="prm-muted">
          The same pools as EKS node groups, the same manifests. Nothing is created until you apply a plan you
          have read.
        </p>
      </header>

      <IdentityPanel
        settings={settings}
        identity={identity.error ? undefined : identity.data}
        error={identity.error}
        loading={identity.loading}
        onApply={(next) => {
          setSettings(next);
          identity.reload();
          status.reload();
        }}
      />

      <section className="prm-card" aria-labelledby="prm-plan-title">
        <header className="prm-card-head">
          <h3 id="prm-plan-title">Plan</h3>
          <label className="prm-inline">
            NAT gateways
            <select value={nat} onChange={(e) => setNat(e.target.value as Nat)} data-testid="promote-nat">
              <option value="">default</option>
              <option value="single">one (cheaper)</option>
              <option value="per-az">one per zone (resilient)</option>
            </select>
          </label>
          <button
            type="button"
            className="button"
            data-testid="promote-plan"
            disabled={busy}
            onClick={makePlan}
          >
            {planning ? 'Planning…' : plan ? 'Plan again' : 'Plan'}
          </button>
          <button
            type="button"
            className="button primary"
            data-testid="promote-apply"
            disabled={busy || !planIsCurrent || !plan?.plan.changes}
            title={
              !plan ? 'Make a plan first' : !planIsCurrent ? 'The settings changed: plan again' : undefined
            }
            onClick={() => startTask(() => api.promote.applyPlan.mutate(input))}
          >
            Apply
          </button>
        </header>
        {!plan && !planning && (
          <p className="prm-muted">Plan shows each resource to create or change, and the cost per hour.</p>
        )}
        {planning && <p className="prm-muted">Reading the account and pricing the plan…</p>}
        {plan && !planIsCurrent && (
          <p className="prm-warn">The settings changed since this plan: plan again to apply.</p>
        )}
        {plan && <PlanView plan={plan.plan} />}
      </section>

      <ErrorMessage error={error} />
      {task && (
        <div ref={taskRef} className="prm-task">
          <TaskView
            key={task}
            taskId={task}
            onEnd={() => {
              setTaskRunning(false);
              status.reload();
              setPlan(undefined);
            }}
          />
        </div>
      )}

      <StatusPanel
        status={status.error ? undefined : status.data}
        error={status.error}
        loading={status.loading}
        busy={busy}
        onRefresh={status.reload}
        onScale={(pool, nodes) => startTask(() => api.promote.scale.mutate({ lab, pool, nodes, ...args }))}
      />

      <DestroyPanel
        lab={lab}
        busy={busy}
        onDestroy={(confirm) => startTask(() => api.promote.destroy.mutate({ lab, confirm, ...args }))}
      />
    </div>
  );
};
