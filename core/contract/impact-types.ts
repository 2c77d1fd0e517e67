// What shoppers felt during a scenario run, from the lab's Istio request metrics
// (core/monitoring/customer-impact.ts): shown in the debrief beside the steady state.

export type CustomerImpact =
  | {
      available: true;
      /** The run's window (ISO). */
      from: string;
      to: string;
      /** PlaceOrder calls to checkoutservice in the window, and those that failed. */
      checkouts: number;
      failedCheckouts: number;
      /** The checkout SLO's objective (manifests/monitoring/slo.yaml), e.g. 0.999. */
      objective: number;
      /** Minutes the checkout error ratio (over 1m) stayed above 1 − objective. */
      minutesAboveObjective: number;
      /** Minutes of the window with checkouts to judge (the ratio of no checkouts is undefined). */
      minutesJudged: number;
      /** The PromQL behind the figures, to rerun in Prometheus. */
      queries: { checkouts: string; failedCheckouts: string; errorRatio: string };
    }
  | {
      available: false;
      /** Why there are no figures, e.g. "no traffic data: the lab runs without monitoring". */
      reason: string;
    };
