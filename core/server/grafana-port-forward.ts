// Opens the port-forward to a lab's Grafana. The engine's port-forward client through the
// Kubernetes API (core/kube/port-forward.ts) comes with branch `mon`; once it is merged this
// module becomes
//   export const openGrafanaForward: OpenPortForward = (kubeconfigPath, target) =>
//     openPortForward(kubeconfigPath, target);
// Until then "Open Grafana" answers how to forward it by hand.
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { OpenPortForward } from './grafana-forwards.ts';

export const openGrafanaForward: OpenPortForward = (kubeconfigPath, target) =>
  Promise.reject(
    new KartStreamError('backend-unavailable', 'the port-forward client is not part of this build yet', {
      fix: `forward it by hand: kubectl --kubeconfig ${kubeconfigPath} -n ${target.namespace} port-forward svc/${target.service} ${target.port}`,
    }),
  );
