// Benchmarks on the PostgreSQL server: a database of their own, dropped afterwards.
const { Client } = require('pg');

/** Runs fn(url) on a new database `prefix_<pid>` of the server at serverUrl and drops it afterwards. */
async function withThrowawayDatabase(serverUrl, prefix, fn) {
  const name = `${prefix}_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

module.exports = { withThrowawayDatabase };
