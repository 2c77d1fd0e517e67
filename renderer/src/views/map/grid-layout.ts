// Fixed sizes of the map's node grid, so cards never move when data streams in, and the
// arithmetic the lanes use to window 1,000 nodes: how many cards fit a row, how many rows a lane
// has, how tall a lane is before it scrolls. Kept in step with the card sizes in styles.css.

export const CARD_WIDTH = 264;
export const CARD_HEIGHT = 156;
export const CARD_GAP = 8;
export const ROW_HEIGHT = CARD_HEIGHT + CARD_GAP;
/** Pod chips a card shows before "+N more": 3 per row, 4 rows. */
export const CHIPS_PER_CARD = 12;
/** A lane shows this many rows and scrolls beyond them. */
export const MAX_VISIBLE_ROWS = 3;

/** Cards per row in a lane body of `width` pixels (at least one). */
export const columnsFor = (width: number): number =>
  Math.max(1, Math.floor((width + CARD_GAP) / (CARD_WIDTH + CARD_GAP)));

export const rowsFor = (count: number, columns: number): number =>
  count <= 0 ? 0 : Math.ceil(count / Math.max(1, columns));

/**
 * The lane body's height: room for the nodes it has or the topology asks for (whichever is more,
 * so a pool that is scaling up does not push the lanes below it), at least one row, at most
 * MAX_VISIBLE_ROWS.
 */
export const laneBodyHeight = (nodes: number, desiredNodes: number, columns: number): number => {
  const rows = rowsFor(Math.max(nodes, desiredNodes, 1), columns);
  return Math.min(rows, MAX_VISIBLE_ROWS) * ROW_HEIGHT;
};

/** The slice of `items` that sits in row `row` of a grid with `columns` columns. */
export const rowItems = <T>(items: readonly T[], row: number, columns: number): T[] =>
  items.slice(row * columns, row * columns + columns);

/** What a card shows of its pods: the first CHIPS_PER_CARD, and how many more there are. */
export const visibleChips = <T>(pods: readonly T[]): { shown: readonly T[]; more: number } =>
  pods.length <= CHIPS_PER_CARD
    ? { shown: pods, more: 0 }
    : { shown: pods.slice(0, CHIPS_PER_CARD - 1), more: pods.length - (CHIPS_PER_CARD - 1) };
