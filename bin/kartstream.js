#!/usr/bin/env node
// The `kartstream` command. The engine is TypeScript; it runs from a bundle built on demand from
// this checkout's sources (bin/cli-bundle.js), so the CLI works straight after `npm ci`.
import { loadCli } from './cli-bundle.js';

const { main } = await loadCli();
process.exitCode = await main(process.argv);
