import request from 'supertest';
import { FixedClock } from '@ps/kernel';
import { bearerFor } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const TABLES = ['application', 'application_line', 'application_action', 'audit_event'];

/** Issue 23, finding 2: a field has one key, whether the DTO (length, type) or a rule refuses it. */
describe('one field, one key over HTTP', () => {
  const clock = new FixedClock(new Date('2024-04-30T10:00:00Z'));
  let t: TestApp;
  let gent: string;
  let applicationId: number;
  let lineId: number;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const put = (body: object) => request(t.http).put(`/api/v1/applications/${applicationId}`).set(as(gent)).send(body);
  const unchangedBy = async <T>(attempt: () => Promise<T>): Promise<T> => {
    const before = await snapshot(t.dataSource, TABLES);
    const result = await attempt();
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    return result;
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    gent = await bearerFor(t, 'medewerker@gent.demo', 365);
    const [{ id: applicantId }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
    const opened = await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(gent)).expect(201);
    applicationId = opened.body.id;
    lineId = opened.body.lines.find((line: { actionNumber: number }) => line.actionNumber === 5).id;
  });
  afterAll(() => t?.close());

  const draft = (mentorship: object) => ({
    version: 1,
    lines: [{ kpiLineId: lineId, plannedReach: 10, currentReach: 0 }],
    priorities: [{ actionNumber: 5, priority: 1 }],
    mentorship,
  });

  it('refuses a 100,000-character mentorship motivation under the key the rule and the incomplete list use', async () => {
    const tooLongForTheDto = await unchangedBy(() => put(draft({ actionNumber: 5, motivation: 'x'.repeat(100_000) })).expect(422));
    expect(Object.keys(tooLongForTheDto.body.errors)).toEqual(['mentorship-motivation']);
    const tooLongForTheRule = await unchangedBy(() => put(draft({ actionNumber: 5, motivation: 'x'.repeat(2501) })).expect(422));
    expect(Object.keys(tooLongForTheRule.body.errors)).toEqual(['mentorship-motivation']);
    const wrongType = await unchangedBy(() => put(draft({ actionNumber: 5, motivation: 12 })).expect(422));
    expect(Object.keys(wrongType.body.errors)).toEqual(['mentorship-motivation']);

    const saved = await put(draft({ actionNumber: 5, motivation: '' })).expect(200);
    expect(Object.keys(saved.body.incomplete)).toContain('mentorship-motivation');
  });

  it('names the page field of a line and of a stimulus for refusals of the DTO', async () => {
    const { version } = (await request(t.http).get(`/api/v1/applications/${applicationId}`).set(as(gent)).expect(200)).body;
    const res = await unchangedBy(() =>
      put({
        version,
        lines: [{ kpiLineId: 'abc' }],
        priorities: [{ actionNumber: 5, priority: 1, extra: 1 }],
        cooperationStimulus: 'ja',
        impactBond: { expertise: 'x'.repeat(10_001), actionNumbers: 'x' },
      }).expect(422),
    );
    expect(Object.keys(res.body.errors).sort()).toEqual(['cooperation-stimulus', 'impact-actions', 'impact-expertise', 'lines', 'priority-5']);
  });
});
