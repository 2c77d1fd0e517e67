// @ts-check
// The page's only window onto the desktop, `window.kartstream`: the server's URL and token, and
// the two native dialogs. Nothing else crosses. A sandboxed preload is CommonJS and may require
// only 'electron', so the channel names repeat bridge.js's CHANNELS. The address is fetched
// over IPC rather than passed as a command-line argument, where other local users could read it.
'use strict';
const { contextBridge, ipcRenderer } = require('electron');

const address = /** @type {{ serverUrl: string, token: string } | null} */ (
  ipcRenderer.sendSync('kartstream:server')
);

if (address) {
  contextBridge.exposeInMainWorld(
    'kartstream',
    Object.freeze({
      serverUrl: address.serverUrl,
      token: address.token,
      /** @param {'topology' | 'scenario'} kind @returns {Promise<string | null>} the chosen path */
      openFile: (kind) =>
        /** @type {Promise<string | null>} */ (ipcRenderer.invoke('kartstream:open-file', kind)),
      /** @param {string} defaultName @param {string} text @returns {Promise<string | null>} where it was saved */
      saveFile: (defaultName, text) =>
        /** @type {Promise<string | null>} */ (ipcRenderer.invoke('kartstream:save-file', defaultName, text)),
    }),
  );
}
