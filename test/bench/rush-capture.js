// Preloaded into the platform by rush.js (`node --require ./rush-capture.js main.js`, PostgreSQL server
// only): records every statement the `pg` driver sends, with its parameters, between a 'start' and a
// 'stop' message on the IPC channel, and answers 'stop' with them. Costs one branch per query otherwise.
// (A channel, not a signal: Nest's enableShutdownHooks() shuts the platform down on SIGUSR2.)
const pg = require('pg');

let recording = null;
const original = pg.Client.prototype.query;

pg.Client.prototype.query = function query(config, values, callback) {
  if (recording) {
    const text = typeof config === 'string' ? config : config?.text;
    const params = Array.isArray(values) ? values : (config?.values ?? []);
    if (text) recording.push({ text, params });
  }
  return original.call(this, config, values, callback);
};

if (process.send) {
  process.on('message', (message) => {
    if (message === 'start') {
      recording = [];
      process.send({ started: true });
    } else if (message === 'stop') {
      process.send({ statements: JSON.parse(JSON.stringify(recording ?? [])) });
      recording = null;
    }
  });
  process.channel.unref(); // the channel must not keep the platform alive after its shutdown
}
