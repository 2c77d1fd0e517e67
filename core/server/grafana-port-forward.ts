// Opens the port-forward to a lab's Grafana with the engine's one port-forward client through the
// Kubernetes API (core/kube/port-forward.ts), as for Prometheus and Alertmanager.
import { openPortForward } from '../kube/port-forward.ts';
import type { OpenPortForward } from './grafana-forwards.ts';

export const openGrafanaForward: OpenPortForward = (kubeconfigPath, target) =>
  openPortForward(kubeconfigPath, target);
