// Preloaded into the platform under test when BENCH_PROFILE is set: samples the main thread's CPU from start to
// SIGTERM and writes a .cpuprofile (open in Chrome DevTools, or sum it up) into BENCH_PROFILE's directory.
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
process.prependListener('SIGTERM', () => {
  session.post('Profiler.stop', (error, result) => {
    if (!error) fs.writeFileSync(path.join(process.env.BENCH_PROFILE, `platform-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    process.exit(0);
  });
});
