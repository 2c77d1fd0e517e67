// Every scenario check, by kind. Adding a check: its module in this folder and a line here.
import { alertRule } from './alert-rule.ts';
import { alert } from './alert.ts';
import type { CheckTable } from './check-handler.ts';
import { deploymentsAvailable } from './deployments-available.ts';
import { deploymentsServing } from './deployments-serving.ts';
import { disruptionBudget } from './disruption-budget.ts';
import { event } from './event.ts';
import { http } from './http.ts';
import { httpFails } from './http-fails.ts';
import { learnerRan } from './learner-ran.ts';
import { monitoringAnswers } from './monitoring-answers.ts';
import { noPodsOn } from './no-pods-on.ts';
import { nodesCordoned } from './nodes-cordoned.ts';
import { nodesReady } from './nodes-ready.ts';
import { pendingPods } from './pending-pods.ts';
import { podsOnPool } from './pods-on-pool.ts';
import { promql } from './promql.ts';
import { spreadAcrossZones } from './spread-across-zones.ts';

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
  httpFails,
  monitoringAnswers,
  learnerRan,
  spreadAcrossZones,
  deploymentsServing,
  nodesCordoned,
  disruptionBudget,
};
