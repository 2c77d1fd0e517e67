// @ts-check
// The main-process half of the preload bridge, kept pure: the IPC channel names and what the
// native dialogs are asked. Everything arriving from the page is checked here first, since the
// page is the less trusted side.
import { Buffer } from 'node:buffer';
import { join } from 'node:path';

/** Channel names; preload.cjs repeats them (a sandboxed preload can require only 'electron'). */
export const CHANNELS = Object.freeze({
  server: 'kartstream:server',
  openFile: 'kartstream:open-file',
  saveFile: 'kartstream:save-file',
});

const OPEN_KINDS = {
  topology: 'Open a topology file',
  scenario: 'Open a scenario file',
};

/** Reports are Markdown of a few KiB; anything near this is not a report. */
export const MAX_SAVE_BYTES = 5 * 1024 * 1024;

/**
 * Options for dialog.showOpenDialog: one YAML file of the given kind.
 * @param {unknown} kind `topology` or `scenario`
 */
export const openDialogOptions = (kind) => {
  if (kind !== 'topology' && kind !== 'scenario')
    throw new Error(`cannot open a file of kind ${JSON.stringify(kind)}: expected "topology" or "scenario"`);
  return {
    title: OPEN_KINDS[kind],
    properties: /** @type {['openFile']} */ (['openFile']),
    filters: [{ name: 'YAML', extensions: ['yaml', 'yml'] }],
  };
};

/**
 * Options for dialog.showSaveDialog. The page suggests a file name only: any directory part is
 * dropped, so the dialog opens in `directory` (the user's documents) and the user picks where.
 * @param {unknown} defaultName
 * @param {unknown} text the content that will be written
 * @param {string} directory
 */
export const saveDialogOptions = (defaultName, text, directory) => {
  if (typeof text !== 'string') throw new Error('cannot save: the content must be text');
  if (Buffer.byteLength(text) > MAX_SAVE_BYTES)
    throw new Error(`cannot save: the content is larger than ${MAX_SAVE_BYTES} bytes`);
  const name = String(defaultName ?? '')
    .split(/[\\/]/)
    .pop()
    ?.replace(/\p{Cc}/gu, '')
    .trim();
  const fileName = name && name !== '.' && name !== '..' ? name : 'kartstream-report.md';
  return {
    title: 'Export',
    defaultPath: join(directory, fileName),
    filters: [
      { name: 'Markdown', extensions: ['md'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
};
