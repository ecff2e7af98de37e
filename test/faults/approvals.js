// Fault 3: two reviewers approving the same application at once (issue 13: exactly one wins). On the built
// platform and a PostgreSQL server (a throwaway database of FAULTS_DATABASE_URL, or a private cluster when that
// server cannot be reached), FAULTS_APPROVALS applications are drafted, completed (contact, payout account and
// its signed letter), submitted and taken into review through the API; then two ABB reviewers, each with an
// API token of their own, approve each one with the same version at the same moment. Checks per application:
// one 200 and one 409, one status change (goedgekeurd, version + 1), one 'approve' audit row, and the answer
// of the winner is what is stored. test/e2e/applications.e2e-spec.ts has the in-process test (approve vs. reject).
// Run alone: `node test/faults/approvals.js`.
const {
  check,
  ensureBuilt,
  freePort,
  machine,
  note,
  onCleanup,
  print,
  privateCluster,
  query,
  reachable,
  scenario,
  stopPlatform,
  throwawayDatabase,
} = require('./common');

const COUNT = Number(process.env.FAULTS_APPROVALS ?? 20);
const SHARED = process.env.FAULTS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECOND_REVIEWER = 'tweede-beoordelaar@faults.example';
const REVIEWER_PASSWORD = 'Een lang wachtwoord voor de foutentest';

scenario('two reviewers approving the same application at once', async () => {
  ensureBuilt();
  process.env.BENCH_PORT = String(await freePort());
  const { call, startPlatform, stop, prepareDrafts, completeApplicant, pool, agent, tokenFor, ADMIN, DEMO_PASSWORD } = require('../bench/rush-http');
  const { mailInbox } = require('../bench/mail-inbox');
  onCleanup(() => agent.destroy());
  const must = (res, status, what) => {
    if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text?.slice(0, 300) ?? res.error?.message ?? ''}`);
    return res.json;
  };

  let url;
  if (await reachable(SHARED)) url = await throwawayDatabase(SHARED, `ps_faults_approvals_${process.pid}`);
  else {
    const cluster = await privateCluster();
    if (!cluster) throw new Error(`neither the server at ${SHARED} nor a private PostgreSQL cluster`);
    note(`${SHARED} cannot be reached: using a private cluster`);
    url = await throwawayDatabase(cluster.url, 'ps_faults');
  }
  const [{ server_version: version }] = await query(url, 'SHOW server_version');
  print(`machine: ${machine()}`);
  print(`database: PostgreSQL ${version}, throwaway database; ${COUNT} applications`);

  const child = await startPlatform({ DATABASE_URL: url });
  onCleanup(() => stopPlatform(stop, child));
  const officers = await prepareDrafts(COUNT, 2);

  // Two reviewers: the demo's, and a second one the administrator creates; each signs in and issues an API token.
  const admin = { authorization: `Bearer ${await tokenFor(ADMIN, DEMO_PASSWORD)}` };
  must(
    await call('POST', '/api/v1/users', { headers: admin, body: { email: SECOND_REVIEWER, displayName: 'Tweede Beoordelaar (ABB)', role: 'abb-reviewer' } }),
    201,
    'second reviewer',
  );
  // The welcome link reaches the new reviewer's mailbox only (startPlatform gives the platform a local SMTP server).
  const resetToken = (await mailInbox()).tokenFor(SECOND_REVIEWER);
  const page = await call('GET', `/wachtwoord-herstellen?token=${resetToken}`);
  const cookie = (page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)[1];
  const reset = await call('POST', '/wachtwoord-herstellen', {
    headers: { cookie },
    body: new URLSearchParams({ _csrf: csrf, token: resetToken, password: REVIEWER_PASSWORD }).toString(),
  });
  if (reset.status !== 303) throw new Error(`password of the second reviewer: ${reset.status}`);
  const reviewers = [
    { name: 'Bart Beoordelaar', auth: { authorization: `Bearer ${await tokenFor('beoordelaar@abb.demo', DEMO_PASSWORD)}` } },
    { name: 'Tweede Beoordelaar', auth: { authorization: `Bearer ${await tokenFor(SECOND_REVIEWER, REVIEWER_PASSWORD)}` } },
  ];

  // Each draft completed, submitted and taken into review.
  await pool(officers, 4, async (o) => {
    await completeApplicant(o);
    const lines = o.lines.map((l) => ({ kpiLineId: l.id, plannedReach: 1, currentReach: 0 }));
    const priorities = o.lines.map((l, i) => ({ actionNumber: l.actionNumber, priority: i + 1 }));
    const saved = must(
      await call('PUT', `/api/v1/applications/${o.applicationId}`, { headers: o.auth, body: { version: o.version, lines, priorities } }),
      200,
      'draft',
    );
    const submitted = must(
      await call('POST', `/api/v1/applications/${o.applicationId}/submit`, { headers: o.auth, body: { version: saved.version } }),
      200,
      'submit',
    );
    const review = must(
      await call('POST', `/api/v1/applications/${o.applicationId}/start-review`, { headers: reviewers[0].auth, body: { version: submitted.version } }),
      200,
      'start review',
    );
    o.reviewVersion = review.version;
    o.confirmed = review.lines.filter((l) => l.plannedReach > 0).map((l) => ({ kpiLineId: l.id, quantity: l.plannedReach }));
  });

  // The race, one application at a time: both approvals sent together.
  const outcomes = [];
  for (const o of officers) {
    const body = { version: o.reviewVersion, confirmed: o.confirmed };
    const answers = await Promise.all(
      reviewers.map((r) => call('POST', `/api/v1/applications/${o.applicationId}/approve`, { headers: r.auth, body, timeoutMs: 30_000 })),
    );
    outcomes.push({ o, answers });
  }
  const ids = officers.map((o) => o.applicationId);
  const rows = new Map((await query(url, `SELECT id, status, version, decided_at FROM application WHERE id = ANY($1)`, [ids])).map((r) => [r.id, r]));
  const audits = new Map(
    (
      await query(
        url,
        `SELECT entity_id, count(*)::int AS n, max(actor_label) AS actor FROM audit_event WHERE entity_type = 'application' AND action = 'approve' AND entity_id = ANY($1) GROUP BY entity_id`,
        [ids.map(String)],
      )
    ).map((r) => [Number(r.entity_id), r]),
  );

  const statuses = new Map();
  const wins = [0, 0];
  const wrong = { answers: [], rows: [], audit: [], winner: [] };
  for (const { o, answers } of outcomes) {
    const pair = answers.map((a) => a.status).sort();
    statuses.set(pair.join('+'), (statuses.get(pair.join('+')) ?? 0) + 1);
    const won = answers.findIndex((a) => a.status === 200);
    if (pair.join('+') !== '200+409') {
      wrong.answers.push(`application ${o.applicationId}: ${answers.map((a) => `${a.status} ${a.json?.code ?? a.text?.slice(0, 80) ?? ''}`).join(' / ')}`);
      continue;
    }
    wins[won]++;
    const row = rows.get(o.applicationId);
    if (row.status !== 'goedgekeurd' || row.version !== o.reviewVersion + 1 || !row.decided_at)
      wrong.rows.push(`application ${o.applicationId}: ${row.status} v${row.version} (approved at v${o.reviewVersion})`);
    const audit = audits.get(o.applicationId);
    if (audit?.n !== 1) wrong.audit.push(`application ${o.applicationId}: ${audit?.n ?? 0} approve rows`);
    else if (!audit.actor.startsWith(reviewers[won].name))
      wrong.winner.push(`application ${o.applicationId}: ${reviewers[won].name} won, audit says ${audit.actor}`);
    const loser = answers[1 - won];
    if (loser.json?.code !== 'stale_version' && loser.json?.code !== 'conflict')
      wrong.answers.push(`application ${o.applicationId}: loser's 409 has code ${loser.json?.code}`);
    if (answers[won].json.version !== row.version || answers[won].json.status !== row.status)
      wrong.winner.push(`application ${o.applicationId}: the winner's answer is not what is stored`);
  }
  print(
    `answers per pair: ${[...statuses].map(([pair, n]) => `${pair}: ${n}`).join(', ')}; won by ${reviewers[0].name} ${wins[0]}, by ${reviewers[1].name} ${wins[1]}`,
  );
  check(
    wrong.answers.length === 0,
    `exactly one 200 and one 409 (stale version) for each of ${outcomes.length} applications`,
    wrong.answers.slice(0, 3).join('; '),
  );
  check(wrong.rows.length === 0, 'each application changed status once: goedgekeurd, version + 1', wrong.rows.slice(0, 3).join('; '));
  check(wrong.audit.length === 0, "each application has exactly one 'approve' audit row", wrong.audit.slice(0, 3).join('; '));
  check(wrong.winner.length === 0, "the audit row is the winner's and the winner's answer is what is stored", wrong.winner.slice(0, 3).join('; '));
});
