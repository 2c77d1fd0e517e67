// The map's grid arithmetic and how pods and nodes read without colour.
import { describe, expect, it } from 'vitest';
import type { PodView } from '../../../core/contract/wire-types.ts';
import {
  CARD_GAP,
  CARD_WIDTH,
  CHIPS_PER_CARD,
  columnsFor,
  laneBodyHeight,
  MAX_VISIBLE_ROWS,
  ROW_HEIGHT,
  rowItems,
  rowsFor,
  visibleChips,
} from '../../../renderer/src/views/map/grid-layout.ts';
import { chipName, nodeState, podLook } from '../../../renderer/src/views/map/pod-look.ts';

describe('grid layout', () => {
  it('fits as many fixed-width cards as the width allows, at least one', () => {
    expect(columnsFor(0)).toBe(1);
    expect(columnsFor(CARD_WIDTH)).toBe(1);
    expect(columnsFor(2 * CARD_WIDTH + CARD_GAP)).toBe(2);
    expect(columnsFor(2 * CARD_WIDTH + CARD_GAP - 1)).toBe(1);
    expect(columnsFor(1200)).toBe(Math.floor((1200 + CARD_GAP) / (CARD_WIDTH + CARD_GAP)));
  });

  it('counts rows and slices them', () => {
    expect(rowsFor(0, 4)).toBe(0);
    expect(rowsFor(4, 4)).toBe(1);
    expect(rowsFor(5, 4)).toBe(2);
    expect(rowItems(['a', 'b', 'c', 'd', 'e'], 1, 4)).toEqual(['e']);
    expect(rowItems(['a', 'b', 'c', 'd', 'e'], 0, 2)).toEqual(['a', 'b']);
  });

  it('reserves room for the desired nodes, one row at least, and scrolls beyond a few rows', () => {
    expect(laneBodyHeight(0, 0, 4)).toBe(ROW_HEIGHT);
    expect(laneBodyHeight(2, 6, 4)).toBe(2 * ROW_HEIGHT);
    expect(laneBodyHeight(250, 250, 5)).toBe(MAX_VISIBLE_ROWS * ROW_HEIGHT);
  });

  it('shows every chip that fits and a "+N more" for the rest', () => {
    const few = Array.from({ length: CHIPS_PER_CARD }, (_, i) => i);
    expect(visibleChips(few)).toEqual({ shown: few, more: 0 });
    const many = Array.from({ length: 30 }, (_, i) => i);
    const { shown, more } = visibleChips(many);
    expect(shown.length + 1).toBe(CHIPS_PER_CARD);
    expect(shown.length + more).toBe(30);
  });
});

describe('pod and node looks', () => {
  const base: PodView = {
    key: 'shop/cart-1',
    name: 'cart-1',
    namespace: 'shop',
    workload: 'cart',
    node: 'backend-1',
    pool: 'backend',
    phase: 'Running',
    ready: true,
    restarts: 0,
    createdAt: '',
  };

  it('gives each phase and readiness its own letter', () => {
    const letters = [
      podLook(base),
      podLook({ ...base, ready: false }),
      podLook({ ...base, ready: false, reason: 'CrashLoopBackOff' }),
      podLook({ ...base, phase: 'Pending', ready: false }),
      podLook({ ...base, phase: 'Failed', ready: false }),
      podLook({ ...base, phase: 'Succeeded', ready: false }),
    ].map((look) => look.letter);
    expect(letters).toEqual(['R', 'N', 'C', 'P', 'F', 'S']);
    expect(podLook({ ...base, phase: 'Pending', ready: false, reason: 'Unschedulable' }).words).toContain(
      'Unschedulable',
    );
  });

  it('shortens shop service names on chips, and only those', () => {
    expect(chipName({ ...base, workload: 'cartservice' })).toBe('cart');
    expect(chipName({ ...base, workload: 'redis-cart' })).toBe('redis-cart');
    expect(chipName({ ...base, workload: 'service' })).toBe('service');
    expect(chipName({ ...base, workload: '', name: 'lonely-pod' })).toBe('lonely-pod');
  });

  it('names node states: a not-ready node is not ready even when cordoned', () => {
    expect(nodeState({ ready: true, schedulable: true })).toBe('ready');
    expect(nodeState({ ready: true, schedulable: false })).toBe('cordoned');
    expect(nodeState({ ready: false, schedulable: false })).toBe('not-ready');
  });
});
