// The kind part of `kartstream doctor`: the pinned kind (where it is, or why not) and the
// preflight findings for the default topology, each with its fix.
import { describeError } from '../../errors/kartstream-error.ts';
import { loadTopology } from '../../topology/load-topology.ts';
import { findKind } from './binary.ts';
import { KIND_NODE_IMAGE, KIND_VERSION } from './pins.ts';
import { kindPreflight, renderFindings } from './preflight-probe.ts';
import type { Finding } from './preflight.ts';

export interface KindDoctorSection {
  kind: { pinned: string; path?: string; reasons: string[] };
  nodeImage: string;
  /** False when `up --backend kind` would stop at its preflight. */
  ready: boolean;
  findings: Finding[];
}

export const kindDoctorSection = async (topologyFile?: string): Promise<KindDoctorSection> => {
  const kind = await findKind();
  let findings: Finding[];
  try {
    findings = (await kindPreflight(await loadTopology(topologyFile))).findings;
  } catch (error) {
    findings = [
      { id: 'topology', severity: 'error', message: describeError(error), fix: 'fix the topology file' },
    ];
  }
  if (!kind.path)
    findings.push({
      id: 'kind',
      severity: 'warning',
      message: `kind ${KIND_VERSION} is not installed (up installs it first)`,
      fix: 'run: npx kartstream kind install',
    });
  const order = { error: 0, warning: 1, ok: 2 } as const;
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  return {
    kind: { pinned: KIND_VERSION, path: kind.path, reasons: kind.reasons },
    nodeImage: KIND_NODE_IMAGE,
    ready: findings.every((f) => f.severity !== 'error'),
    findings,
  };
};

export const renderKindDoctorSection = (s: KindDoctorSection): string[] => [
  `kind backend (kind ${s.kind.pinned}${s.kind.path ? ` at ${s.kind.path}` : ', not installed'}; ${s.nodeImage.split('@')[0]})`,
  ...renderFindings(s.findings),
  `  up --backend kind ${s.ready ? 'can start' : 'would stop at its preflight'}`,
];
