// The scenario player's Markdown reader: blocks, inline marks, and the commands of `sh` blocks
// that the player can type into the terminal, checked on hand-made texts and on every shipped
// scenario.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  isShellBlock,
  parseInline,
  parseMarkdown,
  shellCommands,
} from '../../../renderer/src/views/scenarios/markdown.ts';

const repo = join(import.meta.dirname, '../../..');

describe('parseMarkdown', () => {
  it('splits paragraphs, headings, lists and fenced blocks', () => {
    const blocks = parseMarkdown(
      [
        '### What happened',
        '',
        'First line',
        'continues here.',
        '',
        '1. one',
        '   more of one',
        '2. two',
        '',
        '- a',
        '- b',
        '',
        '```sh',
        'kubectl get nodes',
        '```',
        'After.',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      { type: 'heading', level: 3, text: 'What happened' },
      { type: 'paragraph', text: 'First line continues here.' },
      { type: 'list', ordered: true, start: 1, items: ['one more of one', 'two'] },
      { type: 'list', ordered: false, start: 1, items: ['a', 'b'] },
      { type: 'code', lang: 'sh', code: 'kubectl get nodes' },
      { type: 'paragraph', text: 'After.' },
    ]);
  });

  it('keeps a list whose items are separated by blank lines, and ends it at other text', () => {
    const blocks = parseMarkdown('3. three\n\n4. four\n\nNot a list.');
    expect(blocks).toEqual([
      { type: 'list', ordered: true, start: 3, items: ['three', 'four'] },
      { type: 'paragraph', text: 'Not a list.' },
    ]);
  });

  it('keeps HTML as text (the view never injects it)', () => {
    const blocks = parseMarkdown('<img src=x onerror=alert(1)> hi');
    expect(blocks).toEqual([{ type: 'paragraph', text: '<img src=x onerror=alert(1)> hi' }]);
  });

  it('reads an unclosed fence to the end of the text', () => {
    expect(parseMarkdown('```\nno end')).toEqual([{ type: 'code', lang: '', code: 'no end' }]);
  });
});

describe('parseInline', () => {
  it('finds code, strong and emphasis and keeps the text between them', () => {
    expect(parseInline('Run `kubectl get po` on **backend-1**, *then* wait _a bit_.')).toEqual([
      { type: 'text', text: 'Run ' },
      { type: 'code', text: 'kubectl get po' },
      { type: 'text', text: ' on ' },
      { type: 'strong', text: 'backend-1' },
      { type: 'text', text: ', ' },
      { type: 'em', text: 'then' },
      { type: 'text', text: ' wait ' },
      { type: 'em', text: 'a bit' },
      { type: 'text', text: '.' },
    ]);
  });

  it('does not read marks inside code or underscores inside words', () => {
    expect(parseInline('`a **b** c` snake_case_name')).toEqual([
      { type: 'code', text: 'a **b** c' },
      { type: 'text', text: ' snake_case_name' },
    ]);
  });
});

describe('shellCommands', () => {
  it('joins continued lines, drops comments and marks placeholders as not runnable', () => {
    const commands = shellCommands(
      [
        '# look first',
        '$ kubectl get nodes -l pool=backend',
        '',
        "kubectl get nodes -o custom-columns='NAME:.metadata.name,#:.spec' \\",
        '  --no-headers',
        'kubectl describe pod <one of them>        # the Events at the bottom',
      ].join('\n'),
    );
    expect(commands).toEqual([
      {
        display: 'kubectl get nodes -l pool=backend',
        command: 'kubectl get nodes -l pool=backend',
        runnable: true,
      },
      {
        display: "kubectl get nodes -o custom-columns='NAME:.metadata.name,#:.spec' \\\n  --no-headers",
        command: "kubectl get nodes -o custom-columns='NAME:.metadata.name,#:.spec' --no-headers",
        runnable: true,
      },
      {
        display: 'kubectl describe pod <one of them>        # the Events at the bottom',
        command: 'kubectl describe pod <one of them>',
        runnable: false,
      },
    ]);
  });

  it('treats sh, bash and shell blocks as commands, other languages not', () => {
    expect(['sh', 'bash', 'shell', 'yaml', ''].map(isShellBlock)).toEqual([true, true, true, false, false]);
  });
});

describe('the shipped scenarios', () => {
  const scenarios = readdirSync(join(repo, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .map(
      (f) =>
        parse(readFileSync(join(repo, 'scenarios', f), 'utf8')) as {
          id: string;
          steps: { id: string; text: string; solution: string }[];
        },
    );

  it('finds the scenario files', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(5);
  });

  it('reads every step text into blocks that hold all of its words', () => {
    for (const scenario of scenarios)
      for (const step of scenario.steps) {
        const blocks = parseMarkdown(step.text);
        // Markers (list numbers, bullets, fences, #) are left out on both sides; every other
        // word is kept, in order.
        const words = (s: string) =>
          s.split(/\s+/).filter((w) => w && !/^(\d+[.)]|[-*+]|```\w*|#{1,6})$/.test(w));
        const text = blocks
          .map((b) => (b.type === 'list' ? b.items.join(' ') : b.type === 'code' ? b.code : b.text))
          .join(' ');
        const kept = words(text);
        const source = words(step.text);
        expect(kept, `${scenario.id}/${step.id}`).toEqual(source);
      }
  });

  it('gives every step of failover runnable commands, the first one being the first line of its sh block', () => {
    const failover = scenarios.find((s) => s.id === 'failover');
    const observe = failover?.steps.find((s) => s.id === 'observe');
    const block = parseMarkdown(observe?.text ?? '').find((b) => b.type === 'code');
    expect(block?.type === 'code' && block.lang).toBe('sh');
    const code = block?.type === 'code' ? block.code : '';
    const commands = shellCommands(code);
    expect(commands.map((c) => c.command)).toEqual(code.split('\n').filter(Boolean));
    expect(commands.every((c) => c.runnable)).toBe(true);
  });

  it('turns every solution into runnable commands', () => {
    for (const scenario of scenarios)
      for (const step of scenario.steps) {
        const commands = shellCommands(step.solution);
        expect(commands.length, `${scenario.id}/${step.id}`).toBeGreaterThan(0);
      }
  });
});
