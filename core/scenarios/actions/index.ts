// Every scenario action, by kind. Adding an action: its module in this folder and a line here.
import type { ActionTable } from './action-handler.ts';
import { apply } from './apply.ts';
import { breakPods } from './break-pods.ts';
import { deleteObjects } from './delete.ts';
import { deleteAll } from './delete-all.ts';
import { deletePods } from './delete-pods.ts';
import { drainNode } from './drain-node.ts';
import { failNode } from './fail-node.ts';
import { failZone } from './fail-zone.ts';
import { healNode } from './heal-node.ts';
import { healPods } from './heal-pods.ts';
import { patch } from './patch.ts';
import { removeToleration } from './remove-toleration.ts';
import { restoreShop } from './restore-shop.ts';
import { scaleDeployment } from './scale-deployment.ts';
import { scalePool } from './scale-pool.ts';
import { setLoad } from './set-load.ts';
import { setUsage } from './set-usage.ts';
import { uncordonNode } from './uncordon-node.ts';
import { wait } from './wait.ts';

export const ACTIONS: ActionTable = {
  failNode,
  healNode,
  scalePool,
  scaleDeployment,
  deletePods,
  breakPods,
  healPods,
  setUsage,
  apply,
  delete: deleteObjects,
  patch,
  removeToleration,
  restoreShop,
  wait,
  failZone,
  setLoad,
  deleteAll,
  drainNode,
  uncordonNode,
};
