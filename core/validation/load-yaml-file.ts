// Reads a YAML file and validates it against a schema; every problem is reported as
// `<file>:<line>: <path>: got <found>, expected <what>`, all of them at once.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { KartStreamError } from '../errors/kartstream-error.ts';
import { describeIssues } from './describe-issues.ts';

export interface YamlFileKind {
  /** What the file is, for messages: "topology", "scenario". */
  what: string;
  /** How to fix a file that cannot be read or parsed. */
  fix: string;
}

// A path as the user typed it when it is inside the working directory, else absolute.
export const displayPath = (file: string): string => {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || rel === '' ? file : rel;
};

// The line of the deepest node that exists along `path` (the parent's, for a missing key).
const lineOf = (doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined => {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
};

// Parses YAML text and validates it; `file` is used in messages only.
export const parseYamlText = <S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  kind: YamlFileKind,
): z.infer<S> => {
  const shown = displayPath(file);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return `${shown}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`;
    });
    throw new KartStreamError('invalid-input', `${kind.what} file ${shown} is not valid YAML`, {
      details,
      fix: kind.fix,
    });
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (cause) {
    // e.g. an alias (*name) with no anchor: valid syntax, but no document.
    throw new KartStreamError('invalid-input', `${kind.what} file ${shown} is not valid YAML`, {
      cause,
      details: [`${shown}: ${(cause as Error).message}`],
      fix: kind.fix,
    });
  }
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const details = describeIssues(result.error.issues, schema).map((problem) => {
    const line = lineOf(doc, counter, problem.path);
    return `${shown}${line ? `:${line}` : ''}: ${problem.text}`;
  });
  throw new KartStreamError(
    'invalid-input',
    `${kind.what} file ${shown} has ${details.length} problem${details.length === 1 ? '' : 's'}`,
    { details, fix: kind.fix },
  );
};

// Reads and validates a YAML file; a missing file is a clear error, not a stack trace.
export const loadYamlFile = async <S extends z.ZodType>(
  file: string,
  schema: S,
  kind: YamlFileKind,
): Promise<z.infer<S>> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KartStreamError(
      code === 'ENOENT' ? 'not-found' : 'invalid-input',
      code === 'ENOENT'
        ? `${kind.what} file ${displayPath(file)} does not exist`
        : `cannot read ${kind.what} file ${displayPath(file)}: ${(cause as Error).message}`,
      { cause, fix: kind.fix },
    );
  }
  return parseYamlText(text, file, schema, kind);
};
