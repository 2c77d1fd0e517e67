// The pod faults the sim backend can give: a label on the pod that the KWOK stages in
// infra/sim/stages/ react to (crash loop, never Ready, Failed).
import type { PodFault } from '../cluster-backend.ts';

/** The label that injects a fault; the stages in infra/sim/stages/ react to it. */
export const FAULT_LABEL = 'kartstream.dev/fault';

/** Every pod fault has a stage, so sim can give them all. */
export const SIM_POD_FAULTS: readonly PodFault[] = ['crashloop', 'not-ready', 'failed'];
