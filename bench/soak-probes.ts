// What the soak benchmark reads from Linux while it runs: the processes of one KARTSTREAM_HOME
// (every process KartStream starts inherits it, and the lab's daemons name it in their command
// lines), their resident memory and open descriptors, the server's TCP connections, and the sizes
// of the files under the home.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Proc {
  pid: number;
  ppid: number;
  /** The executable's short name (`comm`). */
  name: string;
  args: string;
}

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process ended meanwhile
  }
};

/** Every live process (zombies left out), with its parent. */
export const processTable = (): Proc[] => {
  const procs: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // pid (comm) state ppid ...; comm may hold spaces and parentheses, so read from the last ')'.
    const close = stat?.lastIndexOf(')') ?? -1;
    if (!stat || close < 0) continue;
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (state === 'Z') continue;
    procs.push({
      pid: Number(entry),
      ppid: Number(ppid),
      name: stat.slice(stat.indexOf('(') + 1, close),
      args: (read(`/proc/${entry}/cmdline`) ?? '').replace(/\0/g, ' ').trim(),
    });
  }
  return procs;
};

/** The processes below `root` (children, their children, ...). */
export const descendantsOf = (root: number, table: readonly Proc[]): Proc[] => {
  const found: Proc[] = [];
  let frontier = new Set([root]);
  while (frontier.size > 0) {
    const next = table.filter((p) => frontier.has(p.ppid));
    found.push(...next);
    frontier = new Set(next.map((p) => p.pid));
  }
  return found;
};

/** Processes whose command line names `home`, or whose environment has KARTSTREAM_HOME=`home`. */
export const processesOfHome = (home: string, table: readonly Proc[]): Proc[] => {
  const env = `KARTSTREAM_HOME=${home}\0`;
  return table.filter(
    (p) =>
      p.pid !== process.pid &&
      (p.args.includes(home) || (read(`/proc/${p.pid}/environ`) ?? '').includes(env)),
  );
};

/** Resident memory in MB (VmRSS), 0 when the process is gone. */
export const rssMb = (pid: number): number => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '')?.[1];
  return kb ? Number(kb) / 1024 : 0;
};

/** What each open descriptor of `pid` points at (`socket:[123]`, a path, `anon_inode:[eventfd]`). */
export const fdTargets = (pid: number): string[] => {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  return fds.flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
    } catch {
      return []; // closed meanwhile
    }
  });
};

/** Watches still held by `pid`'s inotify descriptors (libuv keeps one inotify fd for life). */
export const inotifyWatches = (pid: number): number => {
  let count = 0;
  for (const fd of safeReaddir(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (target === 'anon_inode:inotify')
      count += (read(`/proc/${pid}/fdinfo/${fd}`) ?? '')
        .split('\n')
        .filter((l) => l.startsWith('inotify wd:')).length;
  }
  return count;
};

const safeReaddir = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** Established TCP connections whose local end is `port` (the server's side of each client). */
export const connectionsTo = (port: number): number => {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6'])
    for (const line of (read(file) ?? '').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '01' && local?.endsWith(`:${hexPort}`)) count += 1;
    }
  return count;
};

/** Every regular file under `dir` with its size in bytes. */
export const filesUnder = (dir: string): { path: string; bytes: number }[] => {
  const out: { path: string; bytes: number }[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return; // removed meanwhile
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile())
        try {
          out.push({ path, bytes: statSync(path).size });
        } catch {
          // removed meanwhile
        }
    }
  };
  walk(dir);
  return out;
};
