import request from 'supertest';
import { ApprovedFixture, DECISION_LETTER_SETTINGS, Factories, startFactories } from '../support/factories';

/**
 * Issue 24: an applicant of year 3 continuing in year 4 sees on its page, per action of its approved application, whether
 * the 25 % rule lets it be extended into year 4 and why; only once year 4 is published.
 */
describe('the extension of each action into the next call, on the applicant page', () => {
  let f: Factories;
  let admin: string;
  let reviewer: string;
  let approved: ApprovedFixture;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const page = async () =>
    (
      await request(f.http)
        .get(`/aanvragers/${approved.applicant.id}`)
        .set(as(await f.bearer(approved.applicant.officer)))
        .expect(200)
    ).text;

  beforeAll(async () => {
    f = await startFactories({ http: true, now: new Date('2024-04-30T10:00:00Z') });
    [admin, reviewer] = await Promise.all([f.actors.administrator().then((a) => f.bearer(a, 800)), f.actors.reviewer().then((a) => f.bearer(a, 800))]);
    const three = await f.aCall({ year: 3, settings: { onlyExistingApplicants: 'false' } });
    approved = await f.anApprovedApplication(three, {
      lines: [
        { action: 5, planned: 10 },
        { action: 9, planned: 4 },
        { action: 24, planned: 2 },
      ],
    });
    // ABB records the interim results: action 5 at 30 %, action 9 at 0 without an evaluation, action 24 in full.
    for (const [action, interimRealised] of [
      [5, 3],
      [9, 0],
      [24, 2],
    ]) {
      const { version } = (await request(f.http).get(`/api/v1/applications/${approved.id}`).set(as(reviewer)).expect(200)).body;
      await request(f.http)
        .put(`/api/v1/applications/${approved.id}/lines/${three.line(action).id}/evaluation`)
        .set(as(reviewer))
        .send({ version, interimRealised, positiveEvaluation: false })
        .expect(200);
    }
  }, 300_000);
  afterAll(() => f?.close());

  it('says nothing while year 4 is a draft, then tells per action whether and why it extends', async () => {
    f.clock.set(new Date('2025-04-30T10:00:00Z'));
    const api = (method: 'post' | 'patch', path: string, body: object, status = 200) => request(f.http)[method](path).set(as(admin)).send(body).expect(status);
    const version = async () => (await request(f.http).get('/api/v1/calls/4').set(as(admin)).expect(200)).body.version;
    await api('post', '/api/v1/calls', { fromYear: 3 }, 201);
    await api('post', '/api/v1/calls/4/actions/24/retire', { version: await version() });
    expect(await page()).not.toContain('Verlenging in projectjaar 4');

    await api('patch', '/api/v1/calls/4', { version: await version(), ...DECISION_LETTER_SETTINGS });
    await api('post', '/api/v1/calls/4/publish', { version: await version() });
    const text = await page();
    expect(text).toContain('Verlenging in projectjaar 4');
    const rows = [
      ...text.matchAll(
        /<th scope="row" class="govuk-table__header">(\d+)\. [^<]*<\/th>\s*<td[^>]*><strong[^>]*>([^<]+)<\/strong><\/td>\s*<td[^>]*><ul[^>]*>(.*?)<\/ul>/gs,
      ),
    ].map((m) => [Number(m[1]), m[2], [...m[3].matchAll(/<li>(.*?)<\/li>/g)].map((li) => li[1])]);
    expect(rows).toEqual([
      [
        5,
        'Te verlengen',
        [expect.stringMatching(/^KPI-lijn 5\.1 \([^)]+\): tussentijds 3 van 10 gerealiseerd \(30 %\), minstens de 25 % die nodig is: te verlengen\.$/)],
      ],
      [
        9,
        'Niet te verlengen',
        [
          expect.stringMatching(
            /^KPI-lijn 9\.1 \([^)]+\): tussentijds 0 van 4 gerealiseerd \(0 %\), minder dan de 25 % die nodig is, en geen positieve evaluatie of afwijking van ABB: niet te verlengen\.$/,
          ),
        ],
      ],
      [24, 'Niet te verlengen', ['Actie 24 staat niet in het menu van projectjaar 4: niet te verlengen.']],
    ]);
  });
});
