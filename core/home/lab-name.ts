// Lab names become directory names, kind cluster names and kubeconfig contexts, so they are
// held to DNS-label rules up front, with a message that says what to type instead.
import { KartStreamError } from '../errors/kartstream-error.ts';

/** The lab commands act on: KARTSTREAM_LAB (set in a lab shell and for scenario solutions), else "kartstream". */
export const DEFAULT_LAB_NAME = process.env.KARTSTREAM_LAB || 'kartstream';
const LAB_NAME = /^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/;

// True when `name` is a valid lab name.
export const isLabName = (name: string): boolean => LAB_NAME.test(name);

// Returns the name when it is valid; otherwise throws with a suggestion.
export const checkLabName = (name: string): string => {
  if (LAB_NAME.test(name)) return name;
  const suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 32);
  throw new KartStreamError('invalid-input', `invalid lab name ${JSON.stringify(name)}`, {
    details: [
      'a lab name has lower-case letters, digits and "-", starts with a letter, ends with a letter or digit, and has at most 32 characters',
    ],
    fix:
      suggestion && LAB_NAME.test(suggestion)
        ? `use --name ${suggestion}`
        : 'use a name such as --name my-lab',
  });
};

// A kartstream command line for a lab, as a fix to paste: `--name` only when the lab is not the
// default one, e.g. `npx kartstream up` or `npx kartstream up --name lab-b`.
export const labCommand = (command: string, lab: string): string =>
  `npx kartstream ${command}${lab === DEFAULT_LAB_NAME ? '' : ` --name ${lab}`}`;

// The command line that creates a lab, or starts it again: `npx kartstream up [--name LAB]`.
export const upCommand = (lab: string): string => labCommand('up', lab);
