// The lab terminal as a learner uses it: open the panel, click into xterm, type a line and Enter;
// what the shell printed is read back from xterm's rendered rows.
import type { Page } from 'playwright-core';

/** Opens the terminal panel (when closed) and waits until xterm has drawn its rows. */
export const openTerminal = async (page: Page): Promise<void> => {
  const terminal = page.getByTestId('terminal');
  if (!(await terminal.isVisible())) await page.getByTestId('terminal-toggle').click();
  await terminal.locator('.xterm-rows').waitFor({ timeout: 30_000 });
};

/** Types one command line into the terminal and presses Enter. */
export const typeCommand = async (page: Page, line: string): Promise<void> => {
  await openTerminal(page);
  await page.getByTestId('terminal').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
};

/** The terminal's visible text, one line per row (xterm draws spaces as non-breaking). */
export const terminalText = async (page: Page): Promise<string> =>
  (await page.getByTestId('terminal').locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' ');
