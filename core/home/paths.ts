// Where KartStream keeps things: state (labs, tasks, runs) under KARTSTREAM_HOME, and heavy
// downloads and builds (control-plane binaries) in a cache shared by every lab, keyed by version.
import { homedir } from 'node:os';
import { join } from 'node:path';

// The user data dir: KARTSTREAM_HOME, else the platform's usual place.
export const stateHome = (): string => {
  if (process.env.KARTSTREAM_HOME) return process.env.KARTSTREAM_HOME;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'kartstream');
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'kartstream');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'kartstream');
};

// The cache of binaries: KARTSTREAM_CACHE, else the platform's cache dir. Never inside the repo.
export const cacheHome = (): string => {
  if (process.env.KARTSTREAM_CACHE) return process.env.KARTSTREAM_CACHE;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'kartstream');
  if (process.platform === 'win32')
    return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'kartstream', 'cache');
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kartstream');
};

export const labsDir = (): string => join(stateHome(), 'labs');
export const labDir = (name: string): string => join(labsDir(), name);
/** Commands typed in the lab shell (and run by --auto-solve), one JSON object per line. */
export const commandsFile = (lab: string): string => join(labDir(lab), 'commands.jsonl');
export const tasksDir = (): string => join(stateHome(), 'tasks');
/** A lab's sharing state (docs/sharing.md): certificate, private key, invites, the listener. */
export const shareDir = (lab: string): string => join(labDir(lab), 'share');
export const shareKeyFile = (lab: string): string => join(shareDir(lab), 'tls-key.pem');
export const shareCertFile = (lab: string): string => join(shareDir(lab), 'tls-cert.pem');
export const invitesFile = (lab: string): string => join(shareDir(lab), 'invites.json');
/** Where a running `serve --share` says it listens, for `kartstream invite`. */
export const shareListenerFile = (lab: string): string => join(shareDir(lab), 'listener.json');
/** A participant's kubeconfig (their ServiceAccount's token), by ServiceAccount name. */
export const personKubeconfigFile = (lab: string, account: string): string =>
  join(shareDir(lab), 'people', `${account}.kubeconfig`);
/** The lab's shared timeline (docs/gameday.md), one JSON object per line. */
export const labTimelineFile = (lab: string): string => join(labDir(lab), 'timeline.jsonl');
