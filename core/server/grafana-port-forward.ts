// Opens the port-forward to a lab's Grafana with the engine's port-forward client
// (core/kube/port-forward.ts).
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { OpenPortForward } from './grafana-forwards.ts';

// Placeholder until the port-forward client lands (branch `mon`): it is wired here.
export const openGrafanaForward: OpenPortForward = () =>
  Promise.reject(
    new KartStreamError('backend-unavailable', 'the port-forward client is not part of this build yet', {
      fix: 'forward it by hand: kubectl -n monitoring port-forward svc/grafana 3000',
    }),
  );
