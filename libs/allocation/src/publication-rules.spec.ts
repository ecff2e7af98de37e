import { ApprovedCommitment } from '@ps/applications';
import { FieldErrors } from '@ps/kernel';
import { inputHash, pendingReviewReason } from './publication-rules';

const commitment = (applicantId: number, overrides: Partial<ApprovedCommitment> = {}): ApprovedCommitment => ({
  applicationId: applicantId * 10,
  applicantId,
  applicantNameNl: `Aanvrager ${applicantId}`,
  leadLocalGovernmentId: applicantId,
  confirmedPayoutIban: 'BE68539007547034',
  lines: [
    { kpiLineId: 1, actionNumber: 5, priority: 1, confirmedQuantity: 10, unitAmountCents: 25_000, amountCents: 250_000 } as ApprovedCommitment['lines'][number],
  ],
  requestedByAction: { 5: 250_000 },
  stimuli: [],
  confirmedTotalCents: 250_000,
  ...overrides,
});

const PRIORITY = { kind: 'priority-rounds', stimuliFirst: true } as const;

describe('inputHash: a run is published only on the inputs it was computed from', () => {
  it('is the same whatever the order of the commitments', () => {
    expect(inputHash(1_000_000, PRIORITY, [commitment(1), commitment(2)])).toBe(inputHash(1_000_000, PRIORITY, [commitment(2), commitment(1)]));
  });

  it('changes with the budget, the policy, a line, a priority, a stimulus or the confirmed account', () => {
    const base = inputHash(1_000_000, PRIORITY, [commitment(1)]);
    const line = commitment(1).lines[0];
    const variants = [
      inputHash(1_000_001, PRIORITY, [commitment(1)]),
      inputHash(1_000_000, { kind: 'pro-rata' }, [commitment(1)]),
      inputHash(1_000_000, PRIORITY, [commitment(1, { lines: [{ ...line, amountCents: 250_001 }] })]),
      inputHash(1_000_000, PRIORITY, [commitment(1, { lines: [{ ...line, priority: 2 }] })]),
      inputHash(1_000_000, PRIORITY, [commitment(1, { stimuli: [{ kind: 'cooperation', cents: 500_000 }] })]),
      inputHash(1_000_000, PRIORITY, [commitment(1, { confirmedPayoutIban: 'BE71096123456769' })]),
      inputHash(1_000_000, PRIORITY, [commitment(1), commitment(2)]),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('ignores what does not drive the result: names and requested amounts', () => {
    expect(inputHash(1_000_000, PRIORITY, [commitment(1, { applicantNameNl: 'Andere naam', requestedByAction: { 5: 1 } })])).toBe(
      inputHash(1_000_000, PRIORITY, [commitment(1)]),
    );
  });
});

describe('pendingReviewReason: publishing while applications still wait for a decision', () => {
  const refusal = (pending: number[], input: { confirmPendingReview?: boolean; reason?: string }) => {
    try {
      pendingReviewReason(pending, input);
    } catch (error) {
      return error instanceof FieldErrors ? error.fields : error;
    }
    return null;
  };

  it('needs nothing when no application waits', () => {
    expect(pendingReviewReason([], {})).toBeNull();
  });

  it('needs a confirmation and a reason, each refused under its own field', () => {
    expect(refusal([7], {})).toEqual({
      confirmPendingReview: ['1 ingediende aanvraag wacht nog op een beslissing. Bevestig dat u toch publiceert.'],
      reason: ['Geef de reden waarom u publiceert voor alle aanvragen beslist zijn.'],
    });
    expect(refusal([7, 8], { confirmPendingReview: true, reason: '   ' })).toEqual({
      reason: ['Geef de reden waarom u publiceert voor alle aanvragen beslist zijn.'],
    });
    expect(refusal([7, 8], { reason: 'Budgetjaar sluit' })).toEqual({
      confirmPendingReview: ['2 ingediende aanvragen wachten nog op een beslissing. Bevestig dat u toch publiceert.'],
    });
  });

  it('gives the trimmed reason once confirmed', () => {
    expect(pendingReviewReason([7], { confirmPendingReview: true, reason: '  Budgetjaar sluit ' })).toBe('Budgetjaar sluit');
  });
});
