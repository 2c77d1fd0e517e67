// Renders scenario Markdown as React elements (never as HTML). Commands in fenced `sh` blocks
// get a button that types them into the lab terminal.
import { Fragment, useMemo } from 'react';
import { runInTerminal } from '../../terminal/terminal-bus.ts';
import { isShellBlock, parseInline, parseMarkdown, shellCommands, type Block } from './markdown.ts';

export const InlineText = ({ text }: { text: string }) => (
  <>
    {parseInline(text).map((part, i) => {
      if (part.type === 'code') return <code key={i}>{part.text}</code>;
      if (part.type === 'strong')
        return (
          <strong key={i}>
            <InlineText text={part.text} />
          </strong>
        );
      if (part.type === 'em') return <em key={i}>{part.text}</em>;
      return <Fragment key={i}>{part.text}</Fragment>;
    })}
  </>
);

/** A shell block: each command on its own row with a "Run" button (unless it has a placeholder). */
export const ShellBlock = ({ code }: { code: string }) => (
  <div className="scn-shell">
    {shellCommands(code).map((cmd, i) => (
      <div className="scn-shell-row" key={i}>
        <pre>
          <code>{cmd.display}</code>
        </pre>
        {cmd.runnable ? (
          <button
            type="button"
            className="scn-run"
            data-testid="run-in-terminal"
            title={`Run in the lab terminal: ${cmd.command}`}
            aria-label={`Run in the lab terminal: ${cmd.command}`}
            onClick={() => runInTerminal(cmd.command)}
          >
            ▶ Run
          </button>
        ) : (
          <span className="scn-fill-in" title="Fill in the <placeholder> and type it in the terminal">
            fill in
          </span>
        )}
      </div>
    ))}
  </div>
);

const BlockView = ({ block }: { block: Block }) => {
  switch (block.type) {
    case 'heading': {
      // Scenario texts sit under the view's own headings: start at h4.
      const Tag = (['h4', 'h5', 'h6'] as const)[Math.min(2, Math.max(0, block.level - 3))] ?? 'h6';
      return (
        <Tag>
          <InlineText text={block.text} />
        </Tag>
      );
    }
    case 'paragraph':
      return (
        <p>
          <InlineText text={block.text} />
        </p>
      );
    case 'list': {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <InlineText text={item} />
        </li>
      ));
      return block.ordered ? <ol start={block.start}>{items}</ol> : <ul>{items}</ul>;
    }
    case 'code':
      return isShellBlock(block.lang) ? (
        <ShellBlock code={block.code} />
      ) : (
        <pre className="scn-code">
          <code>{block.code}</code>
        </pre>
      );
  }
};

export const Markdown = ({ text, testId }: { text: string; testId?: string }) => {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return (
    <div className="scn-md" data-testid={testId}>
      {blocks.map((block, i) => (
        <BlockView key={i} block={block} />
      ))}
    </div>
  );
};
