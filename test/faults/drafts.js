// Saves of the officers' own drafts under a fault, and what must hold afterwards: every acknowledged save is
// stored, every stored save has exactly its audit row, and nothing is half-written. The officers and drafts
// come from the rush benchmark's set-up (test/bench/rush-http.js, prepareDrafts).
const { call, pool, sleep } = require('../bench/rush-http');
const { query } = require('./common');

/**
 * One save of the officer's own draft with the version it knows, as the form sends it (the rush benchmark's
 * shape): the first line's planned reach flips between 1 and 2, so every stored save changes it; the other
 * lines stay at 1. Logs { sentAt, answeredAt, status, retryAfter, code, text }; on a 2xx the officer keeps
 * the new version and the version is added to `acked`.
 */
async function save(officer, { log, acked, timeoutMs }) {
  const reach = officer.reach === 1 ? 2 : 1;
  const lines = officer.lines.map((l, i) => ({ kpiLineId: l.id, plannedReach: i === 0 ? reach : 1, currentReach: 0 }));
  const body = { version: officer.version, lines, priorities: officer.lines.map((l, i) => ({ actionNumber: l.actionNumber, priority: i + 1 })) };
  const sentAt = Date.now();
  const res = await call('PUT', `/api/v1/applications/${officer.applicationId}`, { headers: officer.auth, body, timeoutMs });
  const entry = {
    officer: officer.applicationId,
    sentAt,
    answeredAt: Date.now(),
    status: res.status,
    retryAfter: res.headers?.['retry-after'],
    code: res.json?.code,
    text: typeof res.status === 'number' && (res.status < 200 || res.status >= 300) ? res.text.slice(0, 200) : res.error?.message,
  };
  log.push(entry);
  if (typeof res.status === 'number' && res.status >= 200 && res.status < 300) {
    Object.assign(officer, { version: res.json.version, reach });
    acked.push({ applicationId: officer.applicationId, version: res.json.version, reach });
  }
  return entry;
}

/** After a refused or unanswered save: read the draft again, as the officer's page would (nothing if that fails too). */
async function refresh(officer, timeoutMs) {
  const res = await call('GET', `/api/v1/applications/${officer.applicationId}`, { headers: officer.auth, timeoutMs });
  if (res.status === 200) {
    const first = res.json.lines.find((l) => l.id === officer.lines[0].id);
    Object.assign(officer, { version: res.json.version, reach: first?.plannedReach ?? officer.reach });
  }
}

/** Each officer saves again as soon as it has an answer until `until()` says stop; after a refusal it pauses `pauseMs` and reads its draft again. */
function saveLoop(officers, { until, log, acked, timeoutMs, pauseMs = 250 }) {
  return Promise.all(
    officers.map(async (officer) => {
      while (!until()) {
        const entry = await save(officer, { log, acked, timeoutMs });
        if (typeof entry.status === 'number' && entry.status >= 200 && entry.status < 300) continue;
        await sleep(pauseMs);
        if (!until()) await refresh(officer, timeoutMs);
      }
    }),
  );
}

/**
 * Per draft: its version, its stored lines (planned reach per KPI line) and its 'draft-saved' audit rows in
 * order (the first line's planned reach before and after each). `read` is by SQL on a server, or through the
 * API (the draft and its history, as its officer) on the embedded database, whose files only the platform opens.
 */
function stateReader(url) {
  if (url) {
    return async (officers) => {
      const ids = officers.map((o) => o.applicationId);
      const versions = await query(url, `SELECT id, version FROM application WHERE id = ANY($1)`, [ids]);
      const lines = await query(url, `SELECT application_id, kpi_line_id, planned_reach FROM application_line WHERE application_id = ANY($1)`, [ids]);
      const audits = await query(
        url,
        `SELECT entity_id, before, after FROM audit_event WHERE entity_type = 'application' AND action = 'draft-saved' AND entity_id = ANY($1) ORDER BY id`,
        [ids.map(String)],
      );
      const state = new Map(versions.map((r) => [r.id, { version: r.version, lines: new Map(), audits: [] }]));
      for (const l of lines) state.get(l.application_id).lines.set(l.kpi_line_id, l.planned_reach);
      for (const a of audits) state.get(Number(a.entity_id)).audits.push({ before: a.before, after: a.after });
      return state;
    };
  }
  return async (officers) => {
    const rows = await pool(officers, 4, async (o) => {
      const draft = await call('GET', `/api/v1/applications/${o.applicationId}`, { headers: o.auth });
      const history = await call('GET', `/api/v1/history/application/${o.applicationId}`, { headers: o.auth });
      if (draft.status !== 200 || history.status !== 200) throw new Error(`cannot read draft ${o.applicationId}: ${draft.status}/${history.status}`);
      const audits = history.json
        .filter((e) => e.action === 'draft-saved')
        .sort((a, b) => a.id - b.id)
        .map((e) => ({ before: e.before, after: e.after }));
      return [o.applicationId, { version: draft.json.version, lines: new Map(draft.json.lines.map((l) => [l.id, l.plannedReach])), audits }];
    });
    return new Map(rows);
  };
}

const plannedIn = (snapshot, kpiLineId) => snapshot?.lines?.find((l) => l.kpiLine === kpiLineId)?.planned ?? 0;

/**
 * Compares the state after the fault with the state before it and the acknowledged saves:
 *   lost        acknowledged versions that are not stored (the version is lower than one acknowledged);
 *   audit       drafts whose version increase differs from their new 'draft-saved' audit rows;
 *   chain       new audit rows that do not follow one another (each row's "before" is the previous row's
 *               "after", the first line's planned reach flips) or do not end in the stored lines;
 *   halfWritten drafts whose stored lines are not what their version says: the first line's planned reach
 *               flipped once per stored save, the form's other lines at 1, every other line as it was
 *               (so the drafts need one save before `before` is read: warmUp).
 */
function compare(officers, before, after, acked) {
  const problems = { lost: [], audit: [], chain: [], halfWritten: [] };
  let stored = 0;
  const highest = new Map();
  for (const a of acked) highest.set(a.applicationId, Math.max(highest.get(a.applicationId) ?? 0, a.version));
  for (const o of officers) {
    const was = before.get(o.applicationId);
    const now = after.get(o.applicationId);
    const delta = now.version - was.version;
    stored += delta;
    if ((highest.get(o.applicationId) ?? 0) > now.version)
      problems.lost.push(`draft ${o.applicationId}: acknowledged v${highest.get(o.applicationId)}, stored v${now.version}`);
    const added = now.audits.slice(was.audits.length);
    if (added.length !== delta) problems.audit.push(`draft ${o.applicationId}: ${delta} new versions, ${added.length} new audit rows`);
    const first = o.lines[0].id;
    let reach = plannedIn(was.audits.at(-1)?.after, first) || was.lines.get(first);
    for (const [i, row] of added.entries()) {
      const from = plannedIn(row.before, first);
      const to = plannedIn(row.after, first);
      if (from !== reach || to !== (reach === 1 ? 2 : 1)) {
        problems.chain.push(`draft ${o.applicationId}: audit row ${i + 1} of ${added.length} goes ${from} → ${to} after ${reach}`);
        break;
      }
      reach = to;
    }
    const expected = delta % 2 === 0 ? was.lines.get(first) : was.lines.get(first) === 1 ? 2 : 1;
    if (now.lines.get(first) !== expected || reach !== expected)
      problems.halfWritten.push(`draft ${o.applicationId}: v${was.version} → v${now.version}, first line ${now.lines.get(first)}, expected ${expected}`);
    for (const [kpiLineId, planned] of now.lines) {
      const wanted = kpiLineId === first ? expected : o.lines.some((l) => l.id === kpiLineId) ? 1 : was.lines.get(kpiLineId);
      if (planned !== wanted) {
        problems.halfWritten.push(`draft ${o.applicationId}: line ${kpiLineId} planned ${planned}, expected ${wanted}`);
        break;
      }
    }
  }
  const unanswered = stored - acked.filter((a) => officers.some((o) => o.applicationId === a.applicationId)).length;
  return { stored, unanswered, problems };
}

/** One acknowledged save of every draft, so that every line of its form is planned (see compare). */
async function warmUp(officers, timeoutMs = 30_000) {
  await pool(officers, 4, async (officer) => {
    const entry = await save(officer, { log: [], acked: [], timeoutMs });
    if (entry.status !== 200) throw new Error(`warm-up save of draft ${officer.applicationId}: ${entry.status} ${entry.text ?? ''}`);
  });
}

/** Reads until no version changes for a second (a save whose answer was lost may still be committing). */
async function settled(read, officers) {
  let state = await read(officers);
  for (let i = 0; i < 30; i++) {
    await sleep(1000);
    const again = await read(officers);
    const same = [...again].every(([id, s]) => state.get(id).version === s.version);
    state = again;
    if (same) break;
  }
  return state;
}

module.exports = { save, refresh, saveLoop, stateReader, compare, settled, warmUp };
