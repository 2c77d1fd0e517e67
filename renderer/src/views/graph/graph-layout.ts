// Where the service graph draws each workload and call, deterministically (no force layout, so
// nothing jumps between refreshes or during a fault): one lane per pool, left to right in the
// graph's pool order; inside a lane, one column per call depth (the longest call chain from the
// traffic source). A call that skips columns passes each one through a waypoint of its own (the
// layered drawing of Sugiyama et al.), and each column is ordered by the rows feeding it, so calls
// run between boxes and rarely cross. Each label sits in the gap just before its callee's column,
// nudged apart from the labels sharing that gap.

export const NODE_W = 180;
export const NODE_H = 42;
const COL_GAP = 132;
const ROW_GAP = 22;
const LANE_PAD = 14;
const LANE_HEAD = 30;
const LABEL_H = 16;
const MARGIN = 8;

export interface LayoutInput {
  pools: string[];
  nodes: { id: string; pool: string }[];
  edges: { id: string; source: string; destination: string }[];
}

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
}

export interface PlacedLane {
  pool: string;
  x: number;
  width: number;
}

export interface PlacedEdge {
  id: string;
  /** SVG path data. */
  path: string;
  label: { x: number; y: number };
}

export interface GraphLayout {
  width: number;
  height: number;
  laneHeight: number;
  lanes: PlacedLane[];
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
}

/** Longest call chain from a workload nobody calls; cycles are cut at the node count. */
export const callDepths = (input: LayoutInput): Map<string, number> => {
  const depth = new Map(input.nodes.map((n) => [n.id, 0]));
  const limit = input.nodes.length;
  for (let round = 0; round < limit; round++) {
    let changed = false;
    for (const e of input.edges) {
      if (e.source === e.destination || !depth.has(e.source) || !depth.has(e.destination)) continue;
      const next = Math.min(limit, depth.get(e.source)! + 1);
      if (next > depth.get(e.destination)!) {
        depth.set(e.destination, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return depth;
};

type Point = [number, number];

/** A slot in a column: a workload, or a waypoint of a call that passes the column. */
interface Slot {
  key: string;
  node?: string;
  /** Where the slot's barycenter is taken from: the slots feeding it in the column before. */
  from: string[];
}

const curve = (a: Point, b: Point): string => {
  const mid = (a[0] + b[0]) / 2;
  return ` C${mid},${a[1]} ${mid},${b[1]} ${b[0]},${b[1]}`;
};

const LABEL_T = 0.7;

// The point at LABEL_T of the curve `curve` draws from a to b.
const labelPoint = (a: Point, b: Point): { x: number; y: number } => {
  const u = 1 - LABEL_T;
  const mid = (a[0] + b[0]) / 2;
  const w = [u * u * u, 3 * u * u * LABEL_T, 3 * u * LABEL_T * LABEL_T, LABEL_T ** 3] as const;
  return {
    x: w[0] * a[0] + (w[1] + w[2]) * mid + w[3] * b[0],
    y: (w[0] + w[1]) * a[1] + (w[2] + w[3]) * b[1],
  };
};

export const layoutGraph = (input: LayoutInput): GraphLayout => {
  const depth = callDepths(input);
  // Columns: per pool in lane order, its nodes' distinct depths ascending.
  const columns: { pool: string; slots: Slot[] }[] = [];
  const columnOf = new Map<string, number>();
  for (const pool of input.pools) {
    const inPool = input.nodes.filter((n) => n.pool === pool);
    for (const d of [...new Set(inPool.map((n) => depth.get(n.id) ?? 0))].sort((a, b) => a - b)) {
      const ids = inPool.filter((n) => (depth.get(n.id) ?? 0) === d).map((n) => n.id);
      ids.forEach((id) => columnOf.set(id, columns.length));
      columns.push({ pool, slots: ids.map((id) => ({ key: id, node: id, from: [] })) });
    }
  }
  // A call that skips columns gets a waypoint in each column it passes, so it runs between the
  // boxes there instead of through them.
  const routes = new Map<string, string[]>();
  for (const e of input.edges) {
    const from = columnOf.get(e.source);
    const to = columnOf.get(e.destination);
    if (from === undefined || to === undefined || to <= from) continue;
    const route = [e.source];
    for (let c = from + 1; c < to; c++) {
      const key = `${e.id}@${c}`;
      columns[c]!.slots.push({ key, from: [route.at(-1)!] });
      route.push(key);
    }
    route.push(e.destination);
    routes.set(e.id, route);
    const target = columns[to]!.slots.find((slot) => slot.node === e.destination)!;
    target.from.push(route.at(-2)!);
  }
  // Order each column by the mean row of what feeds it (one left-to-right sweep), then by key.
  const rowOf = new Map<string, number>();
  for (const column of columns) {
    const weight = (slot: Slot) => {
      const rows = slot.from.map((k) => rowOf.get(k)).filter((r): r is number => r !== undefined);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.POSITIVE_INFINITY;
    };
    column.slots.sort((a, b) => {
      const wa = weight(a);
      const wb = weight(b);
      return wa === wb ? a.key.localeCompare(b.key) : wa - wb;
    });
    // Rows centred on the column's middle, so fan-ins and fan-outs stay level.
    column.slots.forEach((slot, i) => rowOf.set(slot.key, i - (column.slots.length - 1) / 2));
  }
  const rows = Math.max(1, ...columns.map((c) => c.slots.length));
  const bodyHeight = rows * NODE_H + (rows - 1) * ROW_GAP;
  const laneHeight = LANE_HEAD + bodyHeight + 2 * LANE_PAD;
  const middle = MARGIN + LANE_HEAD + LANE_PAD + bodyHeight / 2;

  const nodes = new Map<string, PlacedNode>();
  const slotAt = new Map<string, Point>(); // left edge, vertical middle
  const lanes: PlacedLane[] = [];
  let x = MARGIN;
  columns.forEach((column, i) => {
    if (i === 0 || columns[i - 1]!.pool !== column.pool) {
      if (i > 0) x += COL_GAP - 2 * LANE_PAD;
      lanes.push({ pool: column.pool, x, width: 0 });
      x += LANE_PAD;
    } else x += COL_GAP;
    for (const slot of column.slots) {
      const y = middle + rowOf.get(slot.key)! * (NODE_H + ROW_GAP);
      slotAt.set(slot.key, [x, y]);
      if (slot.node) nodes.set(slot.node, { id: slot.node, x, y: y - NODE_H / 2 });
    }
    x += NODE_W;
    const lane = lanes.at(-1)!;
    lane.width = x + LANE_PAD - lane.x;
    if (i === columns.length - 1 || columns[i + 1]!.pool !== column.pool) x += LANE_PAD;
  });
  const width = x + MARGIN;
  const height = laneHeight + 2 * MARGIN;

  const edges: PlacedEdge[] = [];
  const gaps = new Map<string, PlacedEdge[]>();
  for (const e of input.edges) {
    const s = nodes.get(e.source);
    const d = nodes.get(e.destination);
    if (!s || !d) continue;
    const route = routes.get(e.id);
    let path: string;
    let label: { x: number; y: number };
    if (route) {
      const points = route.map((key) => slotAt.get(key)!);
      let at: Point = [points[0]![0] + NODE_W, points[0]![1]];
      path = `M${at.join(',')}`;
      for (const [left, y] of points.slice(1, -1)) {
        path += `${curve(at, [left, y])} L${left + NODE_W},${y}`;
        at = [left + NODE_W, y];
      }
      const end = points.at(-1)!;
      path += curve(at, end);
      // Along the last curve, nearer the callee: labels group by callee, not by caller.
      label = labelPoint(at, end);
    } else {
      // Same or earlier column (not in the shop's graph): a loop out to the right of both.
      const out = Math.max(s.x, d.x) + NODE_W + COL_GAP / 2;
      path = `M${s.x + NODE_W},${s.y + NODE_H / 2} C${out},${s.y + NODE_H / 2} ${out},${d.y + NODE_H / 2} ${d.x + NODE_W},${d.y + NODE_H / 2}`;
      label = { x: out - COL_GAP / 8, y: (s.y + d.y) / 2 + NODE_H / 2 };
    }
    const placed = { id: e.id, path, label };
    edges.push(placed);
    const gap = String(Math.round(label.x));
    gaps.set(gap, [...(gaps.get(gap) ?? []), placed]);
  }
  // Labels sharing a gap are pushed apart, top to bottom, in a stable order.
  for (const group of gaps.values()) {
    group.sort((a, b) => a.label.y - b.label.y || a.id.localeCompare(b.id));
    for (let i = 1; i < group.length; i++) {
      const above = group[i - 1]!.label.y;
      if (group[i]!.label.y < above + LABEL_H) group[i]!.label.y = above + LABEL_H;
    }
  }
  const lowest = Math.max(height, ...edges.map((e) => e.label.y + LABEL_H));
  return { width, height: lowest, laneHeight, lanes, nodes, edges };
};
