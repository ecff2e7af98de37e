import request from 'supertest';
import { ApplicantRegistrationService } from '@ps/applicants';
import { threeApprovedAndOnePending } from '../support/allocation-fixture';
import { ApprovedFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { approveAs } from '../support/four-eyes';
import { Agent, csrfFrom, signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const TABLES = ['allocation_run', 'allocation_share', 'money_proposal', 'payment', 'settlement_line', 'settlement', 'audit_event'];

/**
 * Issue 25, "Irreversible steps ask first, and say what they do": proposing the publication of an allocation and closing
 * a settlement each answer a page with the totals first (the number of advances, the sum of the payment list; the
 * balance or the reclaim), and act only on a second POST that carries the confirmation. Without it nothing changes.
 * The payment list is a page too. When ABB acts for a local government, the texts name it.
 */
describe('confirmation before an irreversible step', () => {
  let f: Factories;
  let call: CallFixture;
  let c: ApprovedFixture;
  let reviewer: string;
  let admin: string;
  let reviewerPage: Agent;
  let runId: number;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const unchangedBy = async <T>(attempt: () => Promise<T>): Promise<T> => {
    const before = await snapshot(f.dataSource, TABLES);
    const result = await attempt();
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
    return result;
  };
  const centsIn = (html: string, id: string) => Number(new RegExp(`id="${id}" data-cents="(-?\\d+)"`).exec(html)![1]);

  beforeAll(async () => {
    f = await startFactories({ http: true });
    ({ call, c } = await threeApprovedAndOnePending(f));
    reviewer = await f.bearer(await f.actors.reviewer());
    admin = await f.bearer(await f.actors.administrator());
    reviewerPage = await signIn(f, 'beoordelaar@service.test', 'een lang wachtwoord voor tests');
    runId = (await request(f.http).post(`/api/v1/calls/${call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201)).body.id;
  }, 600_000);

  afterAll(() => f?.close());

  it('shows the advances and the sum of the payment list before a publication is proposed; only the confirmed POST proposes it', async () => {
    const runPage = await reviewerPage.get(`/verdelingen/${runId}`).expect(200);
    const form = { _csrf: csrfFrom(runPage.text), confirmPendingReview: 'true', reason: 'D volgt later.' };
    const confirm = await unchangedBy(() => reviewerPage.post(`/verdelingen/${runId}/publiceren`).type('form').send(form).expect(200));
    expect(confirm.text).toContain('publiceren?</h1>');
    const rows = [...confirm.text.matchAll(/<td class="govuk-table__cell govuk-table__cell--numeric" data-cents="(\d+)">/g)].map((m) => Number(m[1]));
    expect(rows).toHaveLength(3);
    expect(confirm.text).toContain(`<dd class="govuk-summary-list__value" id="advance-count">3</dd>`);
    const sum = centsIn(confirm.text, 'advances-sum');
    expect(sum).toBe(rows.reduce((x, y) => x + y, 0));
    expect(sum).toBeGreaterThan(0);
    // The confirmation carries the form's answers on.
    expect(confirm.text).toContain('name="reason" value="D volgt later."');
    expect(confirm.text).toContain('name="confirmed" value="ja"');
    // A wrong confirmation value is no confirmation either.
    await unchangedBy(() =>
      reviewerPage
        .post(`/verdelingen/${runId}/publiceren`)
        .type('form')
        .send({ ...form, confirmed: 'true' })
        .expect(200),
    );
    // A refused form still shows its errors on the run's page, not a confirmation.
    const refused = await unchangedBy(() => reviewerPage.post(`/verdelingen/${runId}/publiceren`).type('form').send({ _csrf: form._csrf }).expect(422));
    expect(refused.text).not.toContain('id="advance-count"');

    const proposed = await reviewerPage
      .post(`/verdelingen/${runId}/publiceren`)
      .type('form')
      .send({ ...form, confirmed: 'ja' })
      .expect(303);
    const proposalId = Number(/\/voorstellen\/(\d+)$/.exec(proposed.headers.location)![1]);
    await approveAs(f.http, proposalId, admin);
    const [{ count, total }] = await f.dataSource.query(`SELECT count(*)::int AS count, sum(amount_cents)::bigint AS total FROM payment WHERE run_id = $1`, [
      runId,
    ]);
    expect({ count, total: Number(total) }).toEqual({ count: 3, total: sum });

    // The payment list as a page, with the same sum.
    const list = await reviewerPage.get(`/verdelingen/${runId}/betalingen`).expect(200);
    expect(list.text).toContain(`id="payment-count">3</dd>`);
    expect(centsIn(list.text, 'payment-sum')).toBe(sum);
    expect((await reviewerPage.get(`/verdelingen/${runId}`).expect(200)).text).toContain(`href="/verdelingen/${runId}/betalingen"`);
  });

  it('shows the balance or the reclaim before a settlement is closed; only the confirmed POST closes it', async () => {
    // C's one line (action 5, 1 confirmed) realised 0: a reclaim of the whole line.
    await request(f.http)
      .put(`/api/v1/applications/${c.id}/settlement/lines/${call.line(5).id}`)
      .set(as(reviewer))
      .send({ realisedQuantity: 0 })
      .expect(200);
    const statement = (await request(f.http).get(`/api/v1/applications/${c.id}/settlement`).set(as(reviewer)).expect(200)).body.statement;
    expect(statement.reclaimCents).toBeGreaterThan(0);
    const page = await reviewerPage.get(`/aanvragen/${c.id}/afrekening`).expect(200);
    const confirm = await unchangedBy(() =>
      reviewerPage
        .post(`/aanvragen/${c.id}/afrekening/afsluiten`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) })
        .expect(200),
    );
    expect(confirm.text).toContain('Afrekening afsluiten?</h1>');
    expect(centsIn(confirm.text, 'reclaim')).toBe(statement.reclaimCents);
    expect(centsIn(confirm.text, 'balance')).toBe(statement.balanceCents);
    expect(confirm.text).toContain(statement.toRecoverCents > 0 ? 'Terug te betalen door de aanvrager' : 'Saldo te betalen');
    await reviewerPage
      .post(`/aanvragen/${c.id}/afrekening/afsluiten`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), confirmed: 'ja' })
      .expect(303);
    const [settlement] = await f.dataSource.query(`SELECT count(*)::int AS count FROM settlement WHERE application_id = $1`, [c.id]);
    expect(settlement.count).toBe(1);
    // Once closed, a POST without confirmation is refused as before and changes nothing.
    await unchangedBy(() =>
      reviewerPage
        .post(`/aanvragen/${c.id}/afrekening/afsluiten`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) })
        .expect(409),
    );
  });
  it('names the local government when ABB answers an invitation for it, not "uw lokaal bestuur"', async () => {
    const registration = f.get(ApplicantRegistrationService);
    const cooperation = await f.anApplicant(call, { kind: 'cooperation', size: 3 });
    const invited = cooperation.members[2];
    const removed = await registration.removeMember(cooperation.officer, cooperation.id, invited.id, cooperation.detail.version);
    await registration.addMember(cooperation.officer, cooperation.id, invited.id, removed.version);
    const list = await reviewerPage.get('/uitnodigingen').expect(200);
    expect(list.text).toContain('u kunt namens het uitgenodigde lokaal bestuur antwoorden');
    expect(list.text).not.toContain('heeft uw lokaal bestuur uitgenodigd');
    await reviewerPage
      .post(`/uitnodigingen/${cooperation.id}/${invited.id}/aanvaarden`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text) })
      .expect(303);
    const after = await reviewerPage.get('/uitnodigingen').expect(200);
    expect(after.text).toContain(`De uitnodiging is aanvaard: ${invited.nameNl} neemt deel.`);
    expect(after.text).not.toContain('uw lokaal bestuur neemt deel');
    expect((await registration.get(cooperation.id))!.members.find((m) => m.localGovernmentId === invited.id)!.state).toBe('member');
  });
});
