// Serves the kube-state-metrics series (ksm-series.ts) in the Prometheus text format through
// prom-client: each gauge refills itself from the watch store when scraped.
import { Gauge, Registry } from 'prom-client';
import type { ClusterView } from '../kube/cluster-view.ts';
import { ksmFamilies } from './ksm-series.ts';

export const ksmRegistry = (view: ClusterView): Registry => {
  const registry = new Registry();
  // One computation per scrape, shared by every gauge's collect().
  let cached: { at: number; families: ReturnType<typeof ksmFamilies> } | undefined;
  const families = () => {
    if (!cached || Date.now() - cached.at > 500) cached = { at: Date.now(), families: ksmFamilies(view) };
    return cached.families;
  };
  for (const family of ksmFamilies(view)) {
    new Gauge({
      name: family.name,
      help: family.help,
      labelNames: family.labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of families().find((f) => f.name === family.name)?.series ?? [])
          this.set(s.labels, s.value);
      },
    });
  }
  return registry;
};
