// Builds a small Go tool kept in the repo (a directory with go.mod, go.sum and *.go files) into
// the KartStream cache, outside the repo, and returns the path of the binary. The build is keyed
// by a hash of the sources, so an unchanged tool is built once and then reused.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { cacheHome } from '../../core/home/paths.ts';
import { runCommand } from '../../core/exec/run-command.ts';

const BUILD_TIMEOUT_MS = 15 * 60_000;

// Builds in flight in this process, so parallel callers share one build.
const inFlight = new Map<string, Promise<string>>();

// The files a build depends on: go.mod, go.sum and every .go file, in a stable order.
const sourceFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((file) => file === 'go.mod' || file === 'go.sum' || file.endsWith('.go'))
    .sort();
};

const sourceHash = async (dir: string): Promise<string> => {
  const files = await sourceFiles(dir);
  if (!files.includes('go.mod')) throw new Error(`${dir} is not a Go module: it has no go.mod`);
  const hash = createHash('sha256').update(`${process.platform}/${process.arch}\0`);
  for (const file of files) {
    hash.update(`${file.split('\\').join('/')}\0`);
    hash.update(await readFile(join(dir, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
};

const isExecutable = (file: string): Promise<boolean> =>
  access(file, constants.X_OK).then(
    () => true,
    () => false,
  );

/**
 * Builds the Go tool in `dir` (static, CGO_ENABLED=0) into
 * `<cache>/tools/<name>-<hash>/<name>` and returns that path; an existing build is reused.
 */
export const buildGoTool = (dir: string): Promise<string> => {
  const toolDir = resolve(dir);
  let build = inFlight.get(toolDir);
  if (!build) {
    build = buildOnce(toolDir);
    inFlight.set(toolDir, build);
    build.catch(() => inFlight.delete(toolDir));
  }
  return build;
};

const buildOnce = async (toolDir: string): Promise<string> => {
  const name = basename(toolDir);
  const exe = process.platform === 'win32' ? '.exe' : '';
  const outDir = join(cacheHome(), 'tools', `${name}-${await sourceHash(toolDir)}`);
  const binary = join(outDir, `${name}${exe}`);
  if (await isExecutable(binary)) return binary;

  await mkdir(outDir, { recursive: true });
  // Build beside the target and rename into place: another process building the same tool at the
  // same time never sees a half-written binary.
  const partial = join(outDir, `.${name}-${process.pid}-${Date.now()}${exe}`);
  try {
    await runCommand('go', ['build', '-trimpath', '-buildvcs=false', '-o', partial, '.'], {
      cwd: toolDir,
      env: { CGO_ENABLED: '0' },
      timeoutMs: BUILD_TIMEOUT_MS,
    });
    await rename(partial, binary);
  } finally {
    await rm(partial, { force: true });
  }
  return binary;
};
