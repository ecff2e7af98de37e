import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { brusselsLocal } from '@ps/applications';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { publishByTwo } from '../support/four-eyes';
import { Factories, startFactories } from '../support/factories';
import { bodyOf, expressName, Hints, OpenApiDocument, Operation, operationsOf, pathParamOf, queryOf } from '../support/openapi-arbitraries';
import { listRoutes } from '../support/routes';
import { TestApp } from '../support/test-app';

/**
 * Property-based fuzzing of the whole JSON API from its own OpenAPI document (fast-check). For every operation the
 * document lists, requests are generated from its schemas: bodies with the declared types, enums and nesting, mostly
 * plausible (examples, ids that exist) and with hostile values at every level (control characters, numbers beyond
 * int32 and doubles, wrong types, long strings, deep nesting, unknown fields, bodies over 1 MB), path parameters
 * (real ids, ids of another local government's records, non-numeric, beyond int32, encoded escapes) and query
 * parameters. Each request goes to the authorised caller (the ABB administrator; where that role is refused, the
 * reviewer, then the owning officer) and to an officer of another local government.
 *
 * Properties: no answer is a 5xx; every 4xx carries a Dutch message; a refused request changes no table.
 *
 * Bounded: a fixed seed (FUZZ_SEED to vary, printed on failure) and RUNS runs per operation (FUZZ_RUNS to change).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.DATABASE_URL ? 16 : 10));
/** The API had 74 operations when this was written; fewer means the document (or its reading) lost some. */
const AT_LEAST_OPERATIONS = 74;

/**
 * Tables and columns left out of the comparison, each because a refused request changes it on purpose:
 * - security_event: the security log records refused requests (401, 403, 404 of another local government) by design;
 * - api_token.last_used_at: a token's last use is written when it is presented, whatever the answer;
 * - http_session: a session's expiry rolls on every request of a browser (none here, but no rule forbids it);
 * - login_throttle: failed sign-ins are counted before the password is checked (none here, same reason).
 * Everything else, the idempotency answers included (stored only with a successful change), must not change.
 */
const LEFT_OUT_TABLES = ['security_event', 'http_session', 'login_throttle'];
const LEFT_OUT_COLUMNS: Record<string, string[]> = { api_token: ['last_used_at'] };

/** English that must never reach a user: class-validator defaults, Nest, Express, body-parser and multer messages. */
const ENGLISH =
  /\b(must be|must not|should not|should be|is not|Bad Request|Not Found|Forbidden|Unauthorized|Payload Too Large|Unprocessable|Cannot (GET|POST|PUT|PATCH|DELETE)|Unexpected (token|end)|Internal server|property|Unexpected field|File too large|Multipart|Malformed|request entity)\b/i;

/** One query that fingerprints every table (md5 of its rows as JSON, in a stable order). */
async function fingerprintQuery(dataSource: DataSource): Promise<string> {
  const tables: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const parts = tables
    .map((t) => t.table_name)
    .filter((name) => !LEFT_OUT_TABLES.includes(name))
    .map((name) => {
      const row = (LEFT_OUT_COLUMNS[name] ?? []).reduce((json, column) => `${json} - '${column}'`, 'to_jsonb(t)');
      return `SELECT '${name}' AS name, count(*)::int AS n, md5(coalesce(string_agg((${row})::text, '|' ORDER BY (${row})::text), '')) AS hash FROM "${name}" t`;
    });
  return parts.join(' UNION ALL ');
}

type Fingerprint = Record<string, string>;

describe('property-based fuzzing of every operation of the OpenAPI document', () => {
  let f: Factories;
  let fx: AllocationFixture;
  let document: OpenApiDocument;
  let operations: Operation[];
  let fingerprintSql: string;
  let tokens: { admin: string; reviewer: string; owner: string; other: string };
  /** Per path parameter: a real value for this path, and values of another local government's records. */
  let realParam: (operation: Operation, name: string) => fc.Arbitrary<string>;
  let otherParam: (operation: Operation, name: string) => string[];
  let hints: Hints;
  const start = new Date();
  const DAY = 24 * 3600 * 1000;

  const fingerprint = async (): Promise<Fingerprint> =>
    Object.fromEntries((await f.dataSource.query(fingerprintSql)).map((r: { name: string; n: number; hash: string }) => [r.name, `${r.n}:${r.hash}`]));

  beforeAll(async () => {
    f = await startFactories({ http: true, now: start });
    fx = await threeApprovedAndOnePending(f, {
      interimReportDue: brusselsLocal(new Date(start.getTime() + 10 * DAY)).slice(0, 16),
      finalReportDue: brusselsLocal(new Date(start.getTime() + 40 * DAY)).slice(0, 16),
    });
    const [admin, reviewer] = [await f.actors.administrator(), await f.actors.reviewer()];
    tokens = {
      admin: await f.bearer(admin, 90),
      reviewer: await f.bearer(reviewer, 90),
      owner: await f.bearer(fx.a.applicant.officer, 90),
      other: await f.bearer(fx.b.applicant.officer, 90),
    };
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    // A second token of the administrator and an analyst: the records DELETE /tokens/{id} and PATCH /users/{id} may hit.
    await f.bearer(admin, 90);
    const analyst = await f.actors.another('vvsg-analyst', 'Vera Fuzz');
    const [spareToken] = await f.dataSource.query(`SELECT id FROM api_token WHERE user_id = $1 ORDER BY id DESC LIMIT 1`, [admin.userId]);
    const partner = (
      await request(f.http)
        .post('/api/v1/partners')
        .set(as(tokens.admin))
        .send({ name: 'Buurtwerk Fuzz', offer: 'free', actionNumbers: [5, 9] })
        .expect(201)
    ).body;
    const published = (await request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(tokens.reviewer)).send({}).expect(201)).body;
    await publishByTwo(f.http, published.id, { confirmPendingReview: true, reason: 'Fuzz: verdeling vastgelegd.' }, tokens.reviewer, tokens.admin);
    const draftRun = (await request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(tokens.reviewer)).send({ policy: 'pro-rata' })).body;

    document = (await request(f.http).get('/api/docs-json').expect(200)).body;
    operations = operationsOf(document);
    fingerprintSql = await fingerprintQuery(f.dataSource);

    const lineIds = fx.call.kpiLines.map((l) => l.id);
    const ids = (...values: (number | string | undefined)[]) => fc.constantFrom(...values.filter((v) => v !== undefined).map(String));
    const byPrefix = (operation: Operation, table: Record<string, fc.Arbitrary<string>>, fallback: fc.Arbitrary<string>) =>
      Object.entries(table).find(([prefix]) => operation.path.startsWith(prefix))?.[1] ?? fallback;
    realParam = (operation, name) => {
      switch (name) {
        case 'id':
          return byPrefix(
            operation,
            {
              '/api/v1/applications/': ids(fx.a.id, fx.d.id, fx.c.id),
              '/api/v1/applicants/': ids(fx.a.applicant.id, fx.d.applicant.id),
              '/api/v1/allocation-runs/': ids(published.id, draftRun?.id),
              '/api/v1/users/': ids(analyst.userId!),
              '/api/v1/tokens/': ids(spareToken.id),
            },
            fc.constant('1'),
          );
        case 'year':
          return ids(fx.call.year, 1, 2, 3);
        case 'kpiLineId':
          return ids(...lineIds);
        case 'localGovernmentId':
          return ids(fx.a.applicant.lead.id, fx.d.applicant.lead.id);
        case 'partnerId':
          return ids(partner.id);
        case 'actionNumber':
          return ids(5, 9);
        case 'kind':
          return ids('interim', 'final');
        case 'evidenceId':
          return ids(1);
        case 'number':
          return ids(1, 2);
        case 'entityType':
          return ids('application', 'applicant', 'call', 'user');
        case 'entityId':
          return ids(fx.a.id, fx.a.applicant.id, fx.call.id);
        case 'nisCode':
          return ids(fx.a.applicant.lead.nisCode!, '44021');
        default:
          throw new Error(`No real value for path parameter ${name} of ${expressName(operation)}: add one here.`);
      }
    };
    otherParam = (operation, name) =>
      name !== 'id'
        ? []
        : operation.path.startsWith('/api/v1/applications/')
          ? [String(fx.b.id)]
          : operation.path.startsWith('/api/v1/applicants/')
            ? [String(fx.b.applicant.id)]
            : [];
    hints = {
      byName: {
        kpiLineId: ids(...lineIds).map(Number),
        localGovernmentId: ids(fx.a.applicant.lead.id, fx.b.applicant.lead.id).map(Number),
        leadLocalGovernmentId: ids(fx.a.applicant.lead.id, fx.b.applicant.lead.id).map(Number),
        partnerId: fc.constant(partner.id),
        actionNumber: fc.constantFrom(5, 9),
        year: fc.constantFrom(1, 2, 3, fx.call.year),
        version: fc.integer({ min: 1, max: 8 }),
      },
    };
  });
  afterAll(() => f?.close());

  it('covers every API route: the document lists all of them, and every operation is fuzzed', () => {
    const served = listRoutes({ app: f.service.app } as TestApp).filter((r) => /^\w+ \/(api\/v1\/|health$|ready$)/.test(r));
    expect(operations.map(expressName).sort()).toEqual(served);
    expect(operations.length).toBeGreaterThanOrEqual(AT_LEAST_OPERATIONS);
    // Routes added since the first fuzzer (allocation, payments, settlement, KPI reports, overviews) are among them.
    for (const route of [
      'POST /api/v1/calls/:year/allocation-runs',
      'GET /api/v1/allocation-runs/:id/payments.csv',
      'PUT /api/v1/applications/:id/settlement/lines/:kpiLineId',
      'PUT /api/v1/applications/:id/reports/:kind',
      'POST /api/v1/applications/:id/reports/:kind/lines/:kpiLineId/evidence',
      'GET /api/v1/overviews/actions.xlsx',
    ])
      expect(operations.map(expressName)).toContain(route);
  });

  it('answers every generated request without a 5xx, refuses in Dutch, and a refusal changes nothing', async () => {
    const failures: string[] = [];
    let baseline = await fingerprint();
    const covered = new Set<string>();
    const refused = new Map<string, number>();
    const statuses = new Map<string, string>();
    const startedAt = Date.now();

    for (const [index, operation] of operations.entries()) {
      const name = expressName(operation);
      const params = fc.record(
        Object.fromEntries(operation.pathParams.map((p) => [p.name, pathParamOf(realParam(operation, p.name), otherParam(operation, p.name))])),
      );
      const components = document.components?.schemas ?? {};
      const body = operation.jsonBody
        ? bodyOf(operation.jsonBody, components, hints).map((b) => ({ json: b as unknown }))
        : operation.method === 'get'
          ? fc.constant(undefined)
          : // No JSON body declared (multipart uploads, actions without input): JSON anyway, mostly empty or stray.
            fc.constantFrom<{ json: unknown } | undefined>(undefined, { json: {} }, { json: { version: 1, onbekend: '<b>' } }, { json: [] });
      const query = queryOf(operation.queryParams, components, hints);

      const send = (path: string, token: string, payload: { json: unknown } | undefined) => {
        const req = request(f.http)[operation.method](path).set('Authorization', `Bearer ${token}`);
        return payload ? req.set('Content-Type', 'application/json').send(JSON.stringify(payload.json)) : req;
      };

      const result = await fc.check(
        fc.asyncProperty(params, body, query, async (values, payload, search) => {
          const path = operation.path.replace(/\{(\w+)\}/g, (_, key: string) => values[key]) + search;
          const shown = `${name} as %s: ${operation.method.toUpperCase()} ${path.slice(0, 200)} ${payload ? JSON.stringify(payload.json).slice(0, 300) : ''}`;
          const problems: string[] = [];
          const check = async (who: string, res: request.Response) => {
            const where = `${shown.replace('%s', who)} → ${res.status}`;
            if (res.status >= 500) problems.push(`${where}: ${JSON.stringify(res.body).slice(0, 300)}`);
            statuses.set(name, `${statuses.get(name) ?? ''} ${res.status}`);
            if (res.status >= 400) {
              refused.set(name, (refused.get(name) ?? 0) + 1);
              const text = JSON.stringify(res.body ?? res.text);
              if (typeof res.body?.message !== 'string' || res.body.message.length === 0) problems.push(`${where}: no message ${text.slice(0, 200)}`);
              if (ENGLISH.test(text)) problems.push(`${where}: English ${text.slice(0, 300)}`);
            }
            const now = await fingerprint();
            if (res.status >= 400) {
              const changed = Object.keys(now).filter((table) => now[table] !== baseline[table]);
              if (changed.length > 0) problems.push(`${where}: refused, yet changed ${changed.join(', ')}`);
            }
            baseline = now;
          };
          // Another local government's officer first: it must be refused (or act on its own records only).
          await check('officer of another local government', await send(path, tokens.other, payload));
          let res = await send(path, tokens.admin, payload);
          await check('ABB administrator', res);
          for (const [who, token] of [
            ['ABB reviewer', tokens.reviewer],
            ['owning officer', tokens.owner],
          ] as const) {
            if (res.status !== 403) break;
            res = await send(path, token, payload);
            await check(who, res);
          }
          covered.add(name);
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        { seed: SEED + index, numRuns: operation.method === 'get' ? Math.ceil(RUNS / 2) : RUNS, endOnFailure: true },
      );
      if (result.failed) {
        const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        failures.push(`${name} (FUZZ_SEED=${SEED}, seed ${SEED + index}):\n${error}\n${fc.defaultReportMessage(result)}`);
      }
    }

    // The bound, for the record (docs/reliability.md).
    process.stdout.write(`fuzz: ${operations.length} operations, seed ${SEED}, ${RUNS} runs each (GET ${Math.ceil(RUNS / 2)}), ${Date.now() - startedAt} ms\n`);
    if (process.env.FUZZ_VERBOSE) for (const [name, seen] of statuses) process.stdout.write(`${name}:${seen}\n`);
    expect(failures).toEqual([]);
    expect([...covered].sort()).toEqual(operations.map(expressName).sort());
    // The fuzzer reached refusals on every mutating route: a generator that only ever succeeded would prove nothing.
    const neverRefused = operations.filter((o) => o.method !== 'get' && !refused.get(expressName(o))).map(expressName);
    expect(neverRefused).toEqual([]);
  }, 600_000);
});
