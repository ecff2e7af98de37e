import request from 'supertest';
import { auditOf, bearerFor, csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const TABLES = ['applicant', 'applicant_member', 'application', 'application_line', 'audit_event'];

/** Found by review: every version and line id a page sends is checked, and invitees are not owners of the record. */
describe('review fixes', () => {
  let t: TestApp;
  let gent: string;
  let reviewer: string;
  let applicationId: number;
  let applicantId: number;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const application = async () => (await request(t.http).get(`/api/v1/applications/${applicationId}`).set(as(reviewer)).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    [gent, reviewer] = await Promise.all(['medewerker@gent.demo', 'beoordelaar@abb.demo'].map((e) => bearerFor(t, e)));
    [{ id: applicantId }] = await t.dataSource.query(
      `SELECT a.id FROM applicant a JOIN call c ON c.id = a.call_id WHERE a.name_nl = 'Stad Gent' ORDER BY c.year_number DESC LIMIT 1`,
    );
    const detail = (await request(t.http).get(`/api/v1/applicants/${applicantId}`).set(as(gent)).expect(200)).body;
    await request(t.http)
      .put(`/api/v1/applicants/${applicantId}/contact`)
      .set(as(gent))
      .send({
        contactName: 'Greet',
        contactEmail: 'greet@gent.demo',
        contactPhone: '09 266 55 00',
        payoutIban: detail.contact.iban ?? 'BE68539007547034',
        version: detail.version,
      })
      .expect(200);
    const draft = (await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(gent)).expect(201)).body;
    applicationId = draft.id;
    const line = draft.lines.find((l: { actionNumber: number }) => l.actionNumber === 5);
    const saved = await request(t.http)
      .put(`/api/v1/applications/${applicationId}`)
      .set(as(gent))
      .send({
        version: draft.version,
        lines: [{ kpiLineId: line.id, plannedReach: 10, currentReach: 0 }],
        priorities: [{ actionNumber: 5, priority: 1 }],
        mentorship: { actionNumber: 5, motivation: 'Wij coachen de buurgemeenten.' },
      })
      .expect(200);
    const submitted = await request(t.http).post(`/api/v1/applications/${applicationId}/submit`).set(as(gent)).send({ version: saved.body.version });
    expect(submitted.status).toBe(200);
    await request(t.http).post(`/api/v1/applications/${applicationId}/start-review`).set(as(reviewer)).send({ version: submitted.body.version }).expect(200);
  });
  afterAll(() => t.close());

  it('refuses a missing or out-of-range version from a page with 422, never 500, changing nothing', async () => {
    const agent = await signIn(t, 'beoordelaar@abb.demo');
    const page = await agent.get(`/aanvragen/${applicationId}`).expect(200);
    const before = await snapshot(t.dataSource, TABLES);
    for (const version of [undefined, '2147483648', 'x']) {
      const res = await agent
        .post(`/aanvragen/${applicationId}/rekening-bevestigen`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), ...(version === undefined ? {} : { 'applicant-version': version }) });
      expect(res.status).toBeLessThan(500);
      expect(res.status).not.toBe(200);
    }
    const api = await request(t.http).post(`/api/v1/applications/${applicationId}/reject`).set(as(reviewer)).send({ version: 2147483648, reason: 'x' });
    expect(api.status).toBe(422);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('refuses a send-back comment on a line that is not in the application, by page and by API, changing nothing', async () => {
    const agent = await signIn(t, 'beoordelaar@abb.demo');
    const page = await agent.get(`/aanvragen/${applicationId}`).expect(200);
    const before = await snapshot(t.dataSource, TABLES);
    const { version } = await application();
    const web = await agent
      .post(`/aanvragen/${applicationId}/terugsturen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, 'comment-2147483648': 'Onbekende lijn' });
    expect(web.status).toBe(422);
    const [{ id: otherLine }] = await t.dataSource.query(`SELECT id FROM kpi_line WHERE call_id <> (SELECT call_id FROM application WHERE id = $1) LIMIT 1`, [
      applicationId,
    ]);
    const api = await request(t.http)
      .post(`/api/v1/applications/${applicationId}/return`)
      .set(as(reviewer))
      .send({ version, reason: '', comments: [{ kpiLineId: otherLine, comment: 'Lijn van een ander jaar' }] });
    expect(api.status).toBe(422);
    expect(Object.keys(api.body.errors)).toEqual([`comment-${otherLine}`]);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('does not pre-select a stimulus decision on the review page', async () => {
    const agent = await signIn(t, 'beoordelaar@abb.demo');
    const page = await agent.get(`/aanvragen/${applicationId}`).expect(200);
    expect(page.text).toContain('name="stimulus-mentorship"');
    expect(page.text).not.toMatch(/value="granted" checked/);
  });

  it("does not make an invited local government an owner of the applicant's history", async () => {
    const [{ id: lier }] = await t.dataSource.query(
      `SELECT a.id FROM applicant a JOIN call c ON c.id = a.call_id WHERE a.name_nl LIKE 'Samenwerkingsverband Lier%' ORDER BY c.year_number DESC LIMIT 1`,
    );
    const lierToken = await bearerFor(t, 'medewerker@lier.demo');
    const detail = (await request(t.http).get(`/api/v1/applicants/${lier}`).set(as(lierToken)).expect(200)).body;
    const [peer] = await t.dataSource.query(
      `SELECT lg.id FROM local_government lg WHERE lg.kind = 'municipality' AND lg.id NOT IN (SELECT local_government_id FROM applicant_member m JOIN applicant a ON a.id = m.applicant_id WHERE a.call_id = $1)
         AND EXISTS (SELECT 1 FROM reference_region_member r JOIN reference_region_member own ON own.reference_region_id = r.reference_region_id WHERE r.local_government_id = lg.id AND own.local_government_id = $2)
       ORDER BY lg.nis_code LIMIT 1`,
      [detail.callId, detail.leadLocalGovernmentId],
    );
    const invited = await request(t.http)
      .post(`/api/v1/applicants/${lier}/members`)
      .set(as(lierToken))
      .send({ localGovernmentId: peer.id, version: detail.version })
      .expect(200);
    expect(invited.body.members.find((m: { localGovernmentId: number }) => m.localGovernmentId === peer.id).state).toBe('invited');
    const [last] = (await auditOf(t.dataSource, 'applicant', lier)).slice(-1) as { action: string }[];
    expect(last.action).toBe('member-invited');
    const [row] = await t.dataSource.query(
      `SELECT owner_local_government_ids FROM audit_event WHERE entity_type = 'applicant' AND entity_id = $1::text ORDER BY id DESC LIMIT 1`,
      [lier],
    );
    const owners = (
      Array.isArray(row.owner_local_government_ids) ? row.owner_local_government_ids : String(row.owner_local_government_ids).replace(/[{}]/g, '').split(',')
    ).map(Number);
    expect(owners).toContain(detail.leadLocalGovernmentId);
    expect(owners).not.toContain(peer.id);
  });
});
