// Pod faults on kind: the owner Deployment is patched, as on any cluster with real kubelets; the
// patches live in ../common/deployment-faults.ts (shared with the external backend).
export {
  CRASHLOOP_COMMAND,
  currentFault,
  DEPLOYMENT_POD_FAULTS as KIND_POD_FAULTS,
  FAULT_ANNOTATION,
  faultPatch,
  healPatch,
  NOT_READY_PROBE,
  type JsonPatchOp,
} from '../common/deployment-faults.ts';
