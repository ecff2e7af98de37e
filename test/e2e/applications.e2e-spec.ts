import request from 'supertest';
import { UsersService } from '@ps/identity';
import { cliActor } from '@ps/identity';
import { FixedClock } from '@ps/kernel';
import { auditOf, bearerFor } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const TABLES = ['application', 'application_line', 'application_action', 'audit_event'];

describe('applications: the action table, submission window, review workflow and decision letter', () => {
  const clock = new FixedClock(new Date('2024-04-30T10:00:00Z'));
  let t: TestApp;
  let gent: string;
  let lier: string;
  let reviewer: string;
  let reviewer2: string;
  let admin: string;
  let applicantId: number;
  let applicationId: number;
  const lines = new Map<string, number>();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await t.app
      .get(UsersService)
      .createWithPassword(cliActor(), { email: 'tweede@abb.demo', displayName: 'Tweede Beoordelaar', role: 'abb-reviewer', password: 'een lang wachtwoord' });
    [gent, lier, reviewer, reviewer2, admin] = await Promise.all(
      ['medewerker@gent.demo', 'medewerker@lier.demo', 'beoordelaar@abb.demo', 'tweede@abb.demo', 'beheerder@abb.demo'].map((e) => bearerFor(t, e, 365)),
    );
    [{ id: applicantId }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
    const detail = (await request(t.http).get(`/api/v1/applicants/${applicantId}`).set(as(gent)).expect(200)).body;
    await request(t.http)
      .put(`/api/v1/applicants/${applicantId}/contact`)
      .set(as(gent))
      .send({
        contactName: 'Griet Medewerker',
        contactEmail: 'griet@gent.demo',
        contactPhone: '09 266 55 00',
        payoutIban: 'BE68 5390 0754 7034',
        version: detail.version,
      })
      .expect(200);
  });
  afterAll(() => t.close());

  it('opens one draft per applicant per call, with every KPI line of the call', async () => {
    const res = await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(gent)).expect(201);
    applicationId = res.body.id;
    expect(res.body).toMatchObject({ status: 'concept', version: 1, callYear: 3 });
    expect(res.body.lines).toHaveLength(29);
    for (const line of res.body.lines) lines.set(`${line.actionNumber}.${line.position}`, line.id);
    await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(gent)).expect(409);
  });

  const draft = (version: number, entries: [string, unknown][], priorities: [number, unknown][], extra: object = {}) => ({
    version,
    lines: entries.map(([key, planned]) => ({ kpiLineId: lines.get(key), plannedReach: planned, currentReach: 0 })),
    priorities: priorities.map(([actionNumber, priority]) => ({ actionNumber, priority })),
    ...extra,
  });

  it('saves a draft with warnings: contributions computed in cents, totals balanced', async () => {
    const res = await request(t.http)
      .put(`/api/v1/applications/${applicationId}`)
      .set(as(gent))
      .send(
        draft(
          1,
          [
            ['5.1', 100],
            ['9.1', '10'],
            ['2.1', 1],
          ],
          [[5, 1]],
        ),
      )
      .expect(200);
    expect(res.body.version).toBe(2);
    expect(res.body.totals).toEqual({ flemishContributionCents: 3_750_000, localCofinancingCents: 3_750_000, stimuliCents: 0, totalFlemishCents: 3_750_000 });
    expect(Object.keys(res.body.incomplete).sort()).toEqual(['priority-2', 'priority-9']);
  });

  it('refuses every kind of bad input per field and changes nothing', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    const put = (body: object) => request(t.http).put(`/api/v1/applications/${applicationId}`).set(as(gent)).send(body);
    expect(Object.keys((await put(draft(2, [['5.1', 2251]], [])).expect(422)).body.errors)).toEqual([`planned-${lines.get('5.1')}`]);
    expect(
      Object.keys(
        (
          await put(
            draft(
              2,
              [
                ['5.1', -1],
                ['9.1', 2.5],
              ],
              [],
            ),
          ).expect(422)
        ).body.errors,
      ).sort(),
    ).toEqual([`planned-${lines.get('5.1')}`, `planned-${lines.get('9.1')}`].sort());
    expect(
      (
        await put(
          draft(
            2,
            [
              ['5.1', 10],
              ['9.1', 10],
            ],
            [
              [5, 1],
              [9, 1],
            ],
          ),
        ).expect(422)
      ).body.errors,
    ).toEqual({ 'priority-9': ['Prioriteit 1 is al gegeven aan actie 5; elk nummer één keer.'] });
    expect(
      (
        await put(
          draft(
            2,
            [['5.1', 10]],
            [
              [5, 1],
              [13, 2],
            ],
          ),
        ).expect(422)
      ).body.errors,
    ).toHaveProperty('priority-13');
    expect(
      (await put(draft(2, [['5.1', 10]], [[5, 1]], { mentorship: { actionNumber: 5, motivation: 'x'.repeat(2501) } })).expect(422)).body.errors,
    ).toHaveProperty('mentorship-motivation');
    expect((await put(draft(2, [['5.1', 10]], [[5, 1]], { cooperationStimulus: true })).expect(422)).body.errors).toHaveProperty('cooperation-stimulus');
    await put(draft(1, [['5.1', 10]], [[5, 1]])).expect(409);
    await request(t.http)
      .put(`/api/v1/applications/${applicationId}`)
      .set(as(lier))
      .send(draft(2, [['5.1', 10]], [[5, 1]]))
      .expect(404);
    await request(t.http).post(`/api/v1/applications/${applicationId}/submit`).set(as(lier)).send({ version: 2 }).expect(404);
    await request(t.http).post(`/api/v1/applications/${applicationId}/submit`).set(as(gent)).send({ version: 2 }).expect(422);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('refuses a submission outside the window by server time in Brussels, stating the window', async () => {
    await request(t.http)
      .put(`/api/v1/applications/${applicationId}`)
      .set(as(gent))
      .send(
        draft(
          2,
          [
            ['5.1', 100],
            ['9.1', 10],
            ['2.1', 1],
          ],
          [
            [5, 1],
            [9, 2],
            [2, 3],
          ],
        ),
      )
      .expect(200);
    const before = await snapshot(t.dataSource, TABLES);
    // The call closes on 6 May 2024 at 12:00 Brussels time, which is 10:00 UTC in summer time.
    clock.set(new Date('2024-05-06T10:00:01Z'));
    const late = await request(t.http).post(`/api/v1/applications/${applicationId}/submit`).set(as(gent)).send({ version: 3 }).expect(409);
    expect(late.body.message).toBe('Indienen kan enkel van 22 april 2024 00:00 tot 6 mei 2024 12:00 (Brusselse tijd); nu is het 6 mei 2024 12:00.');
    clock.set(new Date('2024-04-21T21:59:59Z'));
    await request(t.http).post(`/api/v1/applications/${applicationId}/submit`).set(as(gent)).send({ version: 3 }).expect(409);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    clock.set(new Date('2024-05-06T09:59:59Z'));
  });

  it('walks draft → submitted → returned → resubmitted → approved, one role per step, all audited', async () => {
    await request(t.http).post(`/api/v1/applications/${applicationId}/submit`).set(as(reviewer)).send({ version: 3 }).expect(403);
    expect((await request(t.http).post(`/api/v1/applications/${applicationId}/submit`).set(as(gent)).send({ version: 3 }).expect(200)).body.status).toBe(
      'ingediend',
    );
    clock.set(new Date('2024-06-01T08:00:00Z'));
    await request(t.http).post(`/api/v1/applications/${applicationId}/approve`).set(as(reviewer)).send({ version: 4, confirmed: [] }).expect(409);
    await request(t.http).post(`/api/v1/applications/${applicationId}/start-review`).set(as(admin)).send({ version: 4 }).expect(403);
    await request(t.http).post(`/api/v1/applications/${applicationId}/start-review`).set(as(reviewer)).send({ version: 4 }).expect(200);
    const returned = await request(t.http)
      .post(`/api/v1/applications/${applicationId}/return`)
      .set(as(reviewer))
      .send({ version: 5, reason: 'Verduidelijk het bereik van actie 9.', comments: [{ kpiLineId: lines.get('9.1'), comment: 'Is 10 realistisch?' }] })
      .expect(200);
    expect(returned.body.status).toBe('terug-naar-aanvrager');
    expect(returned.body.lines.find((l: { id: number }) => l.id === lines.get('9.1')).reviewComment).toBe('Is 10 realistisch?');
    // After the deadline, a returned application can still be corrected and resubmitted.
    await request(t.http)
      .put(`/api/v1/applications/${applicationId}`)
      .set(as(gent))
      .send(
        draft(
          6,
          [
            ['5.1', 100],
            ['9.1', 12],
            ['2.1', 1],
          ],
          [
            [5, 1],
            [9, 2],
            [2, 3],
          ],
        ),
      )
      .expect(200);
    await request(t.http).post(`/api/v1/applications/${applicationId}/submit`).set(as(gent)).send({ version: 7 }).expect(200);
    await request(t.http).post(`/api/v1/applications/${applicationId}/start-review`).set(as(reviewer)).send({ version: 8 }).expect(200);
    const refused = await request(t.http)
      .post(`/api/v1/applications/${applicationId}/approve`)
      .set(as(reviewer))
      .send({
        version: 9,
        confirmed: [
          { kpiLineId: lines.get('5.1'), quantity: 101 },
          { kpiLineId: lines.get('9.1'), quantity: 12 },
          { kpiLineId: lines.get('2.1'), quantity: 1 },
        ],
      })
      .expect(422);
    expect(Object.keys(refused.body.errors)).toEqual([`confirmed-${lines.get('5.1')}`]);
    const approved = await request(t.http)
      .post(`/api/v1/applications/${applicationId}/approve`)
      .set(as(reviewer))
      .send({
        version: 9,
        confirmed: [
          { kpiLineId: lines.get('5.1'), quantity: 80 },
          { kpiLineId: lines.get('9.1'), quantity: '12' },
          { kpiLineId: lines.get('2.1'), quantity: 1 },
        ],
      })
      .expect(200);
    expect(approved.body.status).toBe('goedgekeurd');
    // 80 × €60 + 12 × €650 + 1 × €25,000 (every requested line confirmed explicitly)
    expect(approved.body.confirmedTotalCents).toBe(480_000 + 780_000 + 2_500_000);
    const trail = await auditOf(t.dataSource, 'application', applicationId);
    expect(trail.map((a: { action: string }) => a.action)).toEqual([
      'created',
      'draft-saved',
      'draft-saved',
      'submit',
      'start-review',
      'return',
      'draft-saved',
      'submit',
      'start-review',
      'approve',
    ]);
    expect(trail.at(-1)).toMatchObject({
      actor_label: 'Bart Beoordelaar (ABB) <beoordelaar@abb.demo>',
      before: { status: 'in-behandeling' },
      after: { status: 'goedgekeurd' },
    });
  });

  it('writes a decision letter with the confirmed lines and amounts that add up to the cent', async () => {
    const res = await request(t.http).get(`/api/v1/applications/${applicationId}/decision-letter`).set(as(gent)).expect(200).expect('Content-Type', /html/);
    const cents = [...res.text.matchAll(/data-cents="(\d+)"/g)].map((m) => Number(m[1]));
    expect(cents).toEqual([3_760_000, 3_008_000, 752_000, 3_760_000]);
    expect(cents[1] + cents[2]).toBe(cents[0]);
    expect(res.text.match(/<tr class="govuk-table__row">/g)).toHaveLength(4);
    await request(t.http).get(`/api/v1/applications/${applicationId}/decision-letter`).set(as(lier)).expect(404);
  });

  it('lets two reviewers decide at once: one succeeds, the other gets 409, never a mixed state', async () => {
    const [{ id: lierApplicant }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl LIKE 'vzw De Rand%'`);
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO application (applicant_id, call_id, catalogue_version, status) SELECT $1, call_id, 1, 'in-behandeling' FROM applicant WHERE id = $1 RETURNING id`,
      [lierApplicant],
    );
    await t.dataSource.query(
      `INSERT INTO application_line (application_id, kpi_line_id, planned_reach, contribution_cents) SELECT $1, k.id, 10, 10 * k.unit_amount_cents FROM kpi_line k JOIN application a ON a.id = $1 WHERE k.call_id = a.call_id AND k.action_number = 5`,
      [id],
    );
    const confirmed = (await t.dataSource.query(`SELECT kpi_line_id FROM application_line WHERE application_id = $1`, [id])).map(
      (l: { kpi_line_id: number }) => ({ kpiLineId: l.kpi_line_id, quantity: 10 }),
    );
    const results = await Promise.all([
      request(t.http).post(`/api/v1/applications/${id}/approve`).set(as(reviewer)).send({ version: 1, confirmed }),
      request(t.http).post(`/api/v1/applications/${id}/reject`).set(as(reviewer2)).send({ version: 1, reason: 'Onvoldoende onderbouwd' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const [row] = await t.dataSource.query(`SELECT status, version, decision_reason FROM application WHERE id = $1`, [id]);
    const winner = results.find((r) => r.status === 200)!.body.status;
    expect(row.status).toBe(winner);
    expect(row.version).toBe(2);
    expect(row.decision_reason).toBe(winner === 'afgewezen' ? 'Onvoldoende onderbouwd' : null);
    expect(await auditOf(t.dataSource, 'application', id)).toHaveLength(1);
  });

  it('lets ABB extend the deadline for one applicant, in Brussels time across the daylight-saving change', async () => {
    const [{ id: lierApplicant }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl LIKE 'Samenwerkingsverband Lier%'`);
    const started = await request(t.http).post(`/api/v1/applicants/${lierApplicant}/application`).set(as(lier)).expect(201);
    const id = started.body.id;
    const before = await snapshot(t.dataSource, TABLES);
    await request(t.http)
      .post(`/api/v1/applications/${id}/extend-deadline`)
      .set(as(reviewer))
      .send({ version: 1, until: '2024-10-27T12:00', reason: 'Overmacht' })
      .expect(403);
    await request(t.http)
      .post(`/api/v1/applications/${id}/extend-deadline`)
      .set(as(admin))
      .send({ version: 1, until: '2024-10-27T12:00', reason: '' })
      .expect(422);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    const extended = await request(t.http)
      .post(`/api/v1/applications/${id}/extend-deadline`)
      .set(as(admin))
      .send({ version: 1, until: '2024-10-27T12:00', reason: 'Overmacht: cyberaanval op de gemeente' })
      .expect(200);
    // 27 October 2024: summer time ended at 03:00, so 12:00 in Brussels is 11:00 UTC.
    expect(extended.body.window.closesAt).toBe('2024-10-27T11:00:00.000Z');
    clock.set(new Date('2024-10-27T10:59:59Z'));
    expect((await request(t.http).get(`/api/v1/applications/${id}`).set(as(lier)).expect(200)).body.window.open).toBe(true);
    clock.set(new Date('2024-10-27T11:00:01Z'));
    expect((await request(t.http).get(`/api/v1/applications/${id}`).set(as(lier)).expect(200)).body.window.open).toBe(false);
    expect((await auditOf(t.dataSource, 'application', id)).map((a: { action: string }) => a.action)).toEqual(['created', 'deadline-extended']);
  });

  it('lets ABB reopen a rejected submission after the deadline, with a reason, and gives seven days to resubmit', async () => {
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO application (applicant_id, call_id, catalogue_version, status, decision_reason) SELECT id, call_id, 1, 'afgewezen', 'Te laat' FROM applicant WHERE kind = 'vgc' RETURNING id`,
    );
    await request(t.http).post(`/api/v1/applications/${id}/reopen`).set(as(reviewer)).send({ version: 1, reason: 'x' }).expect(403);
    await request(t.http).post(`/api/v1/applications/${id}/reopen`).set(as(admin)).send({ version: 1, reason: '' }).expect(422);
    const reopened = await request(t.http)
      .post(`/api/v1/applications/${id}/reopen`)
      .set(as(admin))
      .send({ version: 1, reason: 'Nieuwe elementen na de termijn' })
      .expect(200);
    expect(reopened.body.status).toBe('concept');
    expect(reopened.body.window.open).toBe(true);
    expect(new Date(reopened.body.window.closesAt).getTime()).toBe(clock.now().getTime() + 7 * 86_400_000);
    await request(t.http)
      .post(`/api/v1/applications/${applicationId}/reopen`)
      .set(as(admin))
      .send({ version: (await request(t.http).get(`/api/v1/applications/${applicationId}`).set(as(admin))).body.version, reason: 'Goedgekeurd heropenen' })
      .expect(409);
  });

  it('filters the review queue by status, call, objective and province; officers see only their own', async () => {
    const approved = (await request(t.http).get('/api/v1/applications?status=goedgekeurd&year=3').set(as(reviewer)).expect(200)).body.items;
    expect(approved.map((a: { applicantNameNl: string }) => a.applicantNameNl)).toContain('Stad Gent');
    expect(
      (await request(t.http).get('/api/v1/applications?objective=werk&province=Oost-Vlaanderen').set(as(reviewer)).expect(200)).body.items.map(
        (a: { applicantNameNl: string }) => a.applicantNameNl,
      ),
    ).toEqual(['Stad Gent']);
    expect((await request(t.http).get('/api/v1/applications?objective=netwerk').set(as(reviewer)).expect(200)).body).toEqual({
      items: [],
      page: 1,
      pageSize: 50,
      total: 0,
      pages: 1,
    });
    expect(
      (await request(t.http).get('/api/v1/applications').set(as(lier)).expect(200)).body.items.map((a: { applicantNameNl: string }) => a.applicantNameNl),
    ).toEqual(['Samenwerkingsverband Lier-Duffel-Berlaar']);
    await request(t.http).get('/api/v1/applications?status=verzonnen').set(as(reviewer)).expect(422);
  });
});
