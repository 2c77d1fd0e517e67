// Learners' own alert rules: a rule file is checked with promtool, copied into the lab's rules
// directory (which the lab's Prometheus loads next to the shared rules) and Prometheus reloads.
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LabContext } from '../backends/cluster-backend.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { runCommand } from '../exec/run-command.ts';
import { findOnPath } from '../exec/find-on-path.ts';
import { monitoringDir, readSimMonitoring } from './sim-monitoring.ts';
import { upCommand } from '../home/lab-name.ts';

export const labRulesDir = (lab: Pick<LabContext, 'dir'>): string => join(monitoringDir(lab), 'rules.d');

// Validates, installs and loads a rule file; returns where it went.
export const addLabRules = async (lab: LabContext, file: string): Promise<string> => {
  const monitoring = await readSimMonitoring(lab);
  if (!monitoring)
    throw new KartStreamError('not-found', `lab ${lab.name} runs without monitoring`, {
      fix: upCommand(lab.name),
    });
  const promtool = await findOnPath('promtool');
  if (promtool) {
    await runCommand(promtool, ['check', 'rules', file]).catch((error: unknown) => {
      throw new KartStreamError('invalid-input', `rule file ${file} is not valid`, {
        details: (error as KartStreamError).details ?? [],
        fix: 'fix the file (see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/) and add it again',
      });
    });
  }
  await mkdir(labRulesDir(lab), { recursive: true, mode: 0o700 });
  const target = join(labRulesDir(lab), basename(file).replace(/\.ya?ml$/, '') + '.yaml');
  await copyFile(file, target);
  const res = await fetch(`${monitoring.prometheus}/-/reload`, { method: 'POST' });
  if (!res.ok)
    throw new KartStreamError(
      'command-failed',
      `Prometheus did not reload its rules: ${res.status} ${await res.text()}`,
    );
  return target;
};
