#!/usr/bin/env node
// `npm start` and `npm run build`: build with SWC (nest build, nest-cli.json) only when a build input changed since the
// last build, then (npm start) run the platform. The type check is a step of its own: `npm run typecheck`.
//
//   node scripts/start.js            build if needed, then run dist/apps/platform/src/main.js (npm start)
//   node scripts/start.js build      build if needed (npm run build); add --force to build anyway
//
// "Changed": the list of build inputs with their sizes and modification times differs from the one recorded in
// dist/.build-inputs when the last build succeeded (a file added, removed, edited or touched), or the entry points are
// missing. The inputs: every .ts file under apps/ and libs/, tsconfig*.json, nest-cli.json, .swcrc and package-lock.json.
// The stylesheet is compiled to dist/assets/app.css the same way, when its own inputs changed (scripts/build-styles.js).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const { join, relative } = require('node:path');
const { buildStyles } = require('./build-styles');

const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-inputs');
const ENTRIES = ['dist/apps/platform/src/main.js', 'dist/apps/cli/src/main.js'];
const FILES = ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', '.swcrc', 'package-lock.json'];

function sources(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') sources(path, found);
    } else if (entry.name.endsWith('.ts')) found.push(path);
  }
  return found;
}

/** A digest of the build inputs' paths, sizes and modification times: cheap (a few ms), no file is read. */
function inputsDigest() {
  const paths = [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs')), ...FILES.map((file) => join(ROOT, file)).filter(existsSync)].sort();
  const hash = createHash('sha256');
  for (const path of paths) {
    const { size, mtimeMs } = statSync(path);
    hash.update(`${relative(ROOT, path)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function upToDate(digest) {
  if (!ENTRIES.every((entry) => existsSync(join(ROOT, entry)))) return false;
  try {
    return readFileSync(STAMP, 'utf8').trim() === digest;
  } catch {
    return false;
  }
}

/** Builds when needed; returns false when the build failed. */
function build(force) {
  const stylesStarted = performance.now();
  try {
    if (buildStyles(force)) process.stdout.write(`Stylesheet compiled in ${((performance.now() - stylesStarted) / 1000).toFixed(1)} s.\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    return false;
  }
  const digest = inputsDigest();
  if (!force && upToDate(digest)) {
    process.stdout.write('Build is up to date (no source changed since the last one).\n');
    return true;
  }
  const started = performance.now();
  // One SWC run compiles both apps and the libs (nest-cli.json, compilerOptions.builder.options.filenames).
  const nest = join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
  const result = spawnSync(process.execPath, [nest, 'build', 'platform'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0 || !ENTRIES.every((entry) => existsSync(join(ROOT, entry)))) return false;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  writeFileSync(STAMP, `${digest}\n`);
  process.stdout.write(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
  return true;
}

const args = process.argv.slice(2);
if (!build(args.includes('--force'))) {
  process.stderr.write('plan-samenleven: the build failed (see above)\n');
  process.exit(1);
}
if (args[0] !== 'build') {
  // The platform in a process of its own, as `npm run start:prod` runs it; signals are passed on, its exit code is ours.
  const platform = spawn(process.execPath, [join(ROOT, ENTRIES[0])], { cwd: process.cwd(), stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => platform.kill(signal));
  platform.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
