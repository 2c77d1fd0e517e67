// `kartstream gameday lint [--topology FILE] FILE|ID...`: validates game-day scripts without
// touching any cluster (core/cli/lint-files.ts prints the results).
import type { Command } from 'commander';
import { findGameday } from '../gameday/load-gameday.ts';
import { addLintCommand, plural } from './lint-files.ts';
import type { Output } from './output.ts';

export const addGamedayLintCommand = (gamedayCommand: Command, out: Output): void =>
  addLintCommand(gamedayCommand, out, {
    noun: 'game-day',
    argument: 'game-day YAML files or ids of gamedays/',
    docs: 'docs/gameday.md',
    check: async (file, pools) => {
      const { gameday, file: path } = await findGameday(file, pools);
      return { path, summary: `${gameday.id}: ${plural(gameday.injects.length, 'inject')}` };
    },
  });
