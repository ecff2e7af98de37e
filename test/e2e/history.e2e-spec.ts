import request from 'supertest';
import { ApplicantRegistrationService, ContactPayoutService } from '@ps/applicants';
import { ApplicationsService, brusselsLocal, CallLifeService, CallsAdministration, DraftInput } from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { Actor } from '@ps/identity';
import { formatBrussels, formatEuro } from '@ps/kernel';
import { ApplicantFixture, CallFixture, DECISION_LETTER_SETTINGS, Factories, startFactories } from '../support/factories';

/**
 * Issue 25, "History a person can read": Geschiedenis names each event in Dutch, says who and when (Brussels time), and
 * each changed field in words with formatted values; personal fields (who acted, contact persons, accounts) only for
 * the roles that may see them; the API keeps answering the entries as JSON.
 */
const OLD_IBAN = 'BE68539007547034';
const NEW_IBAN = 'BE71096123456769';

describe('history in words', () => {
  let f: Factories;
  let call: CallFixture;
  let applicant: ApplicantFixture;
  let applicationId: number;
  let analyst: Actor;
  let reviewer: Actor;

  const page = async (actor: Actor, path: string) => {
    const res = await request(f.http)
      .get(path)
      .set('Authorization', `Bearer ${await f.bearer(actor)}`)
      .expect(200);
    // The texts as a person reads them: tags gone, entities of the template decoded.
    return res.text
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ');
  };
  const draftWith = (planned: number): DraftInput => ({
    lines: call.kpiLines.map((line) => ({ kpiLineId: line.id, plannedReach: line.id === call.line(5).id ? planned : 0, currentReach: 0 })),
    priorities: [{ actionNumber: 5, priority: 1 }],
  });

  beforeAll(async () => {
    f = await startFactories({ http: true });
    call = await f.aCall();
    applicant = await f.anApplicant(call, { payoutIban: OLD_IBAN });
    const applications = f.get(ApplicationsService);
    let application = await applications.start(applicant.officer, applicant.id);
    application = await applications.saveDraft(applicant.officer, application.id, application.version, draftWith(200));
    application = await applications.saveDraft(applicant.officer, application.id, application.version, draftWith(300));
    applicationId = application.id;
    const detail = (await f.get(ApplicantRegistrationService).get(applicant.id))!;
    await f.get(ContactPayoutService).updateContact(applicant.officer, applicant.id, {
      contactName: detail.contact.name!,
      contactEmail: detail.contact.email!,
      contactPhone: detail.contact.phone!,
      payoutIban: NEW_IBAN,
      version: detail.version,
    });
    reviewer = await f.actors.reviewer();
    analyst = await f.actors.another('vvsg-analyst', 'Vera Analist');
  }, 600_000);

  afterAll(() => f?.close());

  it('shows the application’s drafts in words: the event, who, when in Brussels time, the line and the money', async () => {
    const line = call.line(5);
    const officerName = applicant.officer.label.replace(/\s*<.*$/, '');
    const entries = (
      await request(f.http)
        .get(`/api/v1/history/application/${applicationId}`)
        .set('Authorization', `Bearer ${await f.bearer(reviewer)}`)
        .expect(200)
    ).body as { action: string; occurredAt: string; after: { lines: { planned: number }[] } }[];
    const saves = entries.filter((e) => e.action === 'draft-saved');
    expect(saves).toHaveLength(2);
    for (const actor of [applicant.officer, reviewer]) {
      const text = await page(actor, `/geschiedenis/application/${applicationId}`);
      expect(text).toContain('Ontwerp bewaard');
      expect(text).toContain('Aangemaakt');
      expect(text).not.toContain('draft-saved');
      expect(text).toContain(`Gepland bereik, actie 5 (${line.unitNl}): 200 → 300`);
      expect(text).toContain(`Gepland bereik, actie 5 (${line.unitNl}): — → 200`);
      // (The page's text has its spaces collapsed, the euro sign's no-break space too.)
      expect(text).toContain(`Vlaamse bijdrage: ${formatEuro(200 * line.unitAmountCents)} → ${formatEuro(300 * line.unitAmountCents)}`.replace(/\s+/g, ' '));
      expect(text).toContain('Prioriteit, actie 5: — → 1');
      expect(text).not.toMatch(/Bevestigd aantal[^:]*: — → —/);
      expect(text).toContain(formatBrussels(new Date(saves[1].occurredAt)));
      expect(text).toContain(officerName);
      expect(text).not.toContain('flemishContributionCents');
    }
  });

  it('shows the account change to the officer and ABB, and hides it and who acted from the VVSG analyst', async () => {
    const officerName = applicant.officer.label.replace(/\s*<.*$/, '');
    for (const actor of [applicant.officer, reviewer]) {
      const text = await page(actor, `/geschiedenis/applicant/${applicant.id}`);
      expect(text).toContain('Contactgegevens gewijzigd');
      expect(text).toContain('Rekeningnummer: BE68 5390 0754 7034 → BE71 0961 2345 6769');
      expect(text).toContain(officerName);
      expect(text).not.toContain('afgeschermd');
    }
    const seen = await page(analyst, `/geschiedenis/applicant/${applicant.id}`);
    expect(seen).toContain('Contactgegevens gewijzigd');
    expect(seen).toContain('Persoonsgegevens (wie iets deed, contactpersonen, rekeningnummers) zijn afgeschermd voor uw rol.');
    expect(seen).toContain('afgeschermd');
    for (const hidden of ['BE68', 'BE71', OLD_IBAN, NEW_IBAN, officerName, applicant.officer.label])
      expect([hidden, seen.includes(hidden)]).toEqual([hidden, false]);
    // The analyst still reads the application's history in words, without who acted.
    const application = await page(analyst, `/geschiedenis/application/${applicationId}`);
    expect(application).toContain(`Gepland bereik, actie 5 (${call.line(5).unitNl}): 200 → 300`);
    expect(application).not.toContain(officerName);
  });

  it('tells a call’s life in Dutch: created, its settings, its menu, published and closed; the API keeps the codes', async () => {
    const admin = await f.actors.administrator();
    const life = f.get(CallLifeService);
    const latest = (await f.get(CatalogueService).listCalls()).at(-1)!.yearNumber;
    const year = await life.createNext(admin, latest);
    const read = async () =>
      (
        await request(f.http)
          .get(`/api/v1/calls/${year}`)
          .set('Authorization', `Bearer ${await f.bearer(admin)}`)
          .expect(200)
      ).body as { version: number; budgetCents: number; advancePercent: number; submissionClosesAt: string; nameNl: string };
    const was = await read();
    const closes = new Date(new Date(was.submissionClosesAt).getTime() + 7 * 24 * 3600_000);
    await f.get(CallsAdministration).updateSettings(admin, year, {
      version: was.version,
      budgetEuro: '18000000',
      advancePercent: String(was.advancePercent === 60 ? 70 : 60),
      reclaimRule: 'none',
      submissionCloses: brusselsLocal(closes),
      ...DECISION_LETTER_SETTINGS,
    });
    await life.addObjective(admin, year, { version: (await read()).version, code: 'samen-werken', nameNl: 'Samen werken' });
    const number = await life.addAction(admin, year, { version: (await read()).version, objectiveCode: 'samen-werken', titleNl: 'Buddywerking', funded: true });
    await life.changeAction(admin, year, number, { version: (await read()).version, titleNl: 'Buddywerking voor nieuwkomers' });
    const lineId = await life.addKpiLine(admin, year, {
      version: (await read()).version,
      actionNumber: number,
      descriptionNl: 'Aantal buddyparen',
      unitNl: 'buddyparen',
      maxQuantity: 40,
      unitAmountEuro: '250',
    });
    await life.retireKpiLine(admin, year, lineId, (await read()).version);
    await life.retireAction(admin, year, number, (await read()).version);
    await life.moveTo(admin, year, 'published', (await read()).version);
    await life.moveTo(admin, year, 'closed', (await read()).version);

    const entries = (
      await request(f.http)
        .get(`/api/v1/history/call/${year}`)
        .set('Authorization', `Bearer ${await f.bearer(reviewer)}`)
        .expect(200)
    ).body as { action: string; after: Record<string, unknown> | null }[];
    expect(entries.map((e) => e.action)).toEqual([
      'created',
      'settings-updated',
      'objective-added',
      'action-added',
      'action-changed',
      'kpi-line-added',
      'kpi-line-retired',
      'action-retired',
      'published',
      'closed',
    ]);
    expect(entries[1].after).toMatchObject({ budgetEuro: 1_800_000_000, reclaimRule: 'none' });
    expect(entries[2].after).toMatchObject({ code: 'samen-werken', catalogueVersion: expect.any(Number) });

    const euro = (cents: number) => formatEuro(cents).replace(/\s+/g, ' ');
    for (const actor of [admin, reviewer]) {
      const text = await page(actor, `/geschiedenis/call/${year}`);
      for (const shown of [
        'Aangemaakt',
        `Gekopieerd van projectjaar: — → ${latest}`,
        `Naam: — → ${was.nameNl}`,
        'Toestand: — → ontwerp',
        'Instellingen gewijzigd',
        `Indienen sluit: ${formatBrussels(new Date(was.submissionClosesAt))} → ${formatBrussels(closes)}`,
        `Budget: ${was.budgetCents === null ? '—' : euro(was.budgetCents)} → ${euro(1_800_000_000)}`,
        `Voorschot: ${was.advancePercent} % → ${was.advancePercent === 60 ? 70 : 60} %`,
        'Terugvordering: in verhouding tot het niet-gerealiseerde deel → geen terugvordering',
        'Doelstelling toegevoegd',
        'Code: — → samen-werken',
        'Naam: — → Samen werken',
        'Actie toegevoegd',
        `Actienummer: — → ${number}`,
        'Titel: — → Buddywerking',
        'Gefinancierd: — → ja',
        'Actie gewijzigd',
        'Titel: Buddywerking → Buddywerking voor nieuwkomers',
        'KPI-lijn toegevoegd',
        `KPI-lijn (nummer): — → ${lineId}`,
        'Eenheid: — → buddyparen',
        'Maximaal aantal: — → 40',
        `Bedrag per eenheid: — → ${euro(25_000)}`,
        'KPI-lijn geschrapt',
        'Eenheid: buddyparen → —',
        'Actie geschrapt',
        'Titel: Buddywerking voor nieuwkomers → —',
        'Gepubliceerd',
        'Toestand: ontwerp → gepubliceerd',
        'Afgesloten',
        'Toestand: gepubliceerd → afgesloten',
      ])
        expect([shown, text.includes(shown)]).toEqual([shown, true]);
      // No codes, keys or JSON: the API keeps those.
      for (const raw of ['settings-updated', 'kpi-line', 'budgetEuro', 'Cents', 'catalogue', 'Catalogue', 'pro-rata', '{', '"', 'Kpi ', 'Euro'])
        expect([raw, text.includes(raw)]).toEqual([raw, false]);
    }
  });

  it('keeps the JSON in the API: codes, raw values, and for the analyst the personal fields null', async () => {
    const asReviewer = await request(f.http)
      .get(`/api/v1/history/applicant/${applicant.id}`)
      .set('Authorization', `Bearer ${await f.bearer(reviewer)}`)
      .expect(200);
    const change = (asReviewer.body as { action: string; before: { contact: { iban: string } }; after: { contact: { iban: string } }; actorLabel: string }[])
      .filter((e) => e.action === 'contact-updated')
      .at(-1)!;
    expect([change.before.contact.iban, change.after.contact.iban]).toEqual([OLD_IBAN, NEW_IBAN]);
    expect(change.actorLabel).toBe(applicant.officer.label);
    const asAnalyst = await request(f.http)
      .get(`/api/v1/history/applicant/${applicant.id}`)
      .set('Authorization', `Bearer ${await f.bearer(analyst)}`)
      .expect(200);
    const hidden = (asAnalyst.body as { action: string; after: { contact: { iban: string | null } }; actorLabel: string | null }[])
      .filter((e) => e.action === 'contact-updated')
      .at(-1)!;
    expect([hidden.after.contact.iban, hidden.actorLabel]).toEqual([null, null]);
  });
});
