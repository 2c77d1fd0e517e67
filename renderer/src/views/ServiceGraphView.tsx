// Service graph: the shop's workloads by pool and the live calls between them (requests/s and
// error share from the lab's Prometheus), red where failing — the blast map of a fault. Clicking
// (or Enter on) an edge shows its numbers and the PromQL behind them.
import { useEffect, useMemo, useState } from 'react';
import type { GraphEdge, ServiceGraph } from '../../../core/contract/graph-types.ts';
import { api } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { layoutGraph, NODE_H, NODE_W } from './graph/graph-layout.ts';
import { edgeLabel, edgeLook, edgeWords, nodeLook, percentText, rpsText } from './graph/graph-format.ts';
import './graph/graph.css';

/** Prometheus scrapes the sim lab every 5 s: look again as often. */
export const GRAPH_REFRESH_MS = 5000;

const CopyButton = ({ text }: { text: string }) => {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button small"
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
};

const EdgeDetails = ({ edge, onClose }: { edge: GraphEdge; onClose: () => void }) => {
  const queries: [string, string | undefined][] = [
    ['Requests/s', edge.promql.rps],
    ['Error ratio', edge.promql.errorRatio],
    ['p95 latency (ms)', edge.promql.p95Ms],
  ];
  return (
    <aside
      className="sg-details"
      aria-label={`call ${edge.source} to ${edge.destination}`}
      data-testid="graph-edge-details"
    >
      <header className="sg-details-head">
        <h3>
          {edge.source} → {edge.destination}
        </h3>
        <button type="button" className="button small" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </header>
      <dl className="sg-figures">
        <dt>Requests</dt>
        <dd data-testid="graph-edge-rps">
          {edge.metrics === 'inferred' ? 'not measured (TCP)' : rpsText(edge.rps)}
        </dd>
        <dt>Errors</dt>
        <dd data-testid="graph-edge-errors" className={edge.failing ? 'sg-bad' : undefined}>
          {percentText(edge.errorRatio)}
        </dd>
        <dt>p95</dt>
        <dd>{edge.p95Ms === null ? '—' : `${Math.round(edge.p95Ms)} ms`}</dd>
        <dt>Protocol</dt>
        <dd>{edge.protocol}</dd>
      </dl>
      {edge.note && <p className="muted">{edge.note}</p>}
      {queries
        .filter((q): q is [string, string] => Boolean(q[1]))
        .map(([title, promql]) => (
          <section key={title} className="sg-query">
            <div className="sg-query-head">
              <span>{title}</span>
              <CopyButton text={promql} />
            </div>
            <pre data-testid="graph-edge-promql">
              <code>{promql}</code>
            </pre>
          </section>
        ))}
    </aside>
  );
};

const GraphCanvas = ({
  graph,
  selected,
  onSelect,
}: {
  graph: ServiceGraph;
  selected: string | undefined;
  onSelect: (id: string) => void;
}) => {
  // The layout depends on which workloads and calls exist, not on their numbers.
  const shape = JSON.stringify([
    graph.pools,
    graph.nodes.map((n) => [n.id, n.pool]),
    graph.edges.map((e) => e.id),
  ]);
  const layout = useMemo(() => layoutGraph(graph), [shape]); // eslint-disable-line react-hooks/exhaustive-deps
  const byId = new Map(graph.edges.map((e) => [e.id, e]));
  return (
    <svg
      className="sg-canvas"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="group"
      aria-label="service graph"
      data-testid="service-graph"
    >
      <defs>
        {['ok', 'failing', 'idle', 'no-data'].map((look) => (
          <marker
            key={look}
            id={`sg-arrow-${look}`}
            className={`sg-arrow sg-${look}`}
            viewBox="0 0 8 8"
            refX="8"
            refY="4"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L8,4 L0,8 z" />
          </marker>
        ))}
      </defs>
      {layout.lanes.map((lane) => (
        <g key={lane.pool} className="sg-lane" data-testid={`graph-pool-${lane.pool}`}>
          <rect x={lane.x} y={8} width={lane.width} height={layout.laneHeight} rx={8} />
          <text x={lane.x + 12} y={28}>
            {lane.pool} pool
          </text>
        </g>
      ))}
      {layout.edges.map((placed) => {
        const edge = byId.get(placed.id)!;
        const look = edgeLook(edge);
        const select = () => onSelect(edge.id);
        return (
          <g
            key={edge.id}
            className={`sg-edge sg-${look}${selected === edge.id ? ' sg-selected' : ''}`}
            role="button"
            tabIndex={0}
            aria-label={edgeWords(edge)}
            aria-pressed={selected === edge.id}
            data-testid={`graph-edge-${edge.source}-${edge.destination}`}
            data-failing={String(edge.failing)}
            data-look={look}
            data-rps={edge.rps ?? ''}
            data-error-ratio={edge.errorRatio ?? ''}
            onClick={select}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                select();
              }
            }}
          >
            <path className="sg-edge-hit" d={placed.path} />
            <path className="sg-edge-line" d={placed.path} markerEnd={`url(#sg-arrow-${look})`} />
            <text
              className="sg-edge-label"
              x={placed.label.x}
              y={placed.label.y}
              textAnchor="middle"
              dy="0.35em"
            >
              {edgeLabel(edge)}
            </text>
          </g>
        );
      })}
      {graph.nodes.map((node) => {
        const at = layout.nodes.get(node.id);
        if (!at) return null;
        const look = nodeLook(node, graph.objective);
        const replicas =
          node.desired === null ? 'not a Deployment' : `${node.available}/${node.desired} ready`;
        return (
          <g
            key={node.id}
            className={`sg-node sg-node-${look}`}
            data-testid={`graph-node-${node.id}`}
            data-look={look}
            role="img"
            aria-label={`${node.id} in pool ${node.pool}: ${replicas}${node.errorRatio === null ? '' : `, ${percentText(node.errorRatio)} of its requests failed`}`}
          >
            <rect x={at.x} y={at.y} width={NODE_W} height={NODE_H} rx={6} />
            <text x={at.x + 10} y={at.y + 17} className="sg-node-name">
              {node.id}
            </text>
            <text x={at.x + 10} y={at.y + 33} className="sg-node-meta">
              {replicas}
              {node.errorRatio !== null && node.errorRatio > 0
                ? ` · ${percentText(node.errorRatio)} err`
                : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
};

export const ServiceGraphView = ({ lab }: { lab: string }) => {
  const graph = useQuery<ServiceGraph>(() => api.traffic.graph.query({ lab }), [lab]);
  const [selected, setSelected] = useState<string>();
  const reload = graph.reload;
  useEffect(() => {
    const timer = window.setInterval(reload, GRAPH_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  useEffect(() => setSelected(undefined), [lab]);
  // Data from another lab is not shown while this one loads.
  const data = graph.data?.lab === lab ? graph.data : undefined;
  const edge = data?.edges.find((e) => e.id === selected);
  const failing = data?.edges.filter((e) => e.failing).length ?? 0;

  return (
    <div
      className={`sg-view${graph.error && data ? ' sg-stale' : ''}`}
      data-testid="graph-view"
      data-loaded={String(Boolean(data))}
    >
      <header className="sg-head">
        <h2>Service graph</h2>
        {data && (
          <span className="sg-summary" aria-live="polite" data-testid="graph-summary">
            {data.metricsPresent
              ? `${failing} failing call${failing === 1 ? '' : 's'} · rates over ${data.window}, objective ${percentText(data.objective)} errors`
              : 'no traffic data'}
          </span>
        )}
        {data && (
          <span className="muted" data-testid="graph-updated-at" data-at={data.at}>
            updated {data.at.slice(11, 19)}
          </span>
        )}
      </header>
      <ul className="legend sg-legend" aria-label="Edge legend">
        <li>
          <span className="sg-swatch sg-ok" /> requests/s · error %
        </li>
        <li>
          <span className="sg-swatch sg-failing" /> errors above the objective
        </li>
        <li>
          <span className="sg-swatch sg-idle" /> no traffic
        </li>
      </ul>
      {graph.error && (
        <div data-testid="graph-unavailable">
          <ErrorMessage error={graph.error} />
          {data && <p className="muted">The graph below is from {data.at.slice(11, 19)} and may be stale.</p>}
        </div>
      )}
      {!data && !graph.error && <p className="placeholder">Reading the lab’s traffic…</p>}
      {data && !data.metricsPresent && (
        <div className="banner stale" role="status" data-testid="graph-no-traffic">
          No traffic data: the lab’s Prometheus has no Istio request samples in the last {data.window}. The
          calls below come from the shop’s call graph; their numbers are unknown, not zero.
        </div>
      )}
      {data && (
        <div className={`sg-body${edge ? ' with-details' : ''}`}>
          <GraphCanvas
            graph={data}
            selected={selected}
            onSelect={(id) => setSelected(id === selected ? undefined : id)}
          />
          {edge && <EdgeDetails edge={edge} onClose={() => setSelected(undefined)} />}
        </div>
      )}
    </div>
  );
};
