import request from 'supertest';
import { ApplicantRegistrationService, ContactPayoutService } from '@ps/applicants';
import { ApplicationsService, DraftInput } from '@ps/applications';
import { Actor } from '@ps/identity';
import { formatBrussels, formatEuro } from '@ps/kernel';
import { ApplicantFixture, CallFixture, Factories, startFactories } from '../support/factories';

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
