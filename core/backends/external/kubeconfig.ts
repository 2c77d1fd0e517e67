// The attached cluster's kubeconfig: the context the user names is copied out of their file into
// the lab's private one (0600), with file references made inline (relative paths are relative to
// the source file, as kubectl reads them) and the shop's namespace as the default.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import { writePrivateFile } from '../../home/private-files.ts';

type Entry = Record<string, unknown>;
interface Named<K extends string> {
  name: string;
  [key: string]: unknown;
  _k?: K;
}
export interface KubeconfigDocument {
  clusters?: Named<'cluster'>[];
  users?: Named<'user'>[];
  contexts?: Named<'context'>[];
  'current-context'?: string;
}

/** The credential plugin a kubeconfig user runs (users[].user.exec). */
export interface ExecCredentialPlugin {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  apiVersion?: string;
}

/** One context of a kubeconfig, resolved: its cluster and user entries. */
export interface ChosenContext {
  file: string;
  context: string;
  server: string;
  cluster: Entry;
  user: Entry;
}

// Reads a kubeconfig file, with a clear error for a missing or unparsable one.
export const readKubeconfigFile = async (file: string): Promise<KubeconfigDocument> => {
  const path = resolve(file);
  if (!existsSync(path))
    throw new KartStreamError('not-found', `kubeconfig ${path} does not exist`, {
      fix: 'pass the file your cluster provider gave you with --kubeconfig (kubectl uses ~/.kube/config by default)',
    });
  let doc: unknown;
  try {
    doc = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new KartStreamError('invalid-input', `kubeconfig ${path} is not valid YAML`, {
      details: [(error as Error).message],
      fix: 'check the file with `kubectl config view --kubeconfig FILE`',
    });
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as KubeconfigDocument).contexts))
    throw new KartStreamError('invalid-input', `kubeconfig ${path} has no contexts`, {
      fix: 'pass a kubeconfig with at least one context (see `kubectl config get-contexts --kubeconfig FILE`)',
    });
  return doc as KubeconfigDocument;
};

// The named context (or the file's current one), with its cluster and user; a missing context
// lists those there are.
export const chooseContext = (doc: KubeconfigDocument, file: string, wanted?: string): ChosenContext => {
  const contexts = doc.contexts ?? [];
  const name = wanted ?? doc['current-context'];
  const names = contexts.map((c) => c.name);
  if (!name)
    throw new KartStreamError('invalid-input', `kubeconfig ${file} has no current context`, {
      details: [`contexts there: ${names.join(', ') || 'none'}`],
      fix: `name one with --context ${names[0] ?? 'NAME'}`,
    });
  const context = contexts.find((c) => c.name === name)?.context as Entry | undefined;
  if (!context)
    throw new KartStreamError('not-found', `kubeconfig ${file} has no context "${name}"`, {
      details: [`contexts there: ${names.join(', ') || 'none'}`],
      fix: names.length ? `use --context ${names[0]}` : 'pass a kubeconfig that has contexts',
    });
  const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster as Entry | undefined;
  const user = doc.users?.find((u) => u.name === context.user)?.user as Entry | undefined;
  if (!cluster || typeof cluster.server !== 'string')
    throw new KartStreamError(
      'invalid-input',
      `context "${name}" of ${file} names cluster "${String(context.cluster)}", which has no server there`,
      {
        fix: 'repair the kubeconfig (kubectl config view shows it), or get a fresh one from your provider',
      },
    );
  if (!user)
    throw new KartStreamError(
      'invalid-input',
      `context "${name}" of ${file} names user "${String(context.user)}", which is not there`,
      {
        fix: 'repair the kubeconfig (kubectl config view shows it), or get a fresh one from your provider',
      },
    );
  return { file: resolve(file), context: name, server: cluster.server, cluster, user };
};

// File references become inline data, so the lab's copy stands alone.
const inline = async (entry: Entry, base: string, fields: [string, string][]): Promise<Entry> => {
  const out = { ...entry };
  for (const [fileKey, dataKey] of fields) {
    const file = out[fileKey];
    if (typeof file !== 'string') continue;
    const path = isAbsolute(file) ? file : resolve(base, file);
    out[dataKey] = (
      await readFile(path).catch((error: unknown) => {
        throw new KartStreamError(
          'not-found',
          `the kubeconfig names ${fileKey} ${path}, which cannot be read`,
          {
            details: [(error as Error).message],
            fix: 'repair the path in the kubeconfig, or get a fresh one from your provider',
          },
        );
      })
    ).toString('base64');
    delete out[fileKey];
  }
  return out;
};

/** The credential plugin of a user entry, with a relative command made absolute as kubectl does. */
export const execPlugin = (user: Entry, base: string): ExecCredentialPlugin | undefined => {
  const exec = user.exec as ExecCredentialPlugin | undefined;
  if (!exec || typeof exec.command !== 'string') return undefined;
  // kubectl: a command with a path separator is relative to the kubeconfig's folder.
  const command =
    exec.command.includes('/') && !isAbsolute(exec.command) ? resolve(base, exec.command) : exec.command;
  return { ...exec, command };
};

/** The lab's kubeconfig document for a chosen context: one cluster, one user, one context. */
export const renderAttachedKubeconfig = async (
  chosen: ChosenContext,
  name: string,
  namespace: string,
): Promise<KubeconfigDocument & Entry> => {
  const base = dirname(chosen.file);
  const id = `kartstream-${name}`;
  const user = await inline(chosen.user, base, [
    ['client-certificate', 'client-certificate-data'],
    ['client-key', 'client-key-data'],
    ['tokenFile', 'token'],
  ]);
  if (typeof user.token === 'string' && chosen.user.tokenFile)
    user.token = Buffer.from(user.token, 'base64').toString('utf8').trim();
  const plugin = execPlugin(chosen.user, base);
  if (plugin) user.exec = plugin;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: id,
        cluster: await inline(chosen.cluster, base, [
          ['certificate-authority', 'certificate-authority-data'],
        ]),
      },
    ],
    users: [{ name: id, user }],
    contexts: [{ name: id, context: { cluster: id, user: id, namespace } }],
    'current-context': id,
  };
};

/** Writes the lab's private kubeconfig (0600). */
export const writeKubeconfig = (target: string, doc: unknown): Promise<void> =>
  writePrivateFile(target, stringify(doc));
