// One line typed in a participant's kubectl console (docs/sharing.md), read without a shell:
// words split on spaces, quotes group and backslashes escape, and nothing else means anything.
// Shell syntax (;, |, &, &&, ||, $( ), backticks, < and >) is refused with a one-line message,
// and so is anything that would reach past the cluster into this machine: kubectl's
// file-reading and credential flags, its interactive or host-side subcommands, and every
// `kartstream` subcommand that is not a read of this lab.

export type ConsoleProgram = 'kubectl' | 'kartstream';

export type ConsoleLine =
  | { kind: 'empty' }
  | { kind: 'run'; program: ConsoleProgram; args: string[] }
  | { kind: 'refused'; message: string };

const SHELL_SYNTAX: [string, string][] = [
  ['$(', 'command substitution "$( )"'],
  ['`', 'command substitution (backticks)'],
  ['&&', '"&&"'],
  ['||', '"||"'],
  [';', 'a command separator ";"'],
  ['|', 'a pipe "|"'],
  ['&', 'a background "&"'],
  ['<', 'a redirection "<"'],
  ['>', 'a redirection ">"'],
];

const NO_SHELL = 'this console runs one kubectl or kartstream command, without a shell';

const shellRefusal = (what: string): ConsoleLine => ({
  kind: 'refused',
  message: `refused: ${what} is shell syntax; ${NO_SHELL}`,
});

/** The words of a line, or the refusal of the first shell construct outside single quotes. */
export const splitWords = (line: string): { words: string[] } | ConsoleLine => {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    const construct = SHELL_SYNTAX.find(([text]) => line.startsWith(text, i));
    // Inside double quotes a shell would still substitute: refuse rather than pass it literally.
    if (construct && (!quote || construct[0] === '$(' || construct[0] === '`'))
      return shellRefusal(construct[1]);
    if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quote) return { kind: 'refused', message: `refused: the ${quote} quote is not closed` };
  if (word !== undefined) words.push(word);
  return { words };
};

/** kubectl subcommands that act on the cluster only and end on their own (or on Ctrl-C). */
const KUBECTL_SUBCOMMANDS = new Set([
  'get',
  'describe',
  'logs',
  'top',
  'events',
  'explain',
  'api-resources',
  'api-versions',
  'version',
  'cluster-info',
  'auth',
  'wait',
  'scale',
  'rollout',
  'delete',
  'patch',
  'label',
  'annotate',
  'set',
  'cordon',
  'uncordon',
  'drain',
  'taint',
  'autoscale',
  'create',
  'run',
  'expose',
]);

const KUBECTL_REFUSED_WHY: Record<string, string> = {
  exec: 'it opens a shell or runs a program in a pod',
  attach: 'it attaches to a running container',
  edit: 'it opens an editor on the server',
  'port-forward': 'it opens ports on the server',
  proxy: 'it opens ports on the server',
  cp: 'it copies files of the server',
  debug: 'it starts debugging containers interactively',
  config: 'it reads and changes the kubeconfig file on the server',
  apply: 'it reads manifest files of the server (use patch, scale, set or create ... instead)',
  replace: 'it reads manifest files of the server',
  diff: 'it reads manifest files of the server',
  plugin: 'plugins are programs of the server',
  kustomize: 'it reads files of the server',
  completion: 'shell completion has no use here',
  alpha: 'alpha commands are not offered here',
};

/** Flags that name files of the server or other credentials than the person's own. */
const KUBECTL_REFUSED_FLAGS = [
  '--kubeconfig',
  '--token',
  '--server',
  '--as',
  '--as-group',
  '--as-uid',
  '--context',
  '--cluster',
  '--user',
  '--username',
  '--password',
  '--client-certificate',
  '--client-key',
  '--certificate-authority',
  '--insecure-skip-tls-verify',
  '--tls-server-name',
  '--cache-dir',
  '--filename',
  '--kustomize',
  '--log-file',
  '--log-dir',
  '--profile',
  '--profile-output',
];
/** Short flags with a file meaning (kubectl logs' -f is --follow, so logs keeps it). */
const KUBECTL_REFUSED_SHORT = ['-f', '-k', '-s'];
/** Global flags whose value is the next word, for finding the subcommand after them. */
const KUBECTL_VALUE_FLAGS = new Set(['-n', '--namespace', '-v', '--v', '--request-timeout']);

const flagName = (word: string): string => word.split('=')[0]!;

const kubectlRefusal = (args: string[]): string | undefined => {
  let sub: string | undefined;
  for (let i = 0; i < args.length && sub === undefined; i++) {
    const word = args[i]!;
    if (!word.startsWith('-')) sub = word;
    else if (KUBECTL_VALUE_FLAGS.has(word)) i++;
  }
  if (sub === undefined) return `refused: name what kubectl should do, e.g. kubectl get pods`;
  const why = KUBECTL_REFUSED_WHY[sub];
  if (why) return `refused: kubectl ${sub} is not offered in this console: ${why}`;
  if (!KUBECTL_SUBCOMMANDS.has(sub))
    return `refused: kubectl ${sub} is not offered in this console; use ${[...KUBECTL_SUBCOMMANDS].slice(0, 8).join(', ')}...`;
  for (const word of args) {
    const name = flagName(word);
    if (
      KUBECTL_REFUSED_FLAGS.includes(name) ||
      (KUBECTL_REFUSED_SHORT.includes(name) && !(sub === 'logs' && name === '-f'))
    )
      return `refused: kubectl's ${name} is not offered in this console: it reads files or credentials of the server (your own identity is already set)`;
    if (/^(-o|--output)=?.*-file\b/.test(word) || /-file=/.test(word))
      return `refused: ${word} reads a file of the server; use -o jsonpath=... or -o go-template=... inline`;
  }
  return undefined;
};

/** Read-only `kartstream` subcommands, and whether each is given the participant's lab. */
const KARTSTREAM_READS: Record<string, boolean> = {
  status: true,
  alerts: true,
  query: true,
  logs: true,
  timeline: true,
  'scenario list': false,
  'scenario status': true,
  'gameday status': true,
};

const kartstreamArgs = (args: string[], lab: string): string[] | string => {
  const two = args.slice(0, 2).join(' ');
  const command = two in KARTSTREAM_READS ? two : (args[0] ?? '');
  if (!(command in KARTSTREAM_READS))
    return `refused: ${args[0] ? `kartstream ${args[0]} is not offered in this console` : 'name a kartstream command'}; read-only commands only: ${Object.keys(KARTSTREAM_READS).join(', ')}`;
  if (args.some((a) => flagName(a) === '--name'))
    return `refused: --name is set for you: this console is for lab ${lab}`;
  return KARTSTREAM_READS[command] ? [...args, '--name', lab] : args;
};

/** What a typed line asks for, for a participant of `lab`. */
export const parseConsoleLine = (line: string, lab: string): ConsoleLine => {
  const split = splitWords(line);
  if (!('words' in split)) return split;
  const [program, ...args] = split.words;
  if (program === undefined) return { kind: 'empty' };
  if (program === 'kubectl') {
    const why = kubectlRefusal(args);
    return why ? { kind: 'refused', message: why } : { kind: 'run', program, args };
  }
  if (program === 'kartstream') {
    const given = kartstreamArgs(args, lab);
    return typeof given === 'string'
      ? { kind: 'refused', message: given }
      : { kind: 'run', program, args: given };
  }
  return {
    kind: 'refused',
    message: `refused: ${program} is not a command here; ${NO_SHELL} (try kubectl get pods)`,
  };
};
