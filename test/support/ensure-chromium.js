#!/usr/bin/env node
// `npm test` runs this first (pretest): the browser tests drive the system Chromium and are never skipped.
// Chromium present: nothing to do. Missing: install Debian's chromium when we may (root, or sudo without a
// password), printing each command; otherwise stop with how to install it.
'use strict';
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');

const DEFAULT_PATH = '/usr/bin/chromium';

/** What to do, decided from the facts alone: 'ready', 'install' (as root), 'sudo-install', or 'explain' (stop). */
function plan({ path, explicitPath, exists, hasAptGet, isRoot, sudoWithoutPassword }) {
  if (exists) return 'ready';
  // A CHROMIUM_PATH that points nowhere is a mistake to fix, not a reason to install something else.
  if (explicitPath || !hasAptGet || path !== DEFAULT_PATH) return 'explain';
  if (isRoot) return 'install';
  return sudoWithoutPassword ? 'sudo-install' : 'explain';
}

function explanation(path, explicitPath) {
  return [
    `The browser tests need Chromium, and there is none at ${path}${explicitPath ? ' (CHROMIUM_PATH)' : ''}.`,
    'Install it and run the tests again:',
    '  Debian/Ubuntu:  sudo apt-get install -y chromium',
    '  elsewhere:      CHROMIUM_PATH=/path/to/chromium npm test',
    'npm test does not skip the browser tests.',
  ].join('\n');
}

function succeeds(command, args) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function run(prefix, args) {
  const command = [...prefix, ...args];
  process.stdout.write(`ensure-chromium: ${command.join(' ')}\n`);
  const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

function main() {
  const explicitPath = Boolean(process.env.CHROMIUM_PATH);
  const path = process.env.CHROMIUM_PATH || DEFAULT_PATH;
  const exists = existsSync(path);
  const hasAptGet = !exists && succeeds('sh', ['-c', 'command -v apt-get']);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudoWithoutPassword = !exists && hasAptGet && !isRoot && succeeds('sudo', ['-n', 'true']);
  const step = plan({ path, explicitPath, exists, hasAptGet, isRoot, sudoWithoutPassword });
  if (step === 'ready') return 0;
  if (step === 'explain') {
    process.stderr.write(`${explanation(path, explicitPath)}\n`);
    return 1;
  }
  process.stdout.write(`ensure-chromium: Chromium is missing at ${path}; installing Debian's chromium for the browser tests.\n`);
  const prefix = step === 'sudo-install' ? ['sudo', '-n'] : [];
  const installed = run(prefix, ['apt-get', 'update']) && run(prefix, ['apt-get', 'install', '-y', 'chromium']) && existsSync(path);
  if (installed) return 0;
  process.stderr.write(`ensure-chromium: installing chromium failed.\n${explanation(path, explicitPath)}\n`);
  return 1;
}

module.exports = { plan, explanation };
if (require.main === module) process.exit(main());
