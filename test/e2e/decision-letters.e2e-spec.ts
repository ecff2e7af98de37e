import request from 'supertest';
import { formatEuro } from '@ps/kernel';
import { binary } from '../support/binary';
import { CallFixture, Factories, startFactories, SubmittedFixture } from '../support/factories';
import { pageTexts } from '../support/pdf';
import { auditOf } from '../support/sessions';

/** Inside call 3's window as it ran. */
const YEAR_3 = new Date('2024-04-30T10:00:00Z');
const APPEAL =
  'Tegen deze beslissing kunt u binnen 60 dagen na de kennisgeving een beroep tot nietigverklaring instellen bij de Raad van State.\nDat kan elektronisch via de e-procedure van de Raad van State.';

/**
 * Issue 25, "Decision letters that hold up as decisions": the letter names its addressee, date and reference, the
 * reduction of each line with its reason, when the advance and the balance are paid, the signatory and the means of
 * appeal that ABB sets per call; in HTML and in the PDF, read back as text.
 */
describe('decision letters that hold up as decisions', () => {
  let f: Factories;
  let three: CallFixture;
  let submitted: SubmittedFixture;
  let reviewer: string;
  let admin: string;
  let officer: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const call = async () => (await request(f.http).get('/api/v1/calls/3').set(as(admin)).expect(200)).body;
  const application = async () => (await request(f.http).get(`/api/v1/applications/${submitted.id}`).set(as(reviewer)).expect(200)).body;
  const pdfText = async (token: string) => {
    const res = await request(f.http).get(`/api/v1/applications/${submitted.id}/decision-letter.pdf`).set(as(token)).buffer(true).parse(binary).expect(200);
    return { bytes: res.body as Buffer, text: (await pageTexts(res.body as Buffer)).join(' ') };
  };
  const plain = (text: string) => text.replace(/[\u00A0\u202F]/g, ' ');

  beforeAll(async () => {
    f = await startFactories({ http: true, now: YEAR_3 });
    [reviewer, admin] = await Promise.all([f.actors.reviewer().then((x) => f.bearer(x)), f.actors.administrator().then((x) => f.bearer(x))]);
    three = await f.aCall({ year: 3, settings: { onlyExistingApplicants: 'false' } });
    submitted = await f.aSubmittedApplication(three, {
      lines: [
        { action: 5, planned: 10 },
        { action: 9, planned: 4 },
      ],
    });
    officer = await f.bearer(submitted.applicant.officer);
  });
  afterAll(() => f?.close());

  it('refuses a signatory or appeal text that is too long or holds control characters, per field, and changes nothing', async () => {
    const before = await call();
    const patch = (body: object) =>
      request(f.http)
        .patch('/api/v1/calls/3')
        .set(as(admin))
        .send({ version: before.version, ...body })
        .expect(422);
    expect((await patch({ signatoryName: 'A\u0007B' })).body.errors).toEqual({ signatoryName: ['Dit veld bevat ongeldige tekens.'] });
    expect((await patch({ signatoryFunction: 'f'.repeat(201), appealText: 'x'.repeat(2001) })).body.errors).toEqual({
      signatoryFunction: ['Geef een tekst van hoogstens 200 tekens, zonder stuurtekens.'],
      appealText: ['Geef een tekst van hoogstens 2.000 tekens, zonder stuurtekens.'],
    });
    expect(await call()).toEqual(before);
    expect(before).toMatchObject({ signatoryName: null, signatoryFunction: null, appealText: null });
  });

  it('sets the signatory and the means of appeal per call with a versioned, audited save; a stale save is refused', async () => {
    const before = await call();
    const change = { signatoryName: 'An Peeters', signatoryFunction: 'Afdelingshoofd Lokale Besturen', appealText: APPEAL };
    const res = await request(f.http)
      .patch('/api/v1/calls/3')
      .set(as(admin))
      .send({ version: before.version, ...change })
      .expect(200);
    expect(res.body).toMatchObject({ ...change, version: before.version + 1 });
    const stale = await request(f.http).patch('/api/v1/calls/3').set(as(admin)).send({ version: before.version, signatoryName: 'Iemand anders' }).expect(409);
    expect(stale.body.message).toBeTruthy();
    expect((await call()).signatoryName).toBe('An Peeters');
    const audit = (await auditOf(f.dataSource, 'call', 3)).at(-1);
    expect(audit.action).toBe('settings-updated');
    expect(audit.after).toEqual(change);
    expect(audit.before).toEqual({ signatoryName: null, signatoryFunction: null, appealText: null });
  });

  it('refuses a reduction reason that is no text or too long, and approves nothing', async () => {
    await request(f.http)
      .post(`/api/v1/applications/${submitted.id}/start-review`)
      .set(as(reviewer))
      .send({ version: submitted.application.version })
      .expect(200);
    const before = await application();
    const [five, nine] = submitted.lines;
    const res = await request(f.http)
      .post(`/api/v1/applications/${submitted.id}/approve`)
      .set(as(reviewer))
      .send({
        version: before.version,
        confirmed: [
          { kpiLineId: five.kpiLineId, quantity: 10 },
          { kpiLineId: nine.kpiLineId, quantity: 1, reason: 'x'.repeat(1001) },
        ],
      })
      .expect(422);
    expect(res.body.errors).toEqual({ [`reduction-${nine.kpiLineId}`]: ['Geef de reden van de vermindering als tekst van hoogstens 1.000 tekens.'] });
    expect(await application()).toEqual(before);
  });

  it('writes every part of the decision in the HTML letter and, read back as text, in the PDF', async () => {
    const before = await application();
    const [five, nine] = submitted.lines;
    await request(f.http)
      .post(`/api/v1/applications/${submitted.id}/approve`)
      .set(as(reviewer))
      .send({
        version: before.version,
        confirmed: [
          { kpiLineId: five.kpiLineId, quantity: 10, reason: 'Niet verminderd, dus niet in de brief.' },
          { kpiLineId: nine.kpiLineId, quantity: 1, reason: 'Eén groep volstaat voor het aantal nieuwkomers in de gemeente.' },
        ],
      })
      .expect(200);
    const lead = submitted.applicant.lead.nameNl;
    const nineLine = three.line(9);
    const expected = [
      `Aan: Het college van burgemeester en schepenen van ${lead}`,
      'Datum: 30 april 2024',
      `Ons kenmerk: PS-3-${submitted.id}`,
      `${nineLine.actionNumber}. `,
      `: 1 bevestigd van 4 gevraagd. Reden: Eén groep volstaat voor het aantal nieuwkomers in de gemeente.`,
      'Betaling',
      'betaald via de betalingslijst zodra de verdeling van het budget gepubliceerd is.',
      'betaald na de aanvaarding van de eindrapportage',
      'Rapportering en voorwaarden',
      'Beroepsmogelijkheden',
      'Tegen deze beslissing kunt u binnen 60 dagen na de kennisgeving een beroep tot nietigverklaring instellen bij de Raad van State.',
      'Dat kan elektronisch via de e-procedure van de Raad van State.',
      'An Peeters',
      'Afdelingshoofd Lokale Besturen',
    ];
    const html = plain((await request(f.http).get(`/api/v1/applications/${submitted.id}/decision-letter`).set(as(officer)).expect(200)).text);
    const { text } = await pdfText(officer);
    for (const part of expected) {
      expect({ part, html: html.includes(part) }).toEqual({ part, html: true });
      expect({ part, pdf: text.includes(part) }).toEqual({ part, pdf: true });
    }
    const requested = plain(formatEuro(4 * nineLine.unitAmountCents));
    expect(html).toContain(`Gevraagd bedrag</th>`);
    expect(html).toContain(requested);
    expect(text).toContain(`4 ${requested} 1 `);
    for (const letter of [html, text]) expect(letter).not.toContain('Niet verminderd, dus niet in de brief.');
    expect(html).toContain('Namens het Agentschap Binnenlands Bestuur,<br>An Peeters<br>Afdelingshoofd Lokale Besturen');
    expect(text).toContain('Namens het Agentschap Binnenlands Bestuur, An Peeters Afdelingshoofd Lokale Besturen');
  });

  it('keeps a sent PDF byte for byte when ABB later changes the signatory; the HTML shows the call as it is now', async () => {
    const sent = await pdfText(officer);
    const { version } = await call();
    await request(f.http).patch('/api/v1/calls/3').set(as(admin)).send({ version, signatoryName: 'Bram Claes' }).expect(200);
    const again = await pdfText(reviewer);
    expect(again.bytes.equals(sent.bytes)).toBe(true);
    expect(again.text).toContain('An Peeters');
    const html = (await request(f.http).get(`/api/v1/applications/${submitted.id}/decision-letter`).set(as(officer)).expect(200)).text;
    expect(html).toContain('Bram Claes');
  });
});
