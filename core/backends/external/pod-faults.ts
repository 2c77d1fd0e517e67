// Pod faults on an attached cluster: its kubelets are real, so a fault is a patch of the pods'
// owner Deployment, exactly as on kind (../common/deployment-faults.ts). `failed` cannot be had:
// a Deployment pod restarts forever.
export { DEPLOYMENT_POD_FAULTS as EXTERNAL_POD_FAULTS } from '../common/deployment-faults.ts';
