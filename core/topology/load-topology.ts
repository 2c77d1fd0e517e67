// Finds and loads the topology file, validated; errors name the file, line and field.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { loadYamlFile, parseYamlText } from '../validation/load-yaml-file.ts';
import { topologySchema, type Topology } from './schema.ts';

/** infra/topology.yaml of this installation: the default for every command. */
export const DEFAULT_TOPOLOGY_FILE = fileURLToPath(new URL('../../infra/topology.yaml', import.meta.url));

const kind = {
  what: 'topology',
  fix: 'correct the file (the shipped infra/topology.yaml is a working example), or drop --topology to use the default',
};

// Loads a topology file (default: infra/topology.yaml).
export const loadTopology = (file: string = DEFAULT_TOPOLOGY_FILE): Promise<Topology> =>
  loadYamlFile(resolve(file), topologySchema, kind);

// Validates topology YAML held in memory; `file` names it in messages.
export const parseTopology = (text: string, file: string): Topology =>
  parseYamlText(text, file, topologySchema, kind);
