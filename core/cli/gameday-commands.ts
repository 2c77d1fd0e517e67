// `kartstream gameday ...`: a team rehearses an incident in one lab (docs/gameday.md).
import type { Command } from 'commander';
import type { Output } from './output.ts';
import { addGamedayLintCommand } from './gameday-lint.ts';

export const addGamedayCommands = (program: Command, out: Output): void => {
  const gameday = program
    .command('gameday')
    .description('game days: a team rehearses an incident together in one lab');
  addGamedayLintCommand(gameday, out);
};
