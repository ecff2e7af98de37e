import request from 'supertest';
import { brusselsLocal } from '@ps/applications';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { Factories, startFactories } from '../support/factories';
import { publishByTwo } from '../support/four-eyes';

const DAY = 24 * 3600 * 1000;
// pg_trigger.tgtype bits (PostgreSQL's trigger.h)
const ROW = 1;
const INSERT = 4;
const DELETE = 8;
const UPDATE = 16;
const TRUNCATE = 32;

/**
 * Issue 27: the overview figures are kept per data version (libs/overviews, `OverviewsService.cached`) and computed
 * again after a change, which takes seconds at national scale. The version grows only on a change that can change a
 * figure (migration 1764830000000): every column the overview views read is covered, read from the catalog, and the
 * daily work that cannot change a figure (draft saves, simulations, report drafts) leaves the version as it was.
 */
describe('the overview data version: every change that counts, and only those', () => {
  let f: Factories;
  let fx: AllocationFixture;
  let reviewer: string;
  let admin: string;
  let analyst: string;
  let officerA: string;
  const start = new Date();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const version = async () => Number((await f.dataSource.query(`SELECT COALESCE(SUM(weight), 0)::text AS v FROM overview_data_change`))[0].v);
  const reportUrl = `/api/v1/applications/${'{id}'}/reports/interim`;
  const interim = () => reportUrl.replace('{id}', String(fx.a.id));

  beforeAll(async () => {
    f = await startFactories({ http: true, now: start });
    fx = await threeApprovedAndOnePending(f, {
      interimReportDue: brusselsLocal(new Date(start.getTime() + 10 * DAY)).slice(0, 16),
      finalReportDue: brusselsLocal(new Date(start.getTime() + 40 * DAY)).slice(0, 16),
    });
    [reviewer, admin, analyst, officerA] = await Promise.all([
      f.actors.reviewer().then((x) => f.bearer(x)),
      f.actors.administrator().then((x) => f.bearer(x)),
      f.actors.another('vvsg-analyst', 'Vera VVSG').then((x) => f.bearer(x)),
      f.bearer(fx.a.applicant.officer),
    ]);
  });
  afterAll(() => f?.close());

  it('has a trigger for every table and column the overview views read, on insert, update, delete and truncate', async () => {
    const read: { table: string; column: string; attnum: number }[] = await f.dataSource.query(
      `SELECT DISTINCT t.relname AS table, a.attname AS column, a.attnum::integer AS attnum
         FROM pg_rewrite r
         JOIN pg_class v ON v.oid = r.ev_class
         JOIN pg_depend d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
         JOIN pg_class t ON t.oid = d.refobjid
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        WHERE v.relkind = 'v' AND v.relname LIKE 'overview%' AND t.relkind = 'r'
        ORDER BY 1, 2`,
    );
    const triggers: { table: string; type: number; columns: number[] | string }[] = await f.dataSource.query(
      `SELECT c.relname AS table, tg.tgtype::integer AS type, tg.tgattr::int2[] AS columns
         FROM pg_trigger tg
         JOIN pg_class c ON c.oid = tg.tgrelid
         JOIN pg_proc p ON p.oid = tg.tgfoid
        WHERE NOT tg.tgisinternal AND p.proname LIKE 'overview%'`,
    );
    const columnsOf = (value: number[] | string) => (Array.isArray(value) ? value : value.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number));
    // the views read 16 tables (more when a view is added); an empty answer must not pass
    expect(new Set(read.map((r) => r.table)).size).toBeGreaterThanOrEqual(16);
    const uncovered = read.flatMap(({ table, column, attnum }) => {
      const on = triggers.filter((t) => t.table === table && (t.type & ROW) === 0);
      const covers = (event: number) =>
        on.some((t) => (t.type & event) !== 0 && (event !== UPDATE || columnsOf(t.columns).length === 0 || columnsOf(t.columns).includes(attnum)));
      return [
        [INSERT, 'insert'],
        [UPDATE, 'update'],
        [DELETE, 'delete'],
        [TRUNCATE, 'truncate'],
      ]
        .filter(([event]) => !covers(event as number))
        .map(([, name]) => `${table}.${column} (${name})`);
    });
    expect(uncovered).toEqual([]);
  });

  it('stays the same through a new application and its draft, an allocation simulation and a KPI report draft', async () => {
    const applicant = await f.anApplicant(fx.call); // a new applicant and its members count: the filters offer them
    const officer = await f.bearer(applicant.officer);
    const unchangedBy = async (step: string, act: () => Promise<unknown>) => {
      const before = await version();
      await act();
      expect([step, await version()]).toEqual([step, before]);
    };
    let started: { id: number; version: number } = { id: 0, version: 0 };
    await unchangedBy('application started', async () => {
      started = (await request(f.http).post(`/api/v1/applicants/${applicant.id}/application`).set(as(officer)).send({}).expect(201)).body;
    });
    const lines = fx.call.kpiLines.map((line) => ({ kpiLineId: line.id, plannedReach: line.actionNumber === 5 ? 3 : 0, currentReach: 0 }));
    await unchangedBy('draft saved', () =>
      request(f.http)
        .put(`/api/v1/applications/${started.id}`)
        .set(as(officer))
        .send({ version: started.version, lines, priorities: [{ actionNumber: 5, priority: 1 }] })
        .expect(200),
    );
    await unchangedBy('allocation simulated', () =>
      request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201),
    );
    let report: { version: number } = { version: 0 };
    await unchangedBy('report opened', async () => {
      report = (await request(f.http).get(interim()).set(as(officerA)).expect(200)).body;
    });
    await unchangedBy('report draft saved', () =>
      request(f.http)
        .put(interim())
        .set(as(officerA))
        .send({ version: report.version, lines: [{ kpiLineId: fx.call.line(5).id, realisedQuantity: 4, approach: 'Taalcafé' }] })
        .expect(200),
    );
  });

  it('grows with a publication, an accepted report and a changed action title, and the figures follow each', async () => {
    const figures = async () => (await request(f.http).get(`/api/v1/overviews/actions`).set(as(analyst)).expect(200)).body.rows;
    const action5 = async () => (await figures()).find((r: { actionNumber: number }) => r.actionNumber === 5);
    expect((await action5()).allocatedCents).toBe(0);

    let before = await version();
    const run = (await request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201)).body;
    await publishByTwo(f.http, run.id, { confirmPendingReview: true, reason: 'D volgt later' }, reviewer, admin);
    expect(await version()).toBeGreaterThan(before);
    // A €8.928,57 + C €892,86 (the allocation of threeApprovedAndOnePending, overviews.e2e-spec.ts)
    expect((await action5()).allocatedCents).toBe(892_857 + 89_286);

    before = await version();
    const { version: reportVersion } = (await request(f.http).get(interim()).set(as(officerA)).expect(200)).body;
    await request(f.http)
      .put(interim())
      .set(as(officerA))
      .send({
        version: reportVersion,
        lines: [
          { kpiLineId: fx.call.line(5).id, realisedQuantity: 4, approach: 'Taalcafé', partners: 'Bibliotheek', motivation: 'Later gestart.' },
          { kpiLineId: fx.call.line(9).id, realisedQuantity: 4 },
        ],
      })
      .expect(200);
    const submitted = (await request(f.http).get(interim()).set(as(officerA)).expect(200)).body;
    await request(f.http).post(`${interim()}/submit`).set(as(officerA)).send({ version: submitted.version }).expect(200);
    expect(await version()).toBe(before);
    const toReview = (await request(f.http).get(interim()).set(as(reviewer)).expect(200)).body;
    await request(f.http).post(`${interim()}/review`).set(as(reviewer)).send({ version: toReview.version, decision: 'accept' }).expect(200);
    expect(await version()).toBeGreaterThan(before);
    const units = (await action5()).units as { realisedInterim: number }[];
    expect(units.reduce((sum, u) => sum + u.realisedInterim, 0)).toBe(4);

    // call_action had no trigger before migration 1764830000000: a changed title per call stayed unseen in the kept figures
    await f.dataSource.query(`UPDATE call_action SET title_nl = 'Nederlands oefenen (nieuwe titel)' WHERE call_id = $1 AND action_number = 5`, [fx.call.id]);
    expect((await action5()).actionTitleNl).toBe('Nederlands oefenen (nieuwe titel)');
  });
});
