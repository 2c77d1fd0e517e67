#!/usr/bin/env node
// The `kartstream` command. The engine is TypeScript run through tsx, so the CLI works
// straight after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

// tsx's loader hooks see every module loaded after register(), and @kubernetes/client-node alone
// is 826 files: loaded through the hooks it cost ~1.3 s of CPU per command. Plain JavaScript
// packages nearly every command needs are loaded first, without the hooks; the engine's imports
// of them then find them in the module cache (bench/README.md, "CLI start").
await Promise.all([import('@kubernetes/client-node'), import('execa'), import('zod')]);
register();
const { main } = await import('../core/cli/main.ts');
process.exitCode = await main(process.argv);
