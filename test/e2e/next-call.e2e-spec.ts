import request from 'supertest';
import { binary } from '../support/binary';
import { ApprovedFixture, CallFixture, DECISION_LETTER_SETTINGS, Factories, startFactories } from '../support/factories';

/** Inside call 3's window as it ran; call 4, copied from it, has the same window a year later. */
const YEAR_3 = new Date('2024-04-30T10:00:00Z');
const YEAR_4 = new Date('2025-04-30T10:00:00Z');

/**
 * Issue 24, "Done when": ABB creates year 4 from year 3, changes a unit amount, adds an action with a KPI line and retires
 * one, publishes; an officer registers and submits; ABB approves, allocates and publishes. Year 3's overviews, letters
 * and exports are byte for byte what they were.
 */
describe('the next call, from creation to a published allocation, leaves the year before untouched', () => {
  let f: Factories;
  let three: CallFixture;
  let approved3: ApprovedFixture;
  let run3: number;
  let reviewer: string;
  let admin: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** Publishes an allocation run: at once, or (with four eyes) proposed by a reviewer and approved by an administrator. */
  async function publishRun(runId: number) {
    const res = await request(f.http).post(`/api/v1/allocation-runs/${runId}/publish`).set(as(reviewer)).send({});
    expect([200, 201]).toContain(res.status);
    if (res.body.published === true) return;
    const proposal = (await request(f.http).get(`/api/v1/proposals/${res.body.id}`).set(as(admin)).expect(200)).body;
    await request(f.http).post(`/api/v1/proposals/${res.body.id}/approve`).set(as(admin)).send({ version: proposal.version }).expect(200);
  }

  /** Every output of year 3 an outsider reads, as bytes, at the same clock. */
  async function outputsOfYear3(): Promise<Record<string, Buffer>> {
    f.clock.set(YEAR_3);
    const paths = [
      '/api/v1/calls/3',
      '/api/v1/calls/3/menu',
      `/api/v1/applications/${approved3.id}`,
      `/api/v1/applications/${approved3.id}/decision-letter`,
      `/api/v1/applications/${approved3.id}/decision-letter.pdf`,
      `/api/v1/applications/${approved3.id}/allocation`,
      `/api/v1/allocation-runs/${run3}`,
      '/api/v1/overviews/kpi-lines.csv?year=3',
      '/api/v1/overviews/actions.csv?year=3',
      '/api/v1/overviews/local-governments.csv?year=3',
      '/overzichten/kpi-lijnen.csv?year=3',
    ];
    const outputs: Record<string, Buffer> = {};
    for (const path of paths) {
      const res = await request(f.http).get(path).set(as(reviewer)).buffer(true).parse(binary).expect(200);
      outputs[path] = res.body as Buffer;
    }
    return outputs;
  }

  beforeAll(async () => {
    f = await startFactories({ http: true, now: YEAR_3 });
    // Tokens valid across both years the clock visits.
    [reviewer, admin] = await Promise.all([f.actors.reviewer().then((x) => f.bearer(x, 800)), f.actors.administrator().then((x) => f.bearer(x, 800))]);
    // Year 3 with history: two approved applications (actions 5, 9 and 24), allocated and published.
    three = await f.aCall({ year: 3, settings: { onlyExistingApplicants: 'false' } });
    approved3 = await f.anApprovedApplication(three, {
      lines: [
        { action: 5, planned: 10 },
        { action: 24, planned: 2 },
      ],
    });
    await f.anApprovedApplication(three, { lines: [{ action: 9, planned: 3 }] });
    run3 = (await request(f.http).post('/api/v1/calls/3/allocation-runs').set(as(reviewer)).send({}).expect(201)).body.id;
    await publishRun(run3);
  });
  afterAll(() => f?.close());

  it('walks the whole path, and year 3 reads the same bytes before and after', async () => {
    const before = await outputsOfYear3();
    f.clock.set(YEAR_4);
    const api = (method: 'post' | 'put' | 'patch', path: string, body: object, status = 200) =>
      request(f.http)[method](path).set(as(admin)).send(body).expect(status);
    const version = async () => (await request(f.http).get('/api/v1/calls/4').set(as(admin)).expect(200)).body.version;

    // 1. ABB creates year 4 from year 3.
    expect((await api('post', '/api/v1/calls', { fromYear: 3 }, 201)).body).toMatchObject({ yearNumber: 4, state: 'draft' });
    // 2. A new unit amount for action 5, a renamed action 5, a new action with a KPI line, action 24 retired; new applicants welcome.
    const [line5] = await f.dataSource.query(
      `SELECT k.id FROM kpi_line k JOIN call c ON c.id = k.call_id WHERE c.year_number = 4 AND k.action_number = 5 AND k.position = 1`,
    );
    await api('put', `/api/v1/calls/4/kpi-lines/${line5.id}`, { version: await version(), maxQuantity: 500, unitAmountEuro: '123,45' });
    await api('patch', '/api/v1/calls/4/actions/5', { version: await version(), titleNl: 'Nederlands oefenen in het dagelijks leven' });
    await api('post', '/api/v1/calls/4/actions', { version: await version(), objectiveCode: 'nederlands', titleNl: 'Taalcafés in de bibliotheek' }, 201);
    const withLine = { descriptionNl: 'Deelnemers aan een taalcafé', unitNl: 'deelnemers', maxQuantity: 300, unitAmountEuro: '40' };
    await api('post', '/api/v1/calls/4/kpi-lines', { version: await version(), actionNumber: 25, ...withLine }, 201);
    await api('post', '/api/v1/calls/4/actions/24/retire', { version: await version() });
    await api('patch', '/api/v1/calls/4', { version: await version(), onlyExistingApplicants: 'false', applicantsOfYear: '', ...DECISION_LETTER_SETTINGS });
    // 3. ABB publishes the call.
    expect((await api('post', '/api/v1/calls/4/publish', { version: await version() })).body.state).toBe('published');

    // 4. An officer of a merged municipality registers and submits; 5. ABB approves, allocates and publishes.
    const four = await f.callFixture(4);
    expect(four.line(5).unitAmountCents).toBe(12_345);
    // The merged municipality Beveren-Kruibeke-Zwijndrecht (NIS 46030, since 1 January 2025), alone.
    const approved4 = await f.anApprovedApplication(four, {
      applicant: { lead: '46030' },
      lines: [
        { action: 25, planned: 20 },
        { action: 5, planned: 4 },
      ],
    });
    const run4 = (await request(f.http).post('/api/v1/calls/4/allocation-runs').set(as(reviewer)).send({}).expect(201)).body;
    expect(run4.confirmedCents).toBe(20 * 4_000 + 4 * 12_345);
    await publishRun(run4.id);
    const letter4 = (await request(f.http).get(`/api/v1/applications/${approved4.id}/decision-letter`).set(as(reviewer)).expect(200)).text;
    expect(letter4).toContain('Taalcafés in de bibliotheek');
    expect(letter4).toContain('Nederlands oefenen in het dagelijks leven');
    const overview4 = (await request(f.http).get('/api/v1/overviews/kpi-lines.csv?year=4').set(as(reviewer)).expect(200)).text;
    expect(overview4).toContain('Taalcafés in de bibliotheek');

    const after = await outputsOfYear3();
    for (const path of Object.keys(before)) expect({ path, same: after[path].equals(before[path]) }).toEqual({ path, same: true });
    expect(before['/api/v1/calls/3/menu'].toString()).not.toContain('Taalcafés');
    expect(before[`/api/v1/applications/${approved3.id}/decision-letter`].toString()).not.toContain('dagelijks leven');
  });
});
