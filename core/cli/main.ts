// The `kartstream` command line: a thin layer over the engine, one module per command group.
import { Command, CommanderError } from 'commander';
import { describeError, isKartStreamError } from '../errors/kartstream-error.ts';
import { consoleOutput, type Output } from './output.ts';
import { addTopologyCommand } from './topology-command.ts';
import { addSimCommand } from './sim-command.ts';
import { addKindCommand } from './kind-command.ts';
import { addDoctorCommand } from './doctor-command.ts';
import { addLabCommands } from './lab-commands.ts';
import { addMonitoringCommands } from './monitoring-commands.ts';
import { addTrafficCommand } from './traffic-command.ts';
import { addActionCommands } from './action-commands.ts';
import { addLogsCommand } from './logs-command.ts';
import { addScenarioCommands } from './scenario-commands.ts';
import { addPromoteCommand } from './promote-command.ts';
import { addServeCommand } from './serve-command.ts';
import { addInviteCommand } from './invite-command.ts';
import { addTimelineCommand } from './timeline-command.ts';
import { addGamedayCommands } from './gameday-commands.ts';
import { addAppCommand } from './app-launcher.ts';

export const buildProgram = (out: Output): Command => {
  const program = new Command('kartstream')
    .description('Learn and rehearse running a real microservice shop on Kubernetes.')
    .showHelpAfterError('(run kartstream --help for usage)')
    .exitOverride();
  addTopologyCommand(program, out);
  addSimCommand(program, out);
  addKindCommand(program, out);
  addDoctorCommand(program, out);
  addLabCommands(program, out);
  addMonitoringCommands(program, out);
  addTrafficCommand(program, out);
  addActionCommands(program, out);
  addLogsCommand(program, out);
  addScenarioCommands(program, out);
  addPromoteCommand(program, out);
  addServeCommand(program, out);
  addInviteCommand(program, out);
  addTimelineCommand(program, out);
  addGamedayCommands(program, out);
  addAppCommand(program, out);
  return program;
};

// Runs the CLI and returns the exit code: 0 success, 1 failure, 2 bad usage.
export const main = async (argv: string[], out: Output = consoleOutput): Promise<number> => {
  const program = buildProgram(out);
  program.configureOutput({ writeOut: (s) => out.print(s), writeErr: (s) => out.info(s) });
  try {
    // No command at all opens the app (the README's first line: `npx kartstream`).
    await program.parseAsync(argv.length > 2 ? argv : [...argv, 'app']);
    // A command that ended without an error may still set its code (`shell` passes the shell's on).
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    out.info(`error: ${describeError(error)}`);
    return isKartStreamError(error) && error.code === 'invalid-input' ? 2 : 1;
  } finally {
    // Port-forwards a command opened to a lab's monitoring would keep the process alive.
    const { closeAllMonitoringAccess } = await import('../monitoring/monitoring-access.ts');
    await closeAllMonitoringAccess();
  }
};
