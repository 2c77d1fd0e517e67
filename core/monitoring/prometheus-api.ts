// The engine's monitoring clients: Prometheus' HTTP API (v1) and Alertmanager's API (v2).
import { parse as parseYaml } from 'yaml';
import { KartStreamError } from '../errors/kartstream-error.ts';

/** A Prometheus duration (`5s`, `1m30s`, `2h`) in seconds. */
export const durationSeconds = (text: string): number => {
  const units: Record<string, number> = {
    ms: 0.001,
    s: 1,
    m: 60,
    h: 3600,
    d: 86_400,
    w: 604_800,
    y: 31_536_000,
  };
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new KartStreamError('invalid-input', `not a Prometheus duration: ${JSON.stringify(text)}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] as string] ?? 0), 0);
};

const getJson = async <T>(url: string, what: string): Promise<T> => {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new KartStreamError('backend-unavailable', `${what} does not answer at ${new URL(url).origin}`, {
      cause,
      // Reached through a port-forward to its pod: a pod that is not Ready answers nothing.
      fix: 'check its pod: `kubectl -n monitoring get pods -o wide` (its node may be down); `npx kartstream status` shows the lab',
    });
  }
  const body = (await res.json().catch(() => undefined)) as
    { status?: string; error?: string; data?: unknown } | undefined;
  if (!res.ok || (body && body.status === 'error')) {
    throw new KartStreamError(
      'invalid-input',
      `${what} refused the request: ${body?.error ?? res.statusText}`,
    );
  }
  return body as T;
};

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromRangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface PromRule {
  name: string;
  type: 'alerting' | 'recording';
  state?: 'inactive' | 'pending' | 'firing';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  alerts?: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
    state: string;
    activeAt?: string;
    value?: string;
  }[];
}

export class PrometheusApi {
  constructor(private readonly base: string) {}

  // An instant query; the PromQL error, if any, comes back in Prometheus' own words.
  async query(promql: string): Promise<{ resultType: string; result: PromSample[] }> {
    const url = `${this.base}/api/v1/query?query=${encodeURIComponent(promql)}`;
    return (await getJson<{ data: { resultType: string; result: PromSample[] } }>(url, 'Prometheus')).data;
  }

  // A range query: one series per label set, each with its [unix seconds, value] samples.
  async queryRange(
    promql: string,
    start: Date,
    end: Date,
    stepSeconds: number,
  ): Promise<{ resultType: string; result: PromRangeSeries[] }> {
    const q = new URLSearchParams({
      query: promql,
      start: String(start.getTime() / 1000),
      end: String(end.getTime() / 1000),
      step: String(stepSeconds),
    });
    return (
      await getJson<{ data: { resultType: string; result: PromRangeSeries[] } }>(
        `${this.base}/api/v1/query_range?${q}`,
        'Prometheus',
      )
    ).data;
  }

  // The values of `label` on the series `match` selects (all series when none), sorted.
  async labelValues(label: string, match?: string): Promise<string[]> {
    const q = match ? `?${new URLSearchParams({ 'match[]': match })}` : '';
    const body = await getJson<{ data: string[] }>(
      `${this.base}/api/v1/label/${encodeURIComponent(label)}/values${q}`,
      'Prometheus',
    );
    return [...body.data].sort();
  }

  // Prometheus' own `global.scrape_interval`, in seconds (its default, 1m, when unset).
  async scrapeIntervalSeconds(): Promise<number> {
    const body = await getJson<{ data: { yaml: string } }>(`${this.base}/api/v1/status/config`, 'Prometheus');
    const config = parseYaml(body.data.yaml) as { global?: { scrape_interval?: string } } | null;
    return durationSeconds(config?.global?.scrape_interval ?? '1m');
  }

  async alertingRules(): Promise<PromRule[]> {
    const body = await getJson<{ data: { groups: { rules: PromRule[] }[] } }>(
      `${this.base}/api/v1/rules?type=alert`,
      'Prometheus',
    );
    return body.data.groups.flatMap((g) => g.rules);
  }
}

export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
}

export class AlertmanagerApi {
  constructor(private readonly base: string) {}

  async alerts(): Promise<AmAlert[]> {
    return getJson<AmAlert[]>(`${this.base}/api/v2/alerts`, 'Alertmanager');
  }
}
