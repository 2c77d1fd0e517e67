// What the page may ask of the main process through the preload: the dialogs' options, checked
// before any dialog opens.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SAVE_BYTES, openDialogOptions, saveDialogOptions } from '../../../electron/bridge.js';

describe('openDialogOptions', () => {
  it.each([
    ['topology', 'Open a topology file'],
    ['scenario', 'Open a scenario file'],
  ])('opens one YAML %s file', (kind, title) => {
    expect(openDialogOptions(kind)).toEqual({
      title,
      properties: ['openFile'],
      filters: [{ name: 'YAML', extensions: ['yaml', 'yml'] }],
    });
  });

  it.each([['manifest'], [''], [undefined], [{ kind: 'topology' }]])('refuses the kind %j', (kind) => {
    expect(() => openDialogOptions(kind)).toThrow(/expected "topology" or "scenario"/);
  });
});

describe('saveDialogOptions', () => {
  const docs = join('/home', 'learner', 'Documents');

  it('suggests the page’s file name in the documents folder, Markdown first', () => {
    const options = saveDialogOptions('failover-report.md', '# Debrief', docs);
    expect(options.defaultPath).toBe(join(docs, 'failover-report.md'));
    expect(options.filters[0]).toEqual({ name: 'Markdown', extensions: ['md'] });
  });

  it.each([
    ['/etc/cron.d/evil', 'evil'],
    ['..\\..\\Startup\\run.bat', 'run.bat'],
    ['../', 'kartstream-report.md'],
    ['..', 'kartstream-report.md'],
    ['', 'kartstream-report.md'],
    [42, '42'],
    ['re\u0000port\n.md', 'report.md'],
  ])('keeps only a plain file name of %j', (name, expected) => {
    expect(saveDialogOptions(name, 'x', docs).defaultPath).toBe(join(docs, expected));
  });

  it('refuses content that is not text, or too large to be a report', () => {
    expect(() => saveDialogOptions('r.md', { text: 'x' }, docs)).toThrow(/must be text/);
    expect(() => saveDialogOptions('r.md', 'x'.repeat(MAX_SAVE_BYTES + 1), docs)).toThrow(/larger than/);
    expect(() => saveDialogOptions('r.md', 'x'.repeat(MAX_SAVE_BYTES), docs)).not.toThrow();
  });
});
