#!/usr/bin/env node
// The `kartstream` command. The engine is TypeScript run through tsx, so the CLI works
// straight after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../core/cli/main.ts');
process.exitCode = await main(process.argv);
