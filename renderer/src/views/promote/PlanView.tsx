// A promotion plan as the user reads it before anything is created: what changes, where, and
// what it costs per hour.
import type { PlanView as Plan } from '../../../../core/contract/wire-types.ts';
import { costHeadline, money, summaryParts } from './plan-format.ts';

export const PlanView = ({ plan }: { plan: Plan }) => (
  <div className="prm-plan" data-testid="promote-plan-view" data-changes={String(plan.changes)}>
    <p className="prm-plan-where">
      Lab <code>{plan.lab}</code> into <code>{plan.region}</code>
      {plan.zones.length > 0 && (
        <>
          {' '}
          over zones <code>{plan.zones.join(', ')}</code>
        </>
      )}{' '}
      as <code>{plan.identity.arn}</code>
    </p>
    <p className="prm-summary" data-testid="promote-summary">
      {summaryParts(plan.summary).map((part) => (
        <span
          key={part.key}
          className={`prm-pill${part.count > 0 ? ` prm-action-${part.key}` : ''}`}
          data-action={part.key}
          data-count={part.count}
        >
          {part.text}
        </span>
      ))}
      {!plan.changes && (
        <span className="prm-muted">Nothing to change: the lab is already promoted as planned.</span>
      )}
    </p>
    <div className="prm-cost" data-testid="promote-cost" data-per-hour={plan.cost.perHour}>
      <h4>Cost while it runs: {costHeadline(plan.cost)}</h4>
      {plan.cost.lines.length > 0 && (
        <table className="prm-table prm-cost-table">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Count</th>
              <th scope="col">Each per hour</th>
              <th scope="col">Per hour</th>
            </tr>
          </thead>
          <tbody>
            {plan.cost.lines.map((line) => (
              <tr key={line.item}>
                <td>{line.item}</td>
                <td>{line.count}</td>
                <td>{money(line.unit, plan.cost.currency)}</td>
                <td>{money(line.perHour, plan.cost.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plan.cost.unpriced.length > 0 && (
        <p className="prm-muted">Not priced: {plan.cost.unpriced.join(', ')}</p>
      )}
      <p className="prm-muted">{plan.cost.note}</p>
    </div>
    <div className="prm-table-box prm-items">
      <table className="prm-table">
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Resource</th>
            <th scope="col">Name</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {plan.items.map((item, i) => (
            <tr key={i} data-testid="plan-item" data-action={item.action}>
              <td>
                <span className={`prm-pill prm-action-${item.action}`}>{item.action}</span>
              </td>
              <td>
                <code>{item.resource}</code>
              </td>
              <td>{item.name}</td>
              <td>{item.details.join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <details className="prm-plan-text">
      <summary>The plan as the CLI prints it</summary>
      <pre>{plan.text}</pre>
    </details>
  </div>
);
