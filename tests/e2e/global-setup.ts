// Vitest globalSetup for the e2e tests (after the integration setup, which provides the sim
// binaries): Debian's Chromium must be there; playwright-core never downloads a browser.
import { existsSync } from 'node:fs';
import { CHROMIUM } from './helpers/browser.ts';

export default function setup(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `the e2e tests drive Chromium at ${CHROMIUM}, which is missing; install it with scripts/install-deps.sh (apt-get install chromium)`,
    );
}
