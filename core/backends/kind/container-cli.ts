// The container CLI calls (docker, or podman for a Podman engine): the same CLI and context kind
// itself uses, so a node is paused on the very engine kind made it on.
import { prettyCommand, runCommand } from '../../exec/run-command.ts';
import type { EngineProvider } from './engine-endpoint.ts';

export const containerArgs = {
  /** Freezes every process of a node container: its kubelet stops posting status. */
  pause: (container: string) => ['pause', container],
  unpause: (container: string) => ['unpause', container],
};

/** The CLI of a provider: `docker` or `podman`. */
export const containerCli = (provider: EngineProvider): string => provider;

export const runContainerCli = (
  provider: EngineProvider,
  args: readonly string[],
  log?: (line: string) => void,
): Promise<string> => {
  log?.(`$ ${prettyCommand(containerCli(provider), args)}`);
  return runCommand(containerCli(provider), args, { log, timeoutMs: 60_000 });
};
