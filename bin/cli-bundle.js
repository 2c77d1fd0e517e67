// How `kartstream` loads the engine. The engine is TypeScript; Node 20 cannot run it as is, and
// loading it module by module (tsx's loader hooks, then Node's ESM loader over ~2,400 files of
// the engine and its packages) cost ~2 s of CPU per command. So the first command after a change
// bundles the engine and its plain-JavaScript packages with esbuild (~2 s): one entry file and
// chunks loaded when needed (the AWS SDK, the server). Every later command loads the entry
// (~0.7 s). Builds live in dist/cli/<build>/ of this checkout (ignored by git, like renderer/dist)
// and a new one is made when any file in the current one changed: the manifest keeps a hash of
// each engine file the build was made from, checked at every start (~15 ms).
// KARTSTREAM_FROM_SOURCES=1 runs the sources through tsx instead, as before (bench/README.md,
// "CLI start"); so does a checkout where dist/cli/ cannot be written, with a note on stderr.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(REPO, 'core', 'cli', 'main.ts');
export const BUNDLE_DIR = join(REPO, 'dist', 'cli');
const MANIFEST = join(BUNDLE_DIR, 'manifest.json');
// Loaded from node_modules at run time: packages with native parts (found next to their own
// files), Electron (only inside the desktop app) and esbuild itself.
const EXTERNAL = ['node-pty', 'dockerode', 'electron', 'esbuild'];
const LOADERS = { '.ts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json' };
// Builds kept besides the current one: a command still running (a `serve`) loads parts of its
// build later (the AWS SDK when it promotes), so a build is not deleted as soon as it is replaced.
const KEEP_OLD_BUILDS = 3;

const hash = (data) => createHash('sha256').update(data).digest('base64url');
const readOrEmpty = (path) => {
  try {
    return readFileSync(path);
  } catch {
    return '';
  }
};

// What the bundle depends on besides the engine's own files: where the checkout is (the bundle
// holds its absolute paths), the Node that runs it, the installed packages (npm's record of
// node_modules), and this file (the build's options).
const environmentKey = () =>
  hash(
    [
      REPO,
      process.version,
      readOrEmpty(join(REPO, 'node_modules', '.package-lock.json')) ||
        readOrEmpty(join(REPO, 'package-lock.json')),
      readFileSync(fileURLToPath(import.meta.url)),
    ].join('\0'),
  );

/** The build to load, if the manifest's is there and made from the files as they are now. */
const currentBundle = (environment) => {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.environment !== environment) return undefined;
  for (const [file, digest] of Object.entries(manifest.inputs ?? {}))
    if (hash(readOrEmpty(join(REPO, file))) !== digest) return undefined;
  const entry = join(BUNDLE_DIR, String(manifest.build), 'main.mjs');
  try {
    statSync(entry);
  } catch {
    return undefined;
  }
  return entry;
};

// Writes `path` whole or not at all: commands that start meanwhile read the old file or the new.
const writeAtomically = (path, data) => {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
};

const buildBundle = async (environment) => {
  const esbuild = await import('esbuild');
  const inputs = {};
  // Each engine file as read for the bundle: its hash goes into the manifest, and its
  // import.meta.url becomes the file's own URL, so the paths the engine finds from it (the
  // manifests/, scenarios/ and infra/ dirs, bin/kartstream.js) stay those of the checkout.
  const engineFiles = {
    name: 'engine-files',
    setup(build) {
      build.onLoad({ filter: /.*/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = readFileSync(args.path);
        inputs[relative(REPO, args.path)] = hash(source);
        const contents = source
          .toString('utf8')
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path));
        return { contents, loader: LOADERS[extname(args.path)] ?? 'js' };
      });
    },
  };
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const building = join(BUNDLE_DIR, `.building-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: { main: ENTRY },
    absWorkingDir: REPO,
    bundle: true,
    // What a command does not use is not parsed: the AWS SDK and the server are chunks of their own.
    splitting: true,
    outdir: building,
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    external: EXTERNAL,
    plugins: [engineFiles],
    // Smaller is faster to parse; names are kept, so stack traces still name the functions.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // CommonJS packages inside an ES module still call require().
    banner: {
      js: "import { createRequire as __kartstreamRequire } from 'node:module'; const require = __kartstreamRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const build = hash([environment, ...Object.entries(inputs).sort().flat()].join('\0')).slice(0, 16);
  try {
    renameSync(building, join(BUNDLE_DIR, build));
  } catch {
    // another command built the same files at the same time: use its build
    rmSync(building, { recursive: true, force: true });
  }
  writeAtomically(MANIFEST, `${JSON.stringify({ environment, build, inputs }, null, 1)}\n`);
  pruneOldBuilds(build);
  return join(BUNDLE_DIR, build, 'main.mjs');
};

// Keeps the newest few builds; removes a build's leftovers when its command died while building.
const pruneOldBuilds = (current) => {
  const dirs = readdirSync(BUNDLE_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== current)
    .map((e) => ({
      name: e.name,
      path: join(BUNDLE_DIR, e.name),
      mtime: statSync(join(BUNDLE_DIR, e.name)).mtimeMs,
    }))
    .sort((a, b) => b.mtime - a.mtime);
  const abandoned = dirs.filter((d) => d.name.startsWith('.building-') && Date.now() - d.mtime > 3_600_000);
  const old = dirs.filter((d) => !d.name.startsWith('.')).slice(KEEP_OLD_BUILDS);
  for (const dir of [...abandoned, ...old]) rmSync(dir.path, { recursive: true, force: true });
};

// The engine from its TypeScript sources, through tsx.
const fromSources = async () => {
  const { register } = await import('tsx/esm/api');
  // tsx's loader hooks see every module loaded after register(): plain JavaScript packages that
  // nearly every command needs are loaded first, without them.
  await Promise.all([import('@kubernetes/client-node'), import('execa'), import('zod')]);
  register();
  return import(pathToFileURL(ENTRY).href);
};

/** The engine's CLI module (`main`), from the bundle, built first if it is missing or stale. */
export const loadCli = async () => {
  if (process.env.KARTSTREAM_FROM_SOURCES) return fromSources();
  const environment = environmentKey();
  let bundle = currentBundle(environment);
  if (!bundle) {
    try {
      bundle = await buildBundle(environment);
    } catch (error) {
      const reason = error?.errors?.[0]?.text ?? error?.message ?? String(error);
      process.stderr.write(
        `kartstream: could not bundle the engine into ${BUNDLE_DIR} (${reason}); running from the sources, which starts slower\n`,
      );
      return fromSources();
    }
  }
  return import(pathToFileURL(bundle).href);
};
