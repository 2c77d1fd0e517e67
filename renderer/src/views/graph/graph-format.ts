// How the service graph writes its numbers and picks each edge's look.
import type { GraphEdge, GraphNode } from '../../../../core/contract/graph-types.ts';

export const rpsText = (rps: number | null): string =>
  rps === null ? 'no rate' : rps >= 10 ? `${rps.toFixed(0)}/s` : `${rps.toFixed(2)}/s`;

export const percentText = (ratio: number | null): string => {
  if (ratio === null) return '—';
  const p = ratio * 100;
  return p === 0 ? '0%' : p < 0.1 ? '<0.1%' : p >= 10 ? `${p.toFixed(0)}%` : `${p.toFixed(1)}%`;
};

export type EdgeLook = 'failing' | 'idle' | 'ok' | 'no-data';

export const edgeLook = (edge: GraphEdge): EdgeLook =>
  edge.failing
    ? 'failing'
    : edge.errorRatio === null && edge.rps === null
      ? 'no-data'
      : edge.idle
        ? 'idle'
        : 'ok';

/** The words on the edge: rate and errors; a TCP edge says it has no request metrics. */
export const edgeLabel = (edge: GraphEdge): string => {
  if (edge.metrics === 'inferred') return `TCP · ${percentText(edge.errorRatio)} err`;
  if (edge.rps === null) return 'no data';
  if (edge.idle) return 'no traffic';
  return `${rpsText(edge.rps)} · ${percentText(edge.errorRatio)}`;
};

export const edgeWords = (edge: GraphEdge): string => {
  const what = `${edge.source} to ${edge.destination}`;
  if (edge.metrics === 'inferred')
    return `${what}: no request metrics (TCP), ${percentText(edge.errorRatio)} of its caller's requests failed on it`;
  if (edge.rps === null) return `${what}: no traffic data`;
  return `${what}: ${rpsText(edge.rps)} requests, ${percentText(edge.errorRatio)} errors${edge.failing ? ', failing' : ''}`;
};

export type NodeLook = 'down' | 'failing' | 'ok' | 'scaled-down';

export const nodeLook = (node: GraphNode, objective: number): NodeLook => {
  if (node.desired === 0) return 'scaled-down';
  if (node.available === 0) return 'down';
  return node.errorRatio !== null && node.errorRatio > objective ? 'failing' : 'ok';
};
