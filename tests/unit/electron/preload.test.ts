// The preload hands the page exactly four things. Electron's contextBridge cannot run here, so
// the preload runs in a VM with a stand-in `require('electron')` that records what it is given,
// and, as in a sandboxed preload, with no other module to require.
import { readFileSync } from 'node:fs';
import { compileFunction } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../electron/bridge.js';

const SOURCE = readFileSync(new URL('../../../electron/preload.cjs', import.meta.url), 'utf8');
const ADDRESS = { serverUrl: 'http://127.0.0.1:43117/t/tok/', token: 'tok' };

const runPreload = (address: typeof ADDRESS | null) => {
  const exposed = new Map<string, unknown>();
  const calls: unknown[][] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      sendSync: (...args: unknown[]) => {
        calls.push(['sendSync', ...args]);
        return address;
      },
      invoke: (...args: unknown[]) => {
        calls.push(['invoke', ...args]);
        return Promise.resolve('/home/learner/topology.yaml');
      },
    },
  };
  const require = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  compileFunction(SOURCE, ['require', 'module', 'exports'])(require, module, module.exports);
  return { exposed, calls };
};

describe('preload.cjs', () => {
  it('exposes window.kartstream with the server URL, the token and the two dialogs, nothing else', async () => {
    const { exposed, calls } = runPreload(ADDRESS);
    expect([...exposed.keys()]).toEqual(['kartstream']);
    const api = exposed.get('kartstream') as Record<string, unknown>;
    expect(Object.keys(api)).toEqual(['serverUrl', 'token', 'openFile', 'saveFile']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(api.serverUrl).toBe(ADDRESS.serverUrl);
    expect(api.token).toBe(ADDRESS.token);
    expect(calls).toEqual([['sendSync', CHANNELS.server]]);

    const openFile = api.openFile as (kind: string) => Promise<string | null>;
    const saveFile = api.saveFile as (name: string, text: string) => Promise<string | null>;
    await expect(openFile('topology')).resolves.toBe('/home/learner/topology.yaml');
    await saveFile('report.md', '# Debrief');
    // Only the arguments cross: never the IPC event or ipcRenderer itself.
    expect(calls.slice(1)).toEqual([
      ['invoke', CHANNELS.openFile, 'topology'],
      ['invoke', CHANNELS.saveFile, 'report.md', '# Debrief'],
    ]);
  });

  it('exposes nothing when the main process does not recognise the window', () => {
    expect(runPreload(null).exposed.size).toBe(0);
  });
});
