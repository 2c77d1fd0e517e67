// What the external backend keeps about an attached cluster, in <lab dir>/attachment.json
// (private): where the kubeconfig came from, the shop's URL if it has one, and what
// `attach --deploy` applied (so `down --remove-deployed` deletes exactly that, nothing else).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateJson } from '../../home/private-files.ts';

export interface AppliedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface Attachment {
  /** The user's kubeconfig and the context copied from it (or how the credentials are minted). */
  source: string;
  context: string;
  server: string;
  /** The shop's address from this machine (the frontend-external LoadBalancer), when it has one. */
  shopUrl?: string;
  /** Objects KartStream applied (attach --deploy); namespaces it created come last. */
  applied: AppliedObject[];
}

export const attachmentPath = (labDir: string): string => join(labDir, 'attachment.json');

export const writeAttachment = (labDir: string, attachment: Attachment): Promise<void> =>
  writePrivateJson(attachmentPath(labDir), attachment);

/** The attachment, or undefined when there is none (an attach that did not finish). */
export const readAttachment = (labDir: string): Attachment | undefined => {
  try {
    return JSON.parse(readFileSync(attachmentPath(labDir), 'utf8')) as Attachment;
  } catch {
    return undefined;
  }
};
