// breakPods / healPods on an attached cluster: the shared Deployment patching of ../common/.
export { breakDeploymentPods, healDeploymentPods } from '../common/deployment-fault-actions.ts';
