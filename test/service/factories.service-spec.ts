import { ApplicantRegistrationService } from '@ps/applicants';
import { ApplicationsService, ReviewService } from '@ps/applications';
import { AuditService } from '@ps/audit';
import { UsersService } from '@ps/identity';
import { Conflict, FieldErrors, NotPermitted } from '@ps/kernel';
import { Factories, startFactories } from '../support/factories';

/** The factories of the service tier, proven on a real database (one per file). */
describe('service-tier factories', () => {
  let f: Factories;
  beforeAll(async () => (f = await startFactories()));
  afterAll(() => f?.close());

  describe('aCall', () => {
    it('gives a reference call with its KPI catalogue, open for submission around the clock', async () => {
      const call = await f.aCall({ year: 3 });
      expect(call.year).toBe(3);
      expect(call.kpiLines.length).toBeGreaterThan(20);
      expect(call.line(5).unitAmountCents).toBeGreaterThan(0);
      const now = f.clock.now();
      expect(call.settings.submissionOpensAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(call.settings.submissionClosesAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
    });

    it('sets settings and KPI amounts through the calls administration, audited', async () => {
      const call = await f.aCall({ year: 2, settings: { budgetEuro: 1000000, mentorshipStimulusEuro: 2500 }, kpiLines: [{ action: 5, unitAmountEuro: 75 }] });
      expect(call.settings.budgetCents).toBe(100_000_000);
      expect(call.settings.mentorshipStimulusCents).toBe(250_000);
      expect(call.line(5).unitAmountCents).toBe(7_500);
      const trail = await f.get(AuditService).history('kpi-line', String(call.line(5).id));
      expect(trail.map((row) => row.action)).toEqual(['updated']);
      // Asking again for what is already there changes nothing.
      const again = await f.aCall({ year: 2, settings: { budgetEuro: 1000000 } });
      expect(again.settings.version).toBe(call.settings.version);
    });

    it('names a line the call does not have', async () => {
      const call = await f.aCall({ year: 3 });
      expect(() => call.line(1)).toThrow(/no KPI line 1\.1/);
    });
  });

  describe('anApplicant', () => {
    it('registers an eligible local government alone, with contact person, payout account and letter', async () => {
      const call = await f.aCall();
      const applicant = await f.anApplicant(call);
      expect(applicant.detail).toMatchObject({ kind: 'alone', callId: call.id, eligibility: { eligible: true } });
      expect(applicant.detail.contact.iban).toBe('BE68539007547034');
      expect(applicant.members.map((m) => m.id)).toEqual([applicant.lead.id]);
      expect(applicant.officer).toMatchObject({ role: 'municipal-officer', localGovernmentId: applicant.lead.id, via: 'session' });
      expect(applicant.officer.userId).toEqual(expect.any(Number));
    });

    it("registers a cooperation of one reference region: invited by the lead, accepted by each member's own officer", async () => {
      const call = await f.aCall();
      const applicant = await f.anApplicant(call, { kind: 'cooperation', size: 3 });
      expect(applicant.members).toHaveLength(applicant.detail.members.length);
      expect(applicant.detail.members.length).toBeGreaterThanOrEqual(3);
      expect(applicant.detail.members.every((m) => m.state === 'member')).toBe(true);
      expect(new Set(applicant.detail.members.map((m) => m.regionNameNl)).size).toBe(1);
      expect(applicant.detail.eligibility.eligible).toBe(true);
      const trail = await f.get(AuditService).history('applicant', String(applicant.id));
      expect(trail.map((row) => row.action)).toEqual([
        'registered',
        ...applicant.members.slice(1).map(() => 'invitation-accepted'),
        'contact-updated',
        'iban-letter-uploaded',
      ]);
    });

    it("surfaces the service's refusal: a local government already in a cooperation cannot join a second one in the same call", async () => {
      const call = await f.aCall();
      const first = await f.anApplicant(call, { kind: 'cooperation', registeredBy: 'abb' });
      const taken = first.members[1];
      // A municipality of the same reference region that takes part nowhere yet.
      const { rows } = await f.get(ApplicantRegistrationService).coverage(call.year, {});
      const region = rows.find((row) => row.nisCode === taken.nisCode)!.regionId;
      const free = rows.find((row) => row.regionId === region && row.applicantId === null)!;
      const refusal = f.anApplicant(call, { kind: 'cooperation', lead: free.nisCode, members: [taken.id] });
      await expect(refusal).rejects.toBeInstanceOf(Conflict);
      await expect(refusal).rejects.toMatchObject({ code: 'conflict', message: `${taken.nameNl} neemt in dit projectjaar al deel aan "${first.nameNl}".` });
    });

    it('leaves the contact out when asked, so the application cannot be submitted', async () => {
      const call = await f.aCall();
      const applicant = await f.anApplicant(call, { contact: false });
      const refusal = f.aSubmittedApplication(call, { applicant });
      await expect(refusal).rejects.toBeInstanceOf(FieldErrors);
      await expect(refusal).rejects.toMatchObject({ fields: { contact: ['Vul de contactpersoon van de projectindiener in.'] } });
    });
  });

  describe('anApprovedApplication', () => {
    it("confirms exactly the cents computed by hand from the catalogue's unit amounts", async () => {
      const call = await f.aCall();
      const approved = await f.anApprovedApplication(call, {
        lines: [
          { action: 5, planned: 10, confirmed: 8 },
          { action: 9, planned: 2 },
        ],
      });
      const byHand = 8 * call.line(5).unitAmountCents + 2 * call.line(9).unitAmountCents;
      expect(approved.expected.confirmedLinesCents).toBe(byHand);
      expect(approved.application).toMatchObject({ status: 'goedgekeurd', confirmedLinesCents: byHand, confirmedTotalCents: byHand });
      expect(
        approved.application.lines.filter((l) => l.confirmedQuantity !== null).map((l) => [l.actionNumber, l.confirmedQuantity, l.confirmedContributionCents]),
      ).toEqual([
        [5, 8, 8 * call.line(5).unitAmountCents],
        [9, 2, 2 * call.line(9).unitAmountCents],
      ]);
      expect(approved.application.priorities).toEqual({ 5: 1, 9: 2 });
      expect(approved.applicant.detail.confirmedPayoutIban).toBeNull();
      expect((await f.get(ApplicantRegistrationService).get(approved.applicant.id))!.confirmedPayoutIban).toBe('BE68539007547034');
    });

    it("grants and refuses stimuli at the call's amounts", async () => {
      const call = await f.aCall({ year: 1, settings: { mentorshipStimulusEuro: 2500, impactBondStimulusEuro: 5000 } });
      const approved = await f.anApprovedApplication(call, {
        lines: [
          { action: 5, planned: 4 },
          { action: 9, planned: 1 },
        ],
        stimuli: { mentorship: { action: 5, granted: true }, impactBond: { actions: [9], granted: false, reason: 'Geen investeerder gevonden.' } },
      });
      expect(approved.expected.grantedStimuli).toEqual({ mentorship: 250_000 });
      expect(approved.application.stimulusDecisions.mentorship).toMatchObject({ requested: true, granted: true, grantedCents: 250_000 });
      expect(approved.application.stimulusDecisions.impactBond).toMatchObject({
        requested: true,
        granted: false,
        refusalReason: 'Geen investeerder gevonden.',
      });
      expect(approved.application.confirmedTotalCents).toBe(approved.expected.confirmedTotalCents);
      expect(approved.expected.confirmedTotalCents).toBe(4 * call.line(5).unitAmountCents + call.line(9).unitAmountCents + 250_000);
    });

    it('approves two applicants in one call, an alone and a cooperation, each with its own commitments', async () => {
      const call = await f.aCall({ year: 1 });
      const alone = await f.anApprovedApplication(call, { lines: [{ action: 5, planned: 20 }] });
      const cooperation = await f.anApprovedApplication(call, { applicant: { kind: 'cooperation' }, lines: [{ action: 7, planned: 3, confirmed: 1 }] });
      expect(alone.applicant.id).not.toBe(cooperation.applicant.id);
      const queue = await f.get(ReviewService).queue({ year: 1, status: 'goedgekeurd' });
      expect(queue.map((item) => item.id)).toEqual(expect.arrayContaining([alone.id, cooperation.id]));
      for (const approved of [alone, cooperation]) {
        const stored = await f.get(ApplicationsService).get(approved.id);
        expect(stored.confirmedTotalCents).toBe(approved.expected.confirmedTotalCents);
      }
      expect(cooperation.expected.confirmedLinesCents).toBe(call.line(7).unitAmountCents);
    });

    it('continues an approved applicant in a later call that admits only existing applicants', async () => {
      const call2 = await f.aCall({ year: 2 });
      const first = await f.anApprovedApplication(call2, { applicant: { kind: 'cooperation' } });
      const call3 = await f.aCall({ year: 3 });
      expect(call3.settings.onlyExistingApplicants).toBe(true);
      await expect(f.anApplicant(call3)).rejects.toBeInstanceOf(FieldErrors);
      const next = await f.anApprovedApplication(call3, { applicant: { continues: first.applicant }, lines: [{ action: 9, planned: 1 }] });
      expect(next.applicant.detail).toMatchObject({ carriedOverFromId: first.applicant.id, callId: call3.id, kind: 'cooperation' });
      expect(next.applicant.members.map((m) => m.id)).toEqual(first.applicant.members.map((m) => m.id));
      expect(next.application.previousApplicationId).toBe(first.id);
      expect(next.application.confirmedTotalCents).toBe(call3.line(9).unitAmountCents);
    });

    it("keeps the workflow's own rules: only the reviewer approves, only the lead's officer submits", async () => {
      const call = await f.aCall();
      const submitted = await f.aSubmittedApplication(call);
      expect(submitted.application.status).toBe('ingediend');
      const applications = f.get(ApplicationsService);
      await expect(applications.startReview(await f.actors.administrator(), submitted.id, submitted.application.version)).rejects.toBeInstanceOf(NotPermitted);
      const review = await applications.startReview(await f.actors.reviewer(), submitted.id, submitted.application.version);
      expect(review.status).toBe('in-behandeling');
    });
  });

  describe('actors', () => {
    it('are real users, created once', async () => {
      const reviewer = await f.actors.reviewer();
      expect(await f.actors.reviewer()).toEqual(reviewer);
      expect(reviewer).toMatchObject({ role: 'abb-reviewer', localGovernmentId: null, via: 'session', userId: expect.any(Number) });
      const officer = await f.actors.officer('44021');
      expect(officer).toMatchObject({ role: 'municipal-officer', label: expect.stringContaining('Gent') });
      expect(await f.get(UsersService).get(officer.userId!)).toMatchObject({
        role: 'municipal-officer',
        localGovernmentId: officer.localGovernmentId,
        active: true,
      });
    });
  });
});
