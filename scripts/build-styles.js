// The stylesheet, compiled at build time: apps/platform/styles/app.scss (GOV.UK Frontend with the Flemish theme) →
// dist/assets/app.css, which the platform serves as it is (apps/platform/src/web/assets.controller.ts). Part of
// `npm run build` and `npm start` (scripts/start.js); recompiled only when an input changed.
//
// The inputs: every file under apps/platform/styles and govuk-frontend's package.json (its version). "Changed": their
// paths, sizes and modification times differ from those recorded in dist/assets/.style-inputs at the last compile.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, renameSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const STYLES = join(ROOT, 'apps', 'platform', 'styles');
const OUTPUT = join(ROOT, 'dist', 'assets', 'app.css');
const STAMP = join(ROOT, 'dist', 'assets', '.style-inputs');

function files(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files(path, found);
    else found.push(path);
  }
  return found;
}

function inputsDigest() {
  const paths = [...files(STYLES), join(ROOT, 'node_modules', 'govuk-frontend', 'package.json')].filter(existsSync).sort();
  const hash = createHash('sha256');
  for (const path of paths) {
    const { size, mtimeMs } = statSync(path);
    hash.update(`${relative(ROOT, path)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** Compiles when an input changed (or force); returns true when it compiled. Throws when Sass refuses the source. */
function buildStyles(force = false) {
  const digest = inputsDigest();
  if (!force && existsSync(OUTPUT) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === digest) return false;
  const { compile } = require('sass');
  // The same options as the fallback in assets.controller.ts (used when the platform runs from source, as in the tests).
  const { css } = compile(join(STYLES, 'app.scss'), { loadPaths: [join(ROOT, 'node_modules')], style: 'compressed', quietDeps: true });
  mkdirSync(join(ROOT, 'dist', 'assets'), { recursive: true });
  writeFileSync(`${OUTPUT}.tmp`, css);
  renameSync(`${OUTPUT}.tmp`, OUTPUT);
  writeFileSync(STAMP, `${digest}\n`);
  return true;
}

module.exports = { buildStyles, OUTPUT };

if (require.main === module) {
  const started = performance.now();
  const compiled = buildStyles(process.argv.includes('--force'));
  process.stdout.write(compiled ? `Stylesheet compiled in ${((performance.now() - started) / 1000).toFixed(1)} s.\n` : 'Stylesheet is up to date.\n');
}
