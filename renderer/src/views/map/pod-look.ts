// How a pod chip looks: a tone (colour), a letter (so the state reads without colour) and the
// words for its title and screen readers.
import type { PodView } from '../../../../core/contract/wire-types.ts';

export type PodTone = 'ok' | 'warn' | 'bad' | 'wait' | 'done' | 'unknown';

export interface PodLook {
  tone: PodTone;
  letter: string;
  words: string;
}

export const podLook = (pod: PodView): PodLook => {
  const reason = pod.reason ? ` (${pod.reason})` : '';
  switch (pod.phase) {
    case 'Running':
      if (pod.ready) return { tone: 'ok', letter: 'R', words: 'running, ready' };
      if (pod.reason && /crash|backoff|error/i.test(pod.reason))
        return { tone: 'bad', letter: 'C', words: `running, not ready${reason}` };
      return { tone: 'warn', letter: 'N', words: `running, not ready${reason}` };
    case 'Pending':
      return { tone: 'wait', letter: 'P', words: `pending${reason}` };
    case 'Failed':
      return { tone: 'bad', letter: 'F', words: `failed${reason}` };
    case 'Succeeded':
      return { tone: 'done', letter: 'S', words: 'succeeded' };
    default:
      return { tone: 'unknown', letter: '?', words: `${pod.phase || 'unknown'}${reason}` };
  }
};

/** The short name on a chip: the workload without the "service" every shop service ends in. */
export const chipName = (pod: PodView): string => (pod.workload || pod.name).replace(/(?<=.)service$/, '');

/** A node's state in one word, for the card's label and its `data-state`. */
export const nodeState = (node: {
  ready: boolean;
  schedulable: boolean;
}): 'ready' | 'not-ready' | 'cordoned' =>
  !node.ready ? 'not-ready' : node.schedulable ? 'ready' : 'cordoned';
