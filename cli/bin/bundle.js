// Bundles the lumbung TypeScript sources into one ES module with esbuild, so a long-running process (a village
// box, a gateway) carries no TypeScript loader: tsx's loader runs in its own worker thread with its own V8
// heap, about 35 MB of resident memory on a box that has 150 MB for everything. The bundle lives in
// node_modules/.cache/lumbung and is rebuilt whenever a source file is newer; third-party packages stay external.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cacheDir = path.join(root, 'node_modules', '.cache', 'lumbung');
// The build is a directory of chunks (code splitting keeps each command's packages out of the others:
// a village box never loads DuckDB); `current` names the newest complete build.
const current = path.join(cacheDir, 'current.json');
const WORKSPACES = ['schemas', 'runtime', 'store', 'firmware-sim', 'edge', 'gateway', 'cloud', 'cli'];

function newestSource() {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') || e.name === 'package.json') newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const ws of WORKSPACES) {
    walk(path.join(root, ws, 'src'));
    newest = Math.max(newest, statSync(path.join(root, ws, 'package.json')).mtimeMs);
  }
  return newest;
}

function freshBuild() {
  try {
    const { dir } = JSON.parse(readFileSync(current, 'utf8'));
    const entry = path.join(cacheDir, dir, 'main.js');
    return statSync(entry).mtimeMs >= newestSource() ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** The bundle's entry file, built first when missing or stale. */
export async function bundle() {
  const fresh = freshBuild();
  if (fresh) return fresh;
  const { build } = await import('esbuild');
  // Each build goes to its own directory and is published by an atomic rename of `current`: several
  // processes may start at once, and a running process keeps the chunks it loaded.
  const dir = `build-${Date.now()}-${process.pid}`;
  mkdirSync(path.join(cacheDir, dir), { recursive: true });
  await build({
    entryPoints: [path.join(root, 'cli', 'src', 'main.ts')],
    outdir: path.join(cacheDir, dir),
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'error',
    plugins: [
      {
        name: 'external-packages',
        setup(b) {
          // Our workspaces are bundled; every other package is loaded from node_modules at run time.
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@lumbung/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const tmp = `${current}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ dir }));
  renameSync(tmp, current);
  // Older builds are removed; one a running process still uses stays until the next build.
  for (const e of readdirSync(cacheDir)) {
    if (e.startsWith('build-') && e !== dir && Date.now() - statSync(path.join(cacheDir, e)).mtimeMs > 3_600_000)
      rmSync(path.join(cacheDir, e), { recursive: true, force: true });
  }
  return path.join(cacheDir, dir, 'main.js');
}
