import request from 'supertest';
import { DEMO_PAYING_ACCOUNT } from '@ps/config';
import { plainReference, sepaText } from '@ps/payments';
import { threeApprovedAndOnePending } from '../support/allocation-fixture';
import { ApprovedFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { publishByTwo, releaseByTwo } from '../support/four-eyes';
import { readPain001 } from '../support/pain001';
import { signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const TABLES = ['allocation_run', 'payment', 'money_proposal', 'settlement', 'applicant', 'audit_event'];
const NEW_IBAN = 'BE71096123456769';

/**
 * Issue 26: the SEPA credit transfer file (pain.001.001.03) of each released payment list. The call of
 * `threeApprovedAndOnePending` (A €12.000, B €6.000, C €3.500, budget €15.000): advances 714.285, 214.285 and 271.428
 * cents (allocation.e2e-spec.ts computes them by hand). The clock stands on Wednesday 9 December 2026.
 */
describe('the SEPA payment file of a released payment list', () => {
  let f: Factories;
  let call: CallFixture;
  let a: ApprovedFixture;
  let b: ApprovedFixture;
  let c: ApprovedFixture;
  let reviewer: string;
  let admin: string;
  let analyst: string;
  let officerA: string;
  let runId: number;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const lists = async (token = reviewer) => (await request(f.http).get(`/api/v1/allocation-runs/${runId}/payment-files`).set(as(token)).expect(200)).body;
  const file = (number: number, query: Record<string, string> = {}, token = reviewer, run = runId) =>
    request(f.http).get(`/api/v1/allocation-runs/${run}/payment-files/${number}/sepa.xml`).query(query).set(as(token));
  const releasedTransfers = async () =>
    (await request(f.http).get(`/api/v1/allocation-runs/${runId}/payments`).set(as(reviewer)).expect(200)).body.items.filter(
      (p: { releasedAt: string | null; kind: string }) => p.releasedAt !== null && p.kind !== 'recovery',
    );
  const unchangedBy = async (attempt: () => Promise<unknown>) => {
    const before = await snapshot(f.dataSource, TABLES);
    await attempt();
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  };

  beforeAll(async () => {
    f = await startFactories({ http: true, now: new Date('2026-12-09T10:00:00Z') });
    ({ call, a, b, c } = await threeApprovedAndOnePending(f));
    [reviewer, admin, analyst, officerA] = await Promise.all([
      f.actors.reviewer().then((x) => f.bearer(x)),
      f.actors.administrator().then((x) => f.bearer(x)),
      f.actors.another('vvsg-analyst', 'Vera VVSG').then((x) => f.bearer(x)),
      f.bearer(a.applicant.officer),
    ]);
    runId = (await request(f.http).post(`/api/v1/calls/${call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201)).body.id;
  });
  afterAll(() => f?.close());

  it('has no file before publication, nor before a release', async () => {
    await unchangedBy(async () => {
      expect((await request(f.http).get(`/api/v1/allocation-runs/${runId}/payment-files`).set(as(reviewer)).expect(409)).body.message).toBe(
        'Een betaallijst bestaat pas voor een gepubliceerde verdeling.',
      );
      await file(1).expect(409);
    });
    await publishByTwo(f.http, runId, { confirmPendingReview: true, reason: 'D volgt later.' }, reviewer, admin);
    await unchangedBy(async () => {
      expect((await lists()).lists).toEqual([]);
      await file(1).expect(404);
    });
  });

  it('pays the released list exactly: every advance to the confirmed account with its structured communication, sums equal to the list', async () => {
    await releaseByTwo(f.http, runId, reviewer, admin);
    const released = await releasedTransfers();
    expect(released).toHaveLength(3);
    const total = released.reduce((sum: number, p: { amountCents: number }) => sum + p.amountCents, 0);
    expect(total).toBe(714_285 + 214_285 + 271_428);

    expect(await lists()).toMatchObject({
      run: { id: runId, callYear: call.year },
      payer: { ...DEMO_PAYING_ACCOUNT, demo: true },
      defaultExecutionDate: '2026-12-10',
      lists: [
        {
          number: 1,
          creditTransfers: 3,
          creditTransferCents: total,
          recoveries: 0,
          recoveryCents: 0,
          withoutConfirmedAccount: [],
          messageId: `PLANSAMEN-V${runId}-R1`,
        },
      ],
    });

    const res = await file(1, { executionDate: '2026-12-14' })
      .expect(200)
      .expect('Content-Type', /application\/xml/);
    expect(res.headers['content-disposition']).toContain(`sepa-projectjaar-${call.year}-verdeling-${runId}-lijst-1-uitvoering-2026-12-14.xml`);
    const read = readPain001(res.text);
    expect(read.problems).toEqual([]);
    expect(read).toMatchObject({
      messageId: `PLANSAMEN-V${runId}-R1`,
      paymentInformationId: `PLANSAMEN-V${runId}-R1-1`,
      executionDate: '2026-12-14',
      payer: { name: DEMO_PAYING_ACCOUNT.name, iban: DEMO_PAYING_ACCOUNT.iban, bic: DEMO_PAYING_ACCOUNT.bic },
      count: released.length,
      controlSumCents: total,
    });
    const names = new Map([a, b, c].map((x) => [x.applicant.id, x.applicant.nameNl]));
    expect(read.transfers).toEqual(
      released.map((p: { applicantId: number; amountCents: number; reference: string }) => ({
        endToEndId: `PS-${plainReference(p.reference)}`,
        name: sepaText(names.get(p.applicantId)!),
        iban: 'BE68539007547034',
        amountCents: p.amountCents,
        reference: plainReference(p.reference),
      })),
    );
    expect(res.text).not.toContain('+++');

    // Downloaded again: the same ids, the same bytes; without a date, the next weekday.
    expect((await file(1, { executionDate: '2026-12-14' }).expect(200)).text).toBe(res.text);
    const byDefault = readPain001((await file(1).expect(200)).text);
    expect([byDefault.messageId, byDefault.paymentInformationId, byDefault.executionDate]).toEqual([read.messageId, read.paymentInformationId, '2026-12-10']);
  });

  it('never pays an account that is not confirmed: a changed, unconfirmed IBAN stays out, an applicant without a confirmed one blocks the file', async () => {
    const before = (await file(1, { executionDate: '2026-12-14' }).expect(200)).text;
    const detail = (await request(f.http).get(`/api/v1/applicants/${a.applicant.id}`).set(as(reviewer)).expect(200)).body;
    const changed = (
      await request(f.http)
        .put(`/api/v1/applicants/${a.applicant.id}/contact`)
        .set(as(reviewer))
        .send({
          contactName: detail.contact.name,
          contactEmail: detail.contact.email,
          contactPhone: detail.contact.phone,
          payoutIban: NEW_IBAN,
          version: detail.version,
        })
        .expect(200)
    ).body;
    expect(changed).toMatchObject({ payoutChangePending: true, confirmedPayoutIban: 'BE68539007547034' });
    const after = (await file(1, { executionDate: '2026-12-14' }).expect(200)).text;
    expect(after).toBe(before);
    expect(after).not.toContain(NEW_IBAN);
    expect(readPain001(after).transfers.map((t) => t.iban)).toEqual(['BE68539007547034', 'BE68539007547034', 'BE68539007547034']);

    // An applicant without a confirmed account (as before confirmation existed): no file at all, the page says who.
    const [{ confirmed_payout_iban: kept }] = await f.dataSource.query(`SELECT confirmed_payout_iban FROM applicant WHERE id = $1`, [b.applicant.id]);
    await f.dataSource.query(`UPDATE applicant SET confirmed_payout_iban = NULL WHERE id = $1`, [b.applicant.id]);
    try {
      await unchangedBy(async () => {
        const refused = (await file(1).expect(409)).body;
        expect(refused.message).toContain(`Geen bevestigd rekeningnummer voor ${b.applicant.nameNl}.`);
        expect((await lists()).lists[0]).toMatchObject({ creditTransfers: 2, withoutConfirmedAccount: [b.applicant.nameNl] });
      });
    } finally {
      await f.dataSource.query(`UPDATE applicant SET confirmed_payout_iban = $1 WHERE id = $2`, [kept, b.applicant.id]);
    }
  });

  it('refuses a bad execution date per field in Dutch, unknown runs and lists, and other roles, and changes nothing', async () => {
    await unchangedBy(async () => {
      for (const [executionDate, message] of [
        ['2026-02-30', 'Geef de uitvoeringsdatum als JJJJ-MM-DD, bijvoorbeeld 2026-03-02.'],
        ['14/12/2026', 'Geef de uitvoeringsdatum als JJJJ-MM-DD, bijvoorbeeld 2026-03-02.'],
        ['2026-12-08', 'De uitvoeringsdatum ligt in het verleden: kies vandaag of later.'],
        ['2026-12-12', 'Banken voeren een overschrijving niet uit op zaterdag of zondag: kies een werkdag.'],
        ['2027-12-10', 'Kies een uitvoeringsdatum binnen een jaar: banken aanvaarden geen latere.'],
        ['2026-12-140', 'Geef de uitvoeringsdatum als JJJJ-MM-DD, bijvoorbeeld 2026-03-02.'],
      ]) {
        const body = (await file(1, { executionDate }).expect(422)).body;
        expect([executionDate, body.errors]).toEqual([executionDate, { executionDate: [message] }]);
      }
      await file(2).expect(404);
      await file(1, {}, reviewer, 999_999).expect(404);
      await request(f.http).get(`/api/v1/allocation-runs/${runId}/payment-files/0/sepa.xml`).set(as(reviewer)).expect(422);
      await request(f.http).get(`/api/v1/allocation-runs/999999/payment-files`).set(as(reviewer)).expect(404);
      for (const token of [analyst, officerA]) {
        await file(1, {}, token).expect(403);
        await request(f.http).get(`/api/v1/allocation-runs/${runId}/payment-files`).set(as(token)).expect(403);
      }
      await request(f.http).get(`/api/v1/allocation-runs/${runId}/payment-files/1/sepa.xml`).expect(401);
      await file(1, {}, admin).expect(200);
    });
  });

  it('gives each later release a file of its own; recoveries never are in one, and a list of recoveries only has none', async () => {
    const line = (id: number, kpiLineId: number, realisedQuantity: number) =>
      request(f.http).put(`/api/v1/applications/${id}/settlement/lines/${kpiLineId}`).set(as(reviewer)).send({ realisedQuantity }).expect(200);
    const settle = (id: number) => request(f.http).post(`/api/v1/applications/${id}/settlement/close`).set(as(reviewer)).expect(200);
    // C realises everything: balance 357.143 − 285.714 … as the settlement computes it; A realises nothing of action 5: a recovery.
    await line(c.id, call.line(5).id, 1);
    await settle(c.id);
    await line(a.id, call.line(5).id, 0);
    await line(a.id, call.line(9).id, 4);
    await settle(a.id);
    await releaseByTwo(f.http, runId, reviewer, admin);
    const payments = (await request(f.http).get(`/api/v1/allocation-runs/${runId}/payments`).set(as(reviewer)).expect(200)).body.items;
    const second = payments.filter((p: { kind: string }) => p.kind !== 'advance');
    const balance = second.find((p: { kind: string }) => p.kind === 'balance');
    const recovery = second.find((p: { kind: string }) => p.kind === 'recovery');
    expect([balance?.applicantId, recovery?.applicantId]).toEqual([c.applicant.id, a.applicant.id]);

    expect(
      (await lists()).lists.map((l: { number: number; creditTransfers: number; recoveries: number; creditTransferCents: number; recoveryCents: number }) => l),
    ).toMatchObject([
      { number: 1, creditTransfers: 3 },
      {
        number: 2,
        creditTransfers: 1,
        creditTransferCents: balance.amountCents,
        recoveries: 1,
        recoveryCents: recovery.amountCents,
        messageId: `PLANSAMEN-V${runId}-R2`,
      },
    ]);
    const read = readPain001((await file(2).expect(200)).text);
    expect(read.problems).toEqual([]);
    expect(read).toMatchObject({ messageId: `PLANSAMEN-V${runId}-R2`, count: 1, controlSumCents: balance.amountCents });
    expect(read.transfers.map((t) => t.reference)).toEqual([plainReference(balance.reference)]);
    // The first list's file is as it was.
    expect(readPain001((await file(1).expect(200)).text)).toMatchObject({ messageId: `PLANSAMEN-V${runId}-R1`, count: 3 });

    // B realises nothing: its advance is recovered, a list of that recovery only.
    await line(b.id, call.line(9).id, 0);
    await line(b.id, call.line(5).id, 0);
    await settle(b.id);
    await releaseByTwo(f.http, runId, reviewer, admin);
    expect((await lists()).lists[2]).toMatchObject({ number: 3, creditTransfers: 0, recoveries: 1, messageId: null });
    await unchangedBy(async () => expect((await file(3).expect(409)).body.message).toContain('enkel terugvorderingen'));
  });

  it('serves the page with a form per list, the file from it, and a refused date next to its field', async () => {
    const agent = await signIn({ http: f.http }, 'beoordelaar@service.test', 'een lang wachtwoord voor tests');
    const page = await agent.get(`/verdelingen/${runId}/betaalbestanden`).expect(200);
    expect(page.text).toContain('SEPA-bestand van betaallijst 1 downloaden');
    expect(page.text).toContain('Dit is de demorekening');
    const xml = await agent.get(`/verdelingen/${runId}/betaalbestanden/1`).query({ uitvoeringsdatum: '2026-12-14' }).expect(200).expect('Content-Type', /xml/);
    expect(xml.text).toBe((await file(1, { executionDate: '2026-12-14' }).expect(200)).text);
    const refused = await agent.get(`/verdelingen/${runId}/betaalbestanden/1`).query({ uitvoeringsdatum: '2026-12-12' }).expect(422);
    expect(refused.text).toContain('href="#uitvoeringsdatum-1"');
    expect(refused.text).toContain('Banken voeren een overschrijving niet uit op zaterdag of zondag');
    expect(refused.text).toContain('value="2026-12-12"');
    await agent.get(`/verdelingen/${runId}/betaalbestanden/9`).expect(404);
  });
});
