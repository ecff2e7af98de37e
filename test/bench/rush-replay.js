// The plain `pg` baseline of the deadline-rush benchmark (rush.js): capture the statements of ONE draft
// save on the PostgreSQL server (rush-capture.js, preloaded into the platform), then replay that
// sequence through plain `pg` clients, each on a draft of its own, as fast as the server takes it.
const { Client } = require('pg');
const { sleep } = require('./rush-http');

/** Asks the platform (with rush-capture.js preloaded) for one message and waits for the answer with `key`. */
function ask(child, message, key) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer from rush-capture.js; is it preloaded?')), 10_000);
    const listen = (answer) => {
      if (!answer?.[key]) return;
      clearTimeout(timer);
      child.off('message', listen);
      resolve(answer[key]);
    };
    child.on('message', listen);
    child.send(message);
  });
}

/** Records every statement the platform sends while `save()` runs; returns [{ text, params }]. */
async function captureOne(child, save) {
  await ask(child, 'start', 'started');
  await save();
  await sleep(300); // anything the request still sends after answering
  return ask(child, 'stop', 'statements');
}

const isWrite = (text) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(text);
const isTransaction = (text) => /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)\b/i.test(text);

/**
 * The captured save as a template. The save was captured twice, on two drafts A and B (at different
 * versions): a parameter that is A's own id (application, applicant, local government, user, token,
 * token hash), version or version + 1 in A's capture and B's in B's, at the same place, is that value
 * of the replaying client's draft; every other parameter is replayed as captured from A.
 * `writesOnly` keeps the transaction and the INSERT/UPDATE/DELETE statements.
 */
function template(a, idsA, b, idsB, writesOnly) {
  if (a.length !== b.length || a.some((s, i) => s.text !== b[i].text)) throw new Error('the two captured saves differ; cannot build the replay');
  // The ids idsOf gives, plus any the caller added (a report's id), then the version and the version after it.
  const keys = [...Object.keys(idsA).filter((k) => k !== 'version'), 'version', 'next'];
  const valueOf = (ids, key) => (key === 'next' ? ids.version + 1 : ids[key]);
  const same = (p, v) => p === v || (typeof p === 'string' && p === String(v));
  const slot = (pa, pb) => {
    if (Array.isArray(pa)) return pa.map((p, k) => slot(p, Array.isArray(pb) ? pb[k] : undefined));
    const matching = keys.filter((k) => same(pa, valueOf(idsA, k)) && same(pb, valueOf(idsB, k)));
    return matching.length > 0 ? { key: matching[0], matching, string: typeof pa === 'string' } : { value: pa };
  };
  const shapes = a
    .map((s, i) => ({ text: s.text, params: s.params.map((p, j) => slot(p, b[i].params[j])) }))
    .filter((s) => !writesOnly || isWrite(s.text) || isTransaction(s.text));
  const fill = (shape, draft) => {
    if (Array.isArray(shape)) return shape.map((x) => fill(x, draft));
    if (!shape.key) return shape.value;
    // A and B had the same value for two keys here: only harmless when this draft has too.
    if (new Set(shape.matching.map((k) => valueOf(draft, k))).size > 1)
      throw new Error(`a captured parameter is ${shape.matching.join(' and ')} of both captured drafts; cannot tell which to replay`);
    return shape.string ? String(valueOf(draft, shape.key)) : valueOf(draft, shape.key);
  };
  const build = (draft) => shapes.map((s) => ({ text: s.text, params: s.params.map((p) => fill(p, draft)) }));
  build.swapped = shapes.reduce((n, s) => n + JSON.stringify(s.params).split('"key"').length - 1, 0);
  build.count = shapes.length;
  return build;
}

/** Ids the template swaps, for the officers of the drafts (read straight from the server). */
async function idsOf(url, officers) {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query(`SELECT t.id, t.token_hash, t.user_id FROM api_token t WHERE t.token_hash = ANY($1)`, [officers.map((o) => o.tokenHash)]);
    const byHash = new Map(rows.map((r) => [r.token_hash.trim(), r]));
    return officers.map((o) => ({
      applicationId: o.applicationId,
      applicantId: o.applicantId,
      localGovernmentId: o.localGovernmentId,
      userId: byHash.get(o.tokenHash).user_id,
      tokenId: byHash.get(o.tokenHash).id,
      tokenHash: o.tokenHash,
    }));
  } finally {
    await db.end();
  }
}

/** The versions the replay swaps and checks: per application id, its own (the default) or its interim report's. */
const VERSIONS = {
  application: `SELECT id, version FROM application WHERE id = ANY($1)`,
  interimReport: `SELECT application_id AS id, version FROM kpi_report WHERE kind = 'interim' AND application_id = ANY($1)`,
};

/** CLIENTS pg clients, each replaying the template on its own draft in a transaction, back to back, for `seconds`. */
async function replay(url, build, drafts, seconds, versionsOf = VERSIONS.application) {
  const clients = await Promise.all(
    drafts.map(async () => {
      const db = new Client({ connectionString: url });
      await db.connect();
      return db;
    }),
  );
  const { rows } = await clients[0].query(versionsOf, [drafts.map((d) => d.applicationId)]);
  const versions = new Map(rows.map((r) => [r.id, r.version]));
  for (const d of drafts) d.version = versions.get(d.applicationId);
  const latencies = [];
  let errors = 0;
  let firstError;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (db, n) => {
      const draft = drafts[n];
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          for (const s of build(draft)) await db.query(s.text, s.params);
          draft.version += 1;
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error.message;
          await db.query('ROLLBACK').catch(() => undefined);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  // Each replayed transaction bumps its draft's version once, if the ids and versions were swapped right.
  const after = await clients[0].query(`SELECT sum(version)::int AS total FROM (${versionsOf}) AS v`, [drafts.map((d) => d.applicationId)]);
  const bumped = after.rows[0].total - rows.reduce((sum, r) => sum + r.version, 0);
  await Promise.all(clients.map((db) => db.end()));
  return { latencies, errors, firstError, elapsed, bumped };
}

module.exports = { captureOne, template, idsOf, replay, VERSIONS, isWrite, isTransaction };
