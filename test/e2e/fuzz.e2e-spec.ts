import request from 'supertest';
import { bearerFor } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

/**
 * Sends, to every JSON route of the OpenAPI document, bodies built from the route's schema with
 * hostile values; no answer may be a 5xx, and a refused request may change nothing. Sessions,
 * tokens (last use), throttling and the security log are left out of the comparison on purpose.
 */
const TABLES = [
  'app_user',
  'applicant',
  'applicant_document',
  'applicant_member',
  'applicant_partner',
  'application',
  'application_action',
  'application_line',
  'audit_event',
  'call',
  'call_action',
  'kpi_line',
  'local_government',
  'mail_outbox',
  'origin_statistic',
  'partner',
  'partner_action',
  'password_reset',
];

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; allOf?: Schema[] };
type Variant = 'plausible' | 'control' | 'int32' | 'huge' | 'negative' | 'types' | 'long' | 'deep';
const VARIANTS: Variant[] = ['control', 'plausible', 'int32', 'huge', 'negative', 'types', 'long', 'deep'];
const TWO_MB = 'x'.repeat(2 * 1024 * 1024);

interface Operation {
  method: 'post' | 'put' | 'patch' | 'delete';
  path: string;
  schema: Schema;
}

/** The JSON operations, their path parameters filled in with records that exist. */
function jsonOperations(
  document: { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema: Schema }> } }>> },
  params: Record<string, string>,
): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) => {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      const id = path.startsWith('/api/v1/applications/') ? params.applicationId : path.startsWith('/api/v1/applicants/') ? params.applicantId : '1';
      const filled = path
        .replace('{year}', params.year)
        .replace('{kpiLineId}', params.kpiLineId)
        .replace('{id}', id)
        .replace(/\{\w+\}/g, '1');
      return schema ? [{ method: method as Operation['method'], path: filled, schema }] : [];
    }),
  );
}

/** Builds a body for one variant: every leaf of the schema gets that variant's value. */
function bodyFor(schema: Schema, variant: Variant, components: Record<string, Schema>): unknown {
  let longUsed = false;
  const build = (node: Schema, depth: number): unknown => {
    if (node.$ref) return build(components[node.$ref.split('/').pop()!], depth);
    if (node.allOf) return Object.assign({}, ...node.allOf.map((part) => build(part, depth) as object));
    if (node.enum) return variant === 'types' ? 12 : variant === 'control' ? `${String(node.enum[0])}\u0000` : node.enum[0];
    switch (node.type) {
      case 'object':
        if (variant === 'types' && depth > 0) return 42;
        return Object.fromEntries(Object.entries(node.properties ?? {}).map(([key, child]) => [key, depth > 6 ? null : build(child, depth + 1)]));
      case 'array':
        return variant === 'types' ? 'lijst' : node.items ? [build(node.items, depth + 1)] : [];
      case 'integer':
      case 'number':
        return { plausible: 1, control: 1, int32: 2_147_483_648, huge: 1e308, negative: -2_147_483_649, types: 'veel', long: 1, deep: 1 }[variant];
      case 'boolean':
        return variant === 'types' ? 'misschien' : true;
      case 'string':
        if (variant === 'long' && !longUsed) return ((longUsed = true), TWO_MB);
        return {
          plausible: 'Proef',
          control: 'Proef\u0000\u0007',
          int32: '2147483648',
          huge: '1e308',
          negative: '-1',
          types: { tekst: true },
          long: 'Proef',
          deep: 'Proef',
        }[variant];
      default:
        return variant === 'types' ? [] : variant === 'control' ? '\u0000' : 1;
    }
  };
  const body = build(schema, 0);
  if (variant !== 'deep') return body;
  let nested: unknown = 'bodem';
  for (let i = 0; i < 100; i++) nested = [nested];
  return { ...(body as object), diep: nested };
}

describe('fuzzing every JSON route with hostile bodies', () => {
  let t: TestApp;
  let callers: string[];
  let operations: Operation[];
  let components: Record<string, Schema>;

  beforeAll(async () => {
    t = await startTestApp();
    // The administrator first; where that role may not act, the reviewer, then Gent's officer.
    callers = [await bearerFor(t, 'beheerder@abb.demo', 365), await bearerFor(t, 'beoordelaar@abb.demo', 365), await bearerFor(t, 'medewerker@gent.demo', 365)];
    const [applicant] = await t.dataSource.query(
      `SELECT a.id, a.call_id, c.year_number FROM applicant a JOIN call c ON c.id = a.call_id WHERE a.name_nl = 'Stad Gent'`,
    );
    const [application] = await t.dataSource.query(
      `INSERT INTO application (applicant_id, call_id, catalogue_version, status) VALUES ($1, $2, 1, 'in-behandeling') RETURNING id`,
      [applicant.id, applicant.call_id],
    );
    const [line] = await t.dataSource.query(`SELECT id FROM kpi_line WHERE call_id = $1 ORDER BY id LIMIT 1`, [applicant.call_id]);
    await t.dataSource.query(`INSERT INTO application_line (application_id, kpi_line_id, planned_reach) VALUES ($1, $2, 5)`, [application.id, line.id]);
    const params = {
      applicantId: String(applicant.id),
      applicationId: String(application.id),
      kpiLineId: String(line.id),
      year: String(applicant.year_number),
    };
    const document = (await request(t.http).get('/api/docs-json').expect(200)).body;
    operations = jsonOperations(document, params);
    components = document.components?.schemas ?? {};
  });
  afterAll(() => t.close());

  it('finds the JSON routes in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
    expect(operations.map((o) => o.method.toUpperCase())).toContain('PUT');
  });

  it('answers every hostile body without a 5xx, in Dutch, and a refusal changes nothing', async () => {
    const failures: string[] = [];
    let before = await snapshot(t.dataSource, TABLES);
    for (const operation of operations) {
      for (const variant of VARIANTS) {
        const body = JSON.stringify(bodyFor(operation.schema, variant, components));
        const send = (token: string) =>
          request(t.http)[operation.method](operation.path).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(body);
        let res = await send(callers[0]);
        for (const caller of callers.slice(1)) if (res.status === 403) res = await send(caller);
        const where = `${operation.method.toUpperCase()} ${operation.path} [${variant}] → ${res.status}`;
        if (res.status >= 500) failures.push(where);
        if (res.status >= 400 && /must be|should not|Bad Request|Payload Too Large|Unprocessable|Cannot [A-Z]+ /.test(JSON.stringify(res.body)))
          failures.push(`${where}: English message ${JSON.stringify(res.body).slice(0, 200)}`);
        const after = await snapshot(t.dataSource, TABLES);
        if (res.status >= 400 && JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${where}: refused but changed the database`);
        before = after;
      }
    }
    expect(failures).toEqual([]);
  });
});
