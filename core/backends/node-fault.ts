// The fault KartStream gave a node, whatever the backend: sim's fault label (KWOK's stages read
// it), or the external backend's failed taint. The map and `status` show it the same way.
import type { V1Node } from '@kubernetes/client-node';
import { isFailedNode } from './external/node-actions.ts';
import { FAULT_LABEL } from './sim/pod-faults.ts';

export const nodeFault = (node: V1Node): string | undefined =>
  node.metadata?.labels?.[FAULT_LABEL] ?? (isFailedNode(node) ? 'failed' : undefined);
