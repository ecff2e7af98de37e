import request from 'supertest';
import { binary } from '../support/binary';
import { brusselsLocal } from '@ps/applications';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { Factories, startFactories } from '../support/factories';
import { approveAs, publishByTwo } from '../support/four-eyes';
import { csrfFrom, signIn } from '../support/sessions';
import { ONE_PAGE_PDF } from '../support/pdf';
import { snapshot } from '../support/test-app';

const TABLES = ['kpi_report', 'kpi_report_line', 'kpi_report_evidence', 'application_line', 'settlement_line', 'settlement', 'payment', 'audit_event'];
const DAY = 24 * 3600 * 1000;

/**
 * Issue 11: interim and final KPI reports. The call of `threeApprovedAndOnePending`, with the interim report due in
 * 10 days and the final report in 40. A reports on action 5 (confirmed 10) and action 9 (confirmed 4).
 */
describe('KPI reports: draft, submit, deadline, reopen, review and what acceptance sets in motion', () => {
  let f: Factories;
  let fx: AllocationFixture;
  let officerA: string;
  let officerB: string;
  let reviewer: string;
  let admin: string;
  const start = new Date();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const url = (kind: string, id = fx.a.id) => `/api/v1/applications/${id}/reports/${kind}`;
  const get = async (kind: string, token = officerA) => (await request(f.http).get(url(kind)).set(as(token)).expect(200)).body;
  const save = (kind: string, version: number, lines: object[], status: number, token = officerA, id = fx.a.id) =>
    request(f.http).put(url(kind, id)).set(as(token)).send({ version, lines }).expect(status);
  const submit = async (kind: string, status: number) =>
    request(f.http)
      .post(`${url(kind)}/submit`)
      .set(as(officerA))
      .send({ version: (await get(kind)).version })
      .expect(status);
  const review = async (kind: string, body: object, status: number) =>
    request(f.http)
      .post(`${url(kind)}/review`)
      .set(as(reviewer))
      .send({ version: (await get(kind, reviewer)).version, ...body })
      .expect(status);
  const unchangedBy = async (attempt: () => Promise<unknown>) => {
    const before = await snapshot(f.dataSource, TABLES);
    await attempt();
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  };
  const line5 = () => fx.call.line(5).id;
  const line9 = () => fx.call.line(9).id;

  beforeAll(async () => {
    f = await startFactories({ http: true, now: start });
    fx = await threeApprovedAndOnePending(f, {
      interimReportDue: brusselsLocal(new Date(start.getTime() + 10 * DAY)).slice(0, 16),
      finalReportDue: brusselsLocal(new Date(start.getTime() + 40 * DAY)).slice(0, 16),
    });
    // Tokens outlive the clock's walk past the final report's deadline.
    [officerA, officerB, reviewer, admin] = await Promise.all([
      f.bearer(fx.a.applicant.officer, 90),
      f.bearer(fx.b.applicant.officer, 90),
      f.actors.reviewer().then((x) => f.bearer(x, 90)),
      f.actors.administrator().then((x) => f.bearer(x, 90)),
    ]);
  });
  afterAll(() => f?.close());

  it('shows an empty interim report of the confirmed lines, open until the deadline', async () => {
    const report = await get('interim');
    expect(report).toMatchObject({ kind: 'interim', status: 'draft', version: 1, open: true, late: false });
    expect(report.lines.map((l: { kpiLineId: number; confirmedQuantity: number }) => [l.kpiLineId, l.confirmedQuantity])).toEqual([
      [line5(), 10],
      [line9(), 4],
    ]);
  });

  it('saves a draft and flags a line below 25 % as needing a motivation; submission without it is refused and changes nothing', async () => {
    const saved = (
      await save(
        'interim',
        1,
        [
          { kpiLineId: line5(), realisedQuantity: 2, approach: 'Taalcafé op zaterdag', partners: 'Bibliotheek' },
          { kpiLineId: line9(), realisedQuantity: 4 },
        ],
        200,
      )
    ).body;
    expect(saved.version).toBe(2);
    // 2 of 10 is 20 %: below the call's 25 %, and below the confirmed quantity, so a motivation is required.
    expect(saved.lines[0]).toMatchObject({ realisedQuantity: 2, realisationPercent: 20, belowThreshold: true, motivationRequired: true });
    expect(saved.lines[1]).toMatchObject({ realisationPercent: 100, belowThreshold: false, motivationRequired: false });
    await unchangedBy(async () => {
      const refused = await submit('interim', 422);
      expect(Object.keys(refused.body.errors)).toEqual([`motivation-${line5()}`]);
    });
  });

  it.each([
    [{ realisedQuantity: -1 }, 'a negative quantity'],
    [{ realisedQuantity: 2.5 }, 'a fraction'],
    [{ realisedQuantity: 'veel' }, 'a text'],
    [{ realisedQuantity: 1e12 }, 'a huge number'],
  ] as [object, string][])('refuses %p (%s) and stores nothing', async (values) => {
    await unchangedBy(() => save('interim', 2, [{ kpiLineId: line5(), ...values }], 422));
  });

  it("refuses another applicant's officer, a line of another application and a stale version, and changes nothing", async () => {
    await unchangedBy(async () => {
      await save('interim', 2, [{ kpiLineId: line5(), realisedQuantity: 3 }], 404, officerB);
      await save('interim', 2, [{ kpiLineId: 999_999, realisedQuantity: 3 }], 422);
      await save('interim', 1, [{ kpiLineId: line5(), realisedQuantity: 3 }], 409);
      await save('interim', 2, [{ kpiLineId: line5(), realisedQuantity: 3 }], 403, reviewer);
      await request(f.http).get(url('halfway')).set(as(officerA)).expect(422);
    });
  });

  it('submits with the motivation; ABB returns it with a comment, the officer resubmits, ABB accepts and the 25 % rule reads it', async () => {
    await save('interim', 2, [{ kpiLineId: line5(), motivation: 'Lesgever lang ziek; nieuwe lesgever vanaf januari.' }], 200);
    expect((await submit('interim', 200)).body).toMatchObject({ status: 'submitted', late: false, open: false });
    await save('interim', 4, [{ kpiLineId: line5(), realisedQuantity: 3 }], 409);
    expect((await review('interim', { decision: 'return' }, 422)).body.errors).toHaveProperty('comment');
    expect((await review('interim', { decision: 'return', comment: 'Vermeld ook de partners van actie 9.' }, 200)).body).toMatchObject({
      status: 'returned',
      open: true,
    });
    await save('interim', (await get('interim')).version, [{ kpiLineId: line9(), partners: 'Jeugdhuis' }], 200);
    await submit('interim', 200);
    expect((await review('interim', { decision: 'accept' }, 200)).body).toMatchObject({ status: 'accepted' });

    const [stored] = await f.dataSource.query(
      `SELECT interim_realised, interim_from_report FROM application_line WHERE application_id = $1 AND kpi_line_id = $2`,
      [fx.a.id, line5()],
    );
    expect(stored).toEqual({ interim_realised: 2, interim_from_report: true });
    // ABB's manual entry stays only as an override with a reason.
    const application = (await request(f.http).get(`/api/v1/applications/${fx.a.id}`).set(as(reviewer)).expect(200)).body;
    const evaluate = (body: object) =>
      request(f.http)
        .put(`/api/v1/applications/${fx.a.id}/lines/${line5()}/evaluation`)
        .set(as(reviewer))
        .send({ version: application.version, positiveEvaluation: false, ...body });
    await unchangedBy(async () => expect((await evaluate({ interimRealised: 5 }).expect(422)).body.errors).toHaveProperty('overrideReason'));
  });

  it('lists submitted reports in the review queue with its filters', async () => {
    await save(
      'interim',
      1,
      [
        { kpiLineId: line9(), realisedQuantity: 0, motivation: 'Niet gestart.' },
        { kpiLineId: line5(), realisedQuantity: 3, motivation: 'Trager dan gepland.' },
      ],
      200,
      officerB,
      fx.b.id,
    );
    await request(f.http).post(`/api/v1/applications/${fx.b.id}/reports/interim/submit`).set(as(officerB)).send({ version: 2 }).expect(200);
    const queue = async (query: string) =>
      (await request(f.http).get(`/api/v1/reports${query}`).set(as(reviewer)).expect(200)).body.map((r: { applicationId: number }) => r.applicationId);
    expect(await queue('')).toEqual([fx.b.id]);
    expect(await queue('?belowThreshold=true&kind=interim')).toEqual([fx.b.id]);
    expect(await queue('?late=true')).toEqual([]);
    expect(await queue('?action=12')).toEqual([]);
    await request(f.http).get('/api/v1/reports').set(as(officerA)).expect(403);
    await request(f.http).get('/api/v1/reports?late=misschien').set(as(reviewer)).expect(422);
  });

  it('works as a form without JavaScript: a bad quantity is summarised and linked to its field, then the report is submitted', async () => {
    const page = await signIn(f, `medewerker-${fx.c.applicant.lead.nisCode}@service.test`, 'een lang wachtwoord voor tests');
    const form = await page.get(`/aanvragen/${fx.c.id}/rapporten/interim`).expect(200);
    const field = `realisedQuantity-${line5()}`;
    await unchangedBy(async () => {
      const refused = await page
        .post(`/aanvragen/${fx.c.id}/rapporten/interim`)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), version: '1', [field]: '-2', action: 'save' })
        .expect(422);
      expect(refused.text).toContain(`<a href="#${field}">Geef een geheel aantal van 0 tot 10.000.000.</a>`);
      expect(refused.text).toContain(`value="-2" aria-describedby="${field}-error"`);
    });
    await page
      .post(`/aanvragen/${fx.c.id}/rapporten/interim`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), version: '1', [field]: '1', [`approach-${line5()}`]: 'Eén taalcafé', action: 'submit' })
      .expect(303)
      .expect('Location', `/aanvragen/${fx.c.id}/rapporten/interim`);
    const shown = await page.get(`/aanvragen/${fx.c.id}/rapporten/interim`).expect(200);
    expect(shown.text).toMatch(/id="report-status">ingediend op/);
    expect(shown.text).toContain('Eén taalcafé');
  });

  it('keeps evidence files per line: recognised by content, with a safe name, downloadable as they were; refuses the rest and changes nothing', async () => {
    const evidenceUrl = `/api/v1/applications/${fx.b.id}/reports/final/lines/${line9()}/evidence`;
    const added = (await request(f.http).post(evidenceUrl).set(as(officerB)).attach('file', ONE_PAGE_PDF, '../../etc/passwd.pdf').expect(201)).body;
    const [evidence] = added.lines.find((l: { kpiLineId: number }) => l.kpiLineId === line9()).evidence;
    expect(evidence).toMatchObject({ filename: 'passwd.pdf', sizeBytes: ONE_PAGE_PDF.length });
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    await request(f.http).post(evidenceUrl).set(as(officerB)).attach('file', png, 'verslag 📄.png').expect(201);
    const download = await request(f.http)
      .get(`/api/v1/applications/${fx.b.id}/reports/final/evidence/${evidence.id}`)
      .set(as(reviewer))
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    expect(download.body).toEqual(ONE_PAGE_PDF);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="passwd.pdf"; filename*=UTF-8''passwd.pdf`);
    const names = (await request(f.http).get(`/api/v1/applications/${fx.b.id}/reports/final`).set(as(officerB)).expect(200)).body.lines
      .find((l: { kpiLineId: number }) => l.kpiLineId === line9())
      .evidence.map((e: { filename: string }) => e.filename);
    expect(names).toEqual(['passwd.pdf', 'verslag _.png']);
    await unchangedBy(async () => {
      expect(
        (await request(f.http).post(evidenceUrl).set(as(officerB)).attach('file', Buffer.from('gewoon tekst'), 'bewijs.pdf').expect(422)).body.errors,
      ).toHaveProperty('evidence');
      await request(f.http).post(evidenceUrl).set(as(officerB)).expect(422);
      // A control character in the file name breaks the multipart header: refused before anything is read.
      await request(f.http).post(evidenceUrl).set(as(officerB)).attach('file', ONE_PAGE_PDF, 'bel\u0007.pdf').expect(400);
      await request(f.http).post(evidenceUrl).set(as(officerA)).attach('file', ONE_PAGE_PDF, 'a.pdf').expect(404);
      await request(f.http)
        .post(`/api/v1/applications/${fx.b.id}/reports/final/lines/999999/evidence`)
        .set(as(officerB))
        .attach('file', ONE_PAGE_PDF, 'a.pdf')
        .expect(404);
      await request(f.http).get(`/api/v1/applications/${fx.b.id}/reports/final/evidence/${evidence.id}`).set(as(officerA)).expect(404);
      const big = await request(f.http)
        .post(evidenceUrl)
        .set(as(officerB))
        .attach('file', Buffer.alloc(5 * 1024 * 1024 + 10, 0x25), 'groot.pdf');
      expect([413, 422]).toContain(big.status);
    });
  });

  it('closes the final report after its deadline; ABB reopens it for A, the late submission is marked and its acceptance settles the balance', async () => {
    const fill = [
      { kpiLineId: line5(), realisedQuantity: 7, motivation: 'Drie deelnemers haakten af.' },
      { kpiLineId: line9(), realisedQuantity: 4 },
    ];
    f.clock.set(new Date(start.getTime() + 41 * DAY));
    await unchangedBy(() => save('final', 1, fill, 409));
    const reopenBody = { version: 1, until: brusselsLocal(new Date(start.getTime() + 43 * DAY)).slice(0, 16), reason: 'Ziekte van de coördinator.' };
    await request(f.http)
      .post(`${url('final')}/reopen`)
      .set(as(reviewer))
      .send(reopenBody)
      .expect(403);
    await unchangedBy(async () => {
      await request(f.http)
        .post(`${url('final')}/reopen`)
        .set(as(admin))
        .send({ ...reopenBody, reason: ' ' })
        .expect(422);
      await request(f.http)
        .post(`${url('final')}/reopen`)
        .set(as(admin))
        .send({ ...reopenBody, until: '2020-01-01T10:00' })
        .expect(422);
    });
    await request(f.http)
      .post(`${url('final')}/reopen`)
      .set(as(admin))
      .send(reopenBody)
      .expect(200);
    await save('final', (await get('final')).version, fill, 200);
    expect((await submit('final', 200)).body).toMatchObject({ status: 'submitted', late: true });

    // Acceptance needs the published allocation (A: €8.928,57 allocated, €7.142,85 advanced).
    const run = (await request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201)).body;
    await publishByTwo(f.http, run.id, { confirmPendingReview: true, reason: 'D volgt' }, reviewer, admin);
    // Motivation of action 5 accepted: no reclaim; balance 892.857 − 714.285 = 178.572. The waiver (3 of 10 unrealised:
    // ⌊892.857 × 3/10⌋ = 267.857) exceeds the call's threshold: it waits for a second ABB person, whose approval closes the settlement.
    await review('final', { decision: 'accept', lines: [{ kpiLineId: line5(), motivationAccepted: true, comment: 'Aanvaard.' }] }, 200);
    const waiting = (await request(f.http).get(`/api/v1/applications/${fx.a.id}/settlement`).set(as(reviewer)).expect(200)).body.statement;
    expect(waiting).toMatchObject({ settled: null, pendingWaivers: [{ kpiLineId: line5(), waivedCents: 267_857 }] });
    await approveAs(f.http, waiting.pendingWaivers[0].proposalId, admin);
    const settlement = (await request(f.http).get(`/api/v1/applications/${fx.a.id}/settlement`).set(as(officerA)).expect(200)).body.statement;
    expect(settlement).toMatchObject({ complete: true, reclaimCents: 0, balanceCents: 178_572, toPayCents: 178_572, settled: { by: expect.any(String) } });
    expect(settlement.lines.find((l: { kpiLineId: number }) => l.kpiLineId === line5())).toMatchObject({
      realisedQuantity: 7,
      waived: true,
      waiverReason: 'Aanvaard.',
    });
  });

  it('asks first when accepting a final report leads to a reclaim, with the amounts; only the confirmed POST accepts and settles it', async () => {
    // B: action 9 confirmed 6, realised 2 (a third, motivated); action 5 confirmed 3, realised 3. The allocation is published.
    const bUrl = url('final', fx.b.id);
    const closed = (await request(f.http).get(bUrl).set(as(admin)).expect(200)).body;
    const reopen = { version: closed.version, until: brusselsLocal(new Date(start.getTime() + 43 * DAY)).slice(0, 16), reason: 'Ziekte.' };
    await request(f.http).post(`${bUrl}/reopen`).set(as(admin)).send(reopen).expect(200);
    const draft = (await request(f.http).get(bUrl).set(as(officerB)).expect(200)).body;
    const fill = [
      { kpiLineId: line9(), realisedQuantity: 2, motivation: 'Vier gezinnen verhuisden.' },
      { kpiLineId: line5(), realisedQuantity: 3 },
    ];
    await save('final', draft.version, fill, 200, officerB, fx.b.id);
    const saved = (await request(f.http).get(bUrl).set(as(officerB)).expect(200)).body;
    await request(f.http).post(`${bUrl}/submit`).set(as(officerB)).send({ version: saved.version }).expect(200);

    const abb = await signIn(f, 'beoordelaar@service.test', 'een lang wachtwoord voor tests');
    const page = await abb.get(`/aanvragen/${fx.b.id}/rapporten/final`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const form = { _csrf: csrfFrom(page.text), version, decision: 'accept', comment: '', [`reviewComment-${line9()}`]: '', [`reviewComment-${line5()}`]: '' };
    let confirm!: request.Response;
    await unchangedBy(async () => {
      confirm = await abb.post(`/aanvragen/${fx.b.id}/rapporten/final/beoordelen`).type('form').send(form).expect(200);
    });
    expect(confirm.text).toContain('Eindrapport van');
    expect(confirm.text).toContain('aanvaarden?</h1>');
    const reclaim = Number(/id="reclaim" data-cents="(\d+)"/.exec(confirm.text)![1]);
    expect(reclaim).toBeGreaterThan(0);
    // One line reclaims, action 9's; the form carries the review's answers on.
    expect([...confirm.text.matchAll(/<td class="govuk-table__cell govuk-table__cell--numeric" data-cents="(\d+)">/g)].map((m) => Number(m[1]))).toEqual([
      reclaim,
    ]);
    expect(confirm.text).toContain(`name="reviewComment-${line9()}" value=""`);
    expect(confirm.text).toContain('name="confirmed" value="ja"');

    await abb
      .post(`/aanvragen/${fx.b.id}/rapporten/final/beoordelen`)
      .type('form')
      .send({ ...form, confirmed: 'ja' })
      .expect(303);
    const settlement = (await request(f.http).get(`/api/v1/applications/${fx.b.id}/settlement`).set(as(reviewer)).expect(200)).body.statement;
    expect(settlement).toMatchObject({ reclaimCents: reclaim, settled: { by: expect.any(String) } });
    expect((await request(f.http).get(bUrl).set(as(officerB)).expect(200)).body.status).toBe('accepted');
  });
});
