// Saves a run's Markdown report: through the desktop shell's native save dialog when the preload
// offers one (`window.kartstream.saveFile`), otherwise as a browser download of `<run id>.md`.

interface DesktopBridge {
  /** Asks where to save; resolves to the path written, or null when the user cancels. */
  saveFile?: (defaultName: string, text: string) => Promise<string | null>;
}

export const reportFileName = (runId: string): string => `${runId.replace(/[^\w.-]+/g, '-')}.md`;

/** Where the report went: a path (desktop), `download` (browser), or null when canceled. */
export const saveReport = async (runId: string, markdown: string): Promise<string | null> => {
  const desktop = (window as unknown as { kartstream?: DesktopBridge }).kartstream;
  const name = reportFileName(runId);
  if (desktop?.saveFile) return desktop.saveFile(name, markdown);
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the URL goes away.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return 'download';
};
