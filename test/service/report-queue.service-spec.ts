import { brusselsLocal } from '@ps/applications';
import { ApplicantReadModel } from '@ps/applicants';
import { OrganisationReadModel } from '@ps/organisations';
import { ReportKind, ReportQueueFilter, ReportQueueItem, ReportsService } from '@ps/reporting';
import { ApprovedFixture, Factories, startFactories } from '../support/factories';

const DAY = 24 * 3600 * 1000;

/**
 * Issue 28: ABB's review queue comes from a read model (a fixed number of queries) instead of a full report view per
 * report. Its items must equal what the per-report views gave: reports of two project years (the first with a 30 %
 * threshold, the second with 25 %), above and below the threshold, submitted, accepted and returned, one late.
 */
describe('the report review queue (read model) equals the per-report view computation', () => {
  let f: Factories;
  let reports: ReportsService;
  const start = new Date();

  /** What the queue answered before issue 28: the submitted reports in the queue's order, each from its full report view. */
  const perReportViews = async (): Promise<ReportQueueItem[]> => {
    const manager = f.dataSource.manager;
    const rows: { application_id: number; kind: ReportKind }[] = await f.dataSource.query(
      `SELECT application_id, kind FROM kpi_report WHERE status = 'submitted' ORDER BY submitted_at NULLS LAST, id`,
    );
    const views = [];
    for (const row of rows) views.push(await reports.view(row.application_id, row.kind));
    const facts = await f.get(ApplicantReadModel).facts(manager, [...new Set(views.map((v) => v.applicantId))]);
    const leads = new Map(facts.map((a) => [a.id, a.leadLocalGovernmentId]));
    const provinces = await f.get(OrganisationReadModel).provinces(manager, [...new Set(leads.values())]);
    return views.map((report) => ({
      applicationId: report.applicationId,
      applicantNameNl: report.applicantNameNl,
      callYear: report.callYear,
      kind: report.kind,
      submittedAt: report.submittedAt,
      late: report.late,
      province: provinces.get(leads.get(report.applicantId)!) ?? null,
      actionNumbers: [...new Set(report.lines.map((line) => line.actionNumber))],
      belowThreshold: report.lines.filter((line) => line.belowThreshold).length,
      motivationPending: report.lines.filter((line) => line.motivationRequired && !line.motivationAccepted).length,
    }));
  };
  /** The filter of the queue before issue 28, applied to the per-report items. */
  const filtered = (items: ReportQueueItem[], filter: ReportQueueFilter) =>
    items.filter(
      (item) =>
        (filter.kind === undefined || item.kind === filter.kind) &&
        (filter.year === undefined || item.callYear === filter.year) &&
        (filter.late !== true || item.late) &&
        (filter.belowThreshold !== true || item.belowThreshold > 0) &&
        (filter.motivationPending !== true || item.motivationPending > 0) &&
        (filter.action === undefined || item.actionNumbers.includes(filter.action)) &&
        (filter.province === undefined || item.province === filter.province),
    );

  /** Saves the realised quantities (by action, in the view's line order; a motivation on every line unless `motivation` is false) and submits. */
  const report = async (app: ApprovedFixture, kind: ReportKind, realisedByAction: Record<number, number>, motivation = true) => {
    let view = await reports.view(app.id, kind);
    view = await reports.saveDraft(app.applicant.officer, app.id, kind, {
      version: view.version,
      lines: view.lines.map((line) => ({
        kpiLineId: line.kpiLineId,
        realisedQuantity: realisedByAction[line.actionNumber] ?? line.confirmedQuantity,
        motivation: motivation ? 'Zo ging het.' : '',
      })),
    });
    return reports.submit(app.applicant.officer, app.id, kind, view.version);
  };

  beforeAll(async () => {
    f = await startFactories({ now: start });
    reports = f.get(ReportsService);
    const due = (days: number) => brusselsLocal(new Date(start.getTime() + days * DAY)).slice(0, 16);
    const year1 = await f.aCall({ year: 1, settings: { interimReportDue: due(10), finalReportDue: due(40), interimThresholdPercent: 30 } });
    const year2 = await f.aCall({ year: 2, settings: { interimReportDue: due(12), finalReportDue: due(45) } });
    const reviewer = await f.actors.reviewer();

    const a1 = await f.anApprovedApplication(year1, {
      lines: [
        { action: 5, planned: 10 },
        { action: 9, planned: 4 },
      ],
    });
    const b1 = await f.anApprovedApplication(year1, { lines: [{ action: 9, planned: 8 }] });
    const a2 = await f.anApprovedApplication(year2, {
      lines: [
        { action: 5, planned: 20 },
        { action: 9, planned: 9 },
        { action: 13, planned: 3, confirmed: 0 },
      ],
    });
    const b2 = await f.anApprovedApplication(year2, { applicant: { kind: 'cooperation', size: 2 }, lines: [{ action: 5, planned: 4 }] });
    const c2 = await f.anApprovedApplication(year2, {
      lines: [
        { action: 9, planned: 6 },
        { action: 5, planned: 2 },
      ],
    });

    // Year 1 (30 %): 2 of 10 is below, 3 of 10 reaches it; 3 of 8 reaches it (300 ≥ 240).
    await report(a1, 'interim', { 5: 2, 9: 4 });
    await report(a1, 'final', { 5: 10, 9: 4 }, false);
    const returned = await report(b1, 'interim', { 9: 3 });
    await reports.review(reviewer, b1.id, 'interim', { version: returned.version, decision: 'return', comment: 'Graag aanvullen.' });
    // Year 2 (25 %): 4 of 20 and 2 of 9 are below (400 < 500, 200 < 225), 5 of 20 reaches it exactly.
    await report(a2, 'interim', { 5: 4, 9: 2 });
    f.clock.set(new Date(start.getTime() + DAY));
    await report(a2, 'final', { 5: 5, 9: 9 });
    const accepted = await report(b2, 'interim', { 5: 1 });
    await reports.review(reviewer, b2.id, 'interim', {
      version: accepted.version,
      decision: 'accept',
      lines: accepted.lines.map((line) => ({ kpiLineId: line.kpiLineId, motivationAccepted: true })),
    });
    // B2's final report: everything realised, no motivation.
    await report(b2, 'final', { 5: 4 }, false);
    // C2's interim report after its deadline: reopened by ABB, then submitted late.
    f.clock.set(new Date(start.getTime() + 13 * DAY));
    const closed = await reports.view(c2.id, 'interim');
    await reports.reopen(reviewer, c2.id, 'interim', closed.version, new Date(start.getTime() + 15 * DAY), 'Overmacht.');
    await report(c2, 'interim', { 9: 1, 5: 0 });
  });
  afterAll(() => f?.close());

  it('gives the same items in the same order, and the fixture covers what it should', async () => {
    const expected = await perReportViews();
    expect(await reports.queue({})).toEqual(expected);

    expect(expected.map((item) => item.callYear).sort()).toEqual([1, 1, 2, 2, 2, 2]);
    expect(expected.some((item) => item.belowThreshold > 0) && expected.some((item) => item.belowThreshold === 0)).toBe(true);
    expect(expected.some((item) => item.motivationPending > 0) && expected.some((item) => item.motivationPending === 0)).toBe(true);
    expect(expected.filter((item) => item.late)).toHaveLength(1);
    const statuses: { status: string }[] = await f.dataSource.query(`SELECT DISTINCT status FROM kpi_report ORDER BY status`);
    expect(statuses.map((s) => s.status)).toEqual(['accepted', 'returned', 'submitted']);
  });

  it('filters exactly as before', async () => {
    const all = await perReportViews();
    const provinces = [...new Set(all.map((item) => item.province))].filter((p): p is string => p !== null);
    const filters: ReportQueueFilter[] = [
      { kind: 'interim' },
      { kind: 'final' },
      { year: 1 },
      { year: 2, kind: 'interim' },
      { year: 3 },
      { late: true },
      { late: false },
      { belowThreshold: true },
      { motivationPending: true },
      { action: 5 },
      { action: 9, belowThreshold: true },
      { action: 13 },
      ...provinces.map((province) => ({ province })),
      { province: 'nergens' },
    ];
    for (const filter of filters) {
      expect({ filter, items: await reports.queue(filter) }).toEqual({ filter, items: filtered(all, filter) });
    }
  });
});
