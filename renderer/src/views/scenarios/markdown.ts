// A small, safe Markdown reader for scenario texts: paragraphs, headings, ordered and bullet
// lists, fenced code and inline code/bold/italic. It builds plain data that the view renders as
// React elements, so no text ever reaches the page as HTML.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; text: string }
  | { type: 'em'; text: string };

export type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; start: number; items: string[] }
  | { type: 'code'; lang: string; code: string };

/** One command of a fenced `sh` block: the lines as written and what the terminal should run. */
export interface ShellCommand {
  display: string;
  command: string;
  /** False when the command holds a `<placeholder>` the learner must fill in first. */
  runnable: boolean;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;

const listMarker = (line: string): { ordered: boolean; number: number; rest: string } | undefined => {
  const ordered = ORDERED.exec(line);
  if (ordered) return { ordered: true, number: Number(ordered[1]), rest: ordered[2] ?? '' };
  const bullet = BULLET.exec(line);
  return bullet ? { ordered: false, number: 1, rest: bullet[1] ?? '' } : undefined;
};

const isBlank = (line: string) => line.trim() === '';

/** Splits Markdown into blocks. Unknown syntax stays as text. */
export const parseMarkdown = (source: string): Block[] => {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const [, indent = '', marker = '```', lang = ''] = fence;
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith(marker)) {
        const next = lines[i] ?? '';
        body.push(next.startsWith(indent) ? next.slice(indent.length) : next.trimStart());
        i++;
      }
      i++; // the closing fence (or the end of the text)
      blocks.push({ type: 'code', lang: lang.toLowerCase(), code: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1]?.length ?? 1, text: heading[2] ?? '' });
      i++;
      continue;
    }
    const marker = listMarker(line);
    if (marker) {
      const items: string[] = [];
      let current = marker.rest;
      i++;
      while (i < lines.length) {
        const next = lines[i] ?? '';
        const nextMarker = listMarker(next);
        if (nextMarker && nextMarker.ordered === marker.ordered) {
          items.push(current);
          current = nextMarker.rest;
          i++;
        } else if (!isBlank(next) && /^\s/.test(next) && !FENCE.test(next)) {
          current += ` ${next.trim()}`; // continuation of the item
          i++;
        } else if (isBlank(next)) {
          // A blank line ends the list unless the next item follows it.
          let j = i;
          while (j < lines.length && isBlank(lines[j] ?? '')) j++;
          const after = listMarker(lines[j] ?? '');
          if (!after || after.ordered !== marker.ordered) break;
          i = j;
        } else break;
      }
      items.push(current);
      blocks.push({ type: 'list', ordered: marker.ordered, start: marker.number, items });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length) {
      const next = lines[i] ?? '';
      if (isBlank(next) || FENCE.test(next) || HEADING.test(next)) break;
      if (paragraph.length > 0 && listMarker(next)) break;
      paragraph.push(next.trim());
      i++;
    }
    blocks.push({ type: 'paragraph', text: paragraph.join(' ') });
  }
  return blocks;
};

const INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+?)\*\*|__([^_]+?)__|\*([^*\s][^*]*?)\*|\b_([^_\s][^_]*?)_\b/g;

/** Splits a line into text, `code`, **strong** and *emphasis*. */
export const parseInline = (text: string): Inline[] => {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index ?? 0;
    if (at > last) out.push({ type: 'text', text: text.slice(last, at) });
    if (match[2] !== undefined) out.push({ type: 'code', text: match[2].trim() || match[2] });
    else if (match[3] !== undefined || match[4] !== undefined)
      out.push({ type: 'strong', text: match[3] ?? match[4] ?? '' });
    else out.push({ type: 'em', text: match[5] ?? match[6] ?? '' });
    last = at + match[0].length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
};

/** Code blocks whose commands the player can run in the terminal. */
export const isShellBlock = (lang: string): boolean => ['sh', 'bash', 'shell', 'console'].includes(lang);

/** A trailing ` # comment` (outside quotes) that the terminal need not receive. */
const stripComment = (line: string): string => {
  let quote: string | undefined;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '#' && (k === 0 || /\s/.test(line[k - 1] ?? ''))) return line.slice(0, k).trimEnd();
  }
  return line.trimEnd();
};

/** The commands of a shell block: `\`-continued lines joined, blank and comment-only lines left out. */
export const shellCommands = (code: string): ShellCommand[] => {
  const commands: ShellCommand[] = [];
  let display: string[] = [];
  let parts: string[] = [];
  for (const raw of code.split('\n')) {
    const line = raw.replace(/^\$\s+/, '');
    if (display.length === 0 && (isBlank(line) || line.trim().startsWith('#'))) continue;
    display.push(line.trimEnd());
    const stripped = stripComment(line);
    if (stripped.endsWith('\\')) {
      parts.push(stripped.slice(0, -1).trim());
      continue;
    }
    parts.push(stripped.trim());
    const command = parts.filter(Boolean).join(' ');
    if (command) commands.push({ display: display.join('\n'), command, runnable: !/<[^<>\s][^<>]*>/.test(command) });
    display = [];
    parts = [];
  }
  if (parts.length > 0) {
    const command = parts.filter(Boolean).join(' ');
    if (command) commands.push({ display: display.join('\n'), command, runnable: !/<[^<>\s][^<>]*>/.test(command) });
  }
  return commands;
};
