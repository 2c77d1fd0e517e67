// Whether a scenario can start on a lab, and if not, why in words (shown next to its start button).
import type { LabInfo, RunView, ScenarioSummary } from '../../../../core/contract/wire-types.ts';

/** Undefined when the scenario fits the lab; otherwise the reason it cannot start there. */
export const cannotStartReason = (
  scenario: Pick<ScenarioSummary, 'backends' | 'requires'>,
  lab: Pick<LabInfo, 'name' | 'backend' | 'state' | 'monitoring'> | undefined,
  active?: Pick<RunView, 'state' | 'title'> | null,
): string | undefined => {
  if (!lab) return 'no lab is selected';
  if (lab.state !== 'ready') return `lab ${lab.name} is ${lab.state}, not ready`;
  if (!scenario.backends.includes(lab.backend))
    return `runs on ${scenario.backends.join(' or ')}; lab ${lab.name} runs on ${lab.backend}`;
  if (scenario.requires.includes('monitoring') && !lab.monitoring)
    return `needs monitoring; lab ${lab.name} runs without it (create a lab with monitoring)`;
  if (active?.state === 'running') return `"${active.title}" is running on this lab; finish or abort it first`;
  return undefined;
};
