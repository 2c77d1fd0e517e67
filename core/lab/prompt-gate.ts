// Holds what is typed into a lab shell until the shell's first prompt is on screen, so nothing
// typed early is lost, read by a start-up script, or echoed twice by the tty. The lab's bash rc
// prints PROMPT_READY_MARK inside its first prompt (core/lab/lab-shell-env.ts); readline has
// put the terminal in its own mode by the time a prompt is drawn, so input sent then is read by
// readline, in order. Pure logic: the pty is driven through `deliver`.

/**
 * An OSC sequence with a private number: terminals ignore it, and the gate strips it from the
 * output anyway. Printed once, inside the first prompt.
 */
export const PROMPT_READY_MARK = '\x1b]7771;kartstream-ready\x07';

/** Held input beyond this size is delivered at once rather than dropped (a runaway paste). */
const MAX_HELD = 4 * 1024 * 1024;

export class PromptGate {
  private held: string[] = [];
  private heldSize = 0;
  /** The end of the last output chunk when it could be the start of the mark. */
  private tail = '';
  private isOpen: boolean;

  /**
   * `mark` is what the shell prints when it is ready; undefined for shells that print none
   * (the gate then opens on their first output).
   */
  constructor(
    private readonly deliver: (input: string) => void,
    private readonly mark: string | undefined,
  ) {
    this.isOpen = false;
  }

  get open(): boolean {
    return this.isOpen;
  }

  /** Typed input: delivered now when the shell is ready, otherwise held in order. */
  input(data: string): void {
    if (this.isOpen) {
      this.deliver(data);
      return;
    }
    this.held.push(data);
    this.heldSize += data.length;
    if (this.heldSize > MAX_HELD) this.openNow();
  }

  /** Shell output: returns what to show (the mark removed); opens the gate when the mark passes. */
  output(chunk: string): string {
    if (this.isOpen) return this.takeTail() + chunk;
    if (this.mark === undefined) {
      this.openNow();
      return chunk;
    }
    const text = this.tail + chunk;
    this.tail = '';
    const at = text.indexOf(this.mark);
    if (at >= 0) {
      // Show what came before the mark, then let the input in (its echo follows the prompt).
      const shown = text.slice(0, at) + text.slice(at + this.mark.length);
      this.openNow();
      return shown;
    }
    const keep = this.partialMarkAtEnd(text);
    this.tail = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** Opens the gate whatever the output says (the shell printed no mark in time); idempotent. */
  openNow(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    const held = this.held.join('');
    this.held = [];
    this.heldSize = 0;
    if (held) this.deliver(held);
  }

  /** Output held back because it could have been the start of the mark (shown once it is not). */
  takeTail(): string {
    const tail = this.tail;
    this.tail = '';
    return tail;
  }

  /** How many characters at the end of `text` are a proper prefix of the mark. */
  private partialMarkAtEnd(text: string): number {
    const mark = this.mark ?? '';
    for (let n = Math.min(mark.length - 1, text.length); n > 0; n--)
      if (text.endsWith(mark.slice(0, n))) return n;
    return 0;
  }
}
