// Every scenario check, by kind. Adding a check: its module in this folder and a line here.
import { alertRule } from './alert-rule.ts';
import { alert } from './alert.ts';
import type { CheckTable } from './check-handler.ts';
import { deploymentsAvailable } from './deployments-available.ts';
import { disruptionBudget } from './disruption-budget.ts';
import { event } from './event.ts';
import { http } from './http.ts';
import { learnerRan } from './learner-ran.ts';
import { noPodsOn } from './no-pods-on.ts';
import { nodesCordoned } from './nodes-cordoned.ts';
import { nodesReady } from './nodes-ready.ts';
import { pendingPods } from './pending-pods.ts';
import { podsOnPool } from './pods-on-pool.ts';
import { promql } from './promql.ts';

export const CHECKS: CheckTable = {
  deploymentsAvailable,
  podsOnPool,
  noPodsOn,
  nodesReady,
  pendingPods,
  alert,
  alertRule,
  promql,
  event,
  http,
  learnerRan,
  nodesCordoned,
  disruptionBudget,
};
