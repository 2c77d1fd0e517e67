// disruptionBudget: a PodDisruptionBudget keeps at least `minAvailable` of the shop's pods that
// match `selector`, and there are enough healthy ones that it allows an eviction now (a budget
// over a single replica blocks every drain). Read from the API on a tick: the store does not
// watch budgets, and their status follows the pods a moment later.
import { PolicyV1Api, type V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { CheckHandler, CheckOutcome } from './check-handler.ts';
import { matchesSelector } from './cluster-reads.ts';

/** Whether a budget's selector (matchLabels only; expressions are not read) selects these labels. */
const selects = (budget: V1PodDisruptionBudget, labels: Record<string, string>): boolean => {
  const wanted = budget.spec?.selector?.matchLabels ?? {};
  return (
    Object.keys(wanted).length > 0 &&
    !budget.spec?.selector?.matchExpressions?.length &&
    Object.entries(wanted).every(([k, v]) => labels[k] === v)
  );
};

/** The verdict on a namespace's budgets for the pods `selector` names (their labels, as written). */
export const judgeBudgets = (
  budgets: readonly V1PodDisruptionBudget[],
  selector: string,
  minAvailable: number,
): CheckOutcome => {
  const labels = Object.fromEntries(selector.split(',').map((t) => t.split('=').map((x) => x.trim()) as [string, string]));
  const covering = budgets.filter((b) => selects(b, labels) && matchesSelector(labels, selector));
  if (covering.length === 0) return { ok: false, detail: `no PodDisruptionBudget selects ${selector}` };
  const describe = (b: V1PodDisruptionBudget) =>
    `${b.metadata?.name}: minAvailable ${b.spec?.minAvailable ?? '-'}, ${b.status?.currentHealthy ?? 0} healthy, ${b.status?.disruptionsAllowed ?? 0} disruption(s) allowed`;
  const good = covering.find(
    (b) =>
      typeof b.spec?.minAvailable === 'number' &&
      b.spec.minAvailable >= minAvailable &&
      (b.status?.disruptionsAllowed ?? 0) >= 1,
  );
  return { ok: good !== undefined, detail: (good ? [good] : covering).map(describe).join('; ') };
};

export const disruptionBudget: CheckHandler<'disruptionBudget'> = {
  polled: true,
  evaluate: async ({ clients, namespace }, { selector, minAvailable }) => {
    const api = clients.config.makeApiClient(PolicyV1Api);
    const budgets = await api.listNamespacedPodDisruptionBudget({ namespace });
    return judgeBudgets(budgets.items, selector, minAvailable);
  },
};
