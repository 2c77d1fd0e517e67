// "Run this in the terminal": the scenario player asks, the terminal panel types. Commands wait
// in a queue until a panel with a live session takes them, so a click before the dock is open
// (or while it reconnects) is not lost.

type Listener = (command: string) => void;

const queue: string[] = [];
let listener: Listener | undefined;

/** Opens the terminal dock and types `command` + Enter into the live session. */
export const runInTerminal = (command: string): void => {
  window.dispatchEvent(new CustomEvent('kartstream:open-terminal'));
  if (listener) listener(command);
  else queue.push(command);
};

/**
 * The panel registers while its session is connected; queued commands are delivered at once.
 * Returns the unregister function.
 */
export const onRunInTerminal = (next: Listener): (() => void) => {
  listener = next;
  for (const command of queue.splice(0)) next(command);
  return () => {
    if (listener === next) listener = undefined;
  };
};
