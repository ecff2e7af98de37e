// The fault suite (issue 13): `npm run test:faults`. Runs each scenario in a process of its own, one after the
// other, and exits 1 when one failed. Each cleans up after itself (private cluster, platforms, throwaway
// databases, temporary directories), also on failure and Ctrl-C. See docs/reliability.md, "Faults".
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { ensureBuilt, print } = require('./common');

const SCENARIOS = ['pg-restart.js', 'embedded-kill.js', 'approvals.js'];
const only = process.argv.slice(2);

async function main() {
  ensureBuilt();
  const results = [];
  let current;
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      current?.kill(signal); // the scenario cleans up, then this loop stops
      process.exitCode = 130;
    });
  for (const file of SCENARIOS.filter((s) => only.length === 0 || only.some((o) => s.startsWith(o)))) {
    if (process.exitCode === 130) break;
    const started = Date.now();
    current = spawn(process.execPath, [join(__dirname, file)], { stdio: 'inherit' });
    const code = await new Promise((resolve) => current.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
    results.push({ file, code, seconds: Math.round((Date.now() - started) / 1000) });
  }
  print('\nFault suite:');
  for (const r of results) print(`${r.code === 0 ? 'PASS' : 'FAIL'} ${r.file} (${r.seconds} s)`);
  if (process.exitCode !== 130) process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
