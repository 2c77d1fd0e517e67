// Unit test files share their worker (`isolate: false`: the packages each file imports, above all
// @kubernetes/client-node, are loaded once per worker instead of once per file; a third of the
// unit run's time). What a file could leak to the next is put back before each one: the engine's
// own modules are evaluated afresh, and the environment is the worker's as it started.
import { vi } from 'vitest';

const state = globalThis as { kartstreamStartEnv?: Record<string, string | undefined> };
state.kartstreamStartEnv ??= { ...process.env };
const start = state.kartstreamStartEnv;
for (const key of Object.keys(process.env)) if (!(key in start)) delete process.env[key];
Object.assign(process.env, start);
vi.resetModules();
