import { ApprovedCommitments } from '@ps/applications';
import { Factories, startFactories } from '../support/factories';

/** The read model allocation and payments start from: what was approved, per applicant, action and KPI line, in exact cents. */
describe('approved commitments of a call', () => {
  let f: Factories;
  beforeAll(async () => (f = await startFactories()));
  afterAll(() => f?.close());

  it('lists each approved application with its confirmed lines, priorities, granted stimuli and total, checked by hand', async () => {
    const call = await f.aCall({
      year: 1,
      settings: { mentorshipStimulusEuro: 2500, impactBondStimulusEuro: 5000 },
      kpiLines: [{ action: 5, unitAmountEuro: 650.55 }],
    });
    const approved = await f.anApprovedApplication(call, {
      lines: [
        { action: 9, planned: 3, confirmed: 2 },
        { action: 5, planned: 10, confirmed: 7 },
        { action: 13, planned: 4, confirmed: 0 },
      ],
      stimuli: { mentorship: { action: 5, granted: true }, impactBond: { actions: [9], granted: false, reason: 'Geen investeerder gevonden.' } },
    });
    const submittedOnly = await f.aSubmittedApplication(call, { lines: [{ action: 5, planned: 1 }] });

    const commitments = await f.get(ApprovedCommitments).ofYear(f.dataSource.manager, 1);

    expect(commitments.map((c) => c.applicationId)).toEqual([approved.id]);
    expect(commitments.map((c) => c.applicationId)).not.toContain(submittedOnly.id);
    const [mine] = commitments;
    const unit9 = call.line(9).unitAmountCents;
    expect(call.line(5).unitAmountCents).toBe(65_055);
    expect(mine).toMatchObject({
      applicantId: approved.applicant.id,
      applicantNameNl: approved.applicant.nameNl,
      leadLocalGovernmentId: approved.applicant.lead.id,
      confirmedPayoutIban: 'BE68539007547034',
    });
    // Priorities follow the order the lines were asked in; a line confirmed at 0 commits nothing and is left out.
    expect(mine.lines).toEqual([
      {
        actionNumber: 5,
        priority: approved.application.priorities[5],
        kpiLineId: call.line(5).id,
        confirmedQuantity: 7,
        unitAmountCents: 65_055,
        amountCents: 455_385,
      },
      {
        actionNumber: 9,
        priority: approved.application.priorities[9],
        kpiLineId: call.line(9).id,
        confirmedQuantity: 2,
        unitAmountCents: unit9,
        amountCents: 2 * unit9,
      },
    ]);
    expect(mine.stimuli).toEqual([{ kind: 'mentorship', cents: 250_000 }]);
    expect(mine.confirmedTotalCents).toBe(455_385 + 2 * unit9 + 250_000);
    expect(mine.confirmedTotalCents).toBe(approved.application.confirmedTotalCents);
  });

  it('is empty for a year without approvals or an unknown year', async () => {
    expect(await f.get(ApprovedCommitments).ofYear(f.dataSource.manager, 3)).toEqual([]);
    expect(await f.get(ApprovedCommitments).ofYear(f.dataSource.manager, 99)).toEqual([]);
  });
});
