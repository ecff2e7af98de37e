import { createHash } from 'node:crypto';
import { ApprovedCommitment } from '@ps/applications';
import { Cents, FieldErrors } from '@ps/kernel';
import { AllocationPolicy } from './allocation-rules';
import { PublishDto } from './allocation.dto';

/**
 * The publication rules of an allocation run. A run is published only on the inputs it was computed from
 * (`inputHash`: the budget, the policy and every approved commitment, so a re-run or a reopened application
 * makes an older run unpublishable), and while submitted applications still wait for a decision only with a
 * confirmation and a reason (`pendingReviewReason`).
 */

/** SHA-256 of everything a run's result depends on, in a fixed order: equal hashes, equal results. */
export function inputHash(budgetCents: Cents, policy: AllocationPolicy, approved: ApprovedCommitment[]): string {
  const inputs = [...approved]
    .sort((a, b) => a.applicantId - b.applicantId)
    .map((a) => [
      a.applicantId,
      a.applicationId,
      a.confirmedPayoutIban,
      a.lines.map((l) => [l.kpiLineId, l.actionNumber, l.priority, l.amountCents]),
      a.stimuli,
    ]);
  return createHash('sha256')
    .update(JSON.stringify([budgetCents, policy, inputs]))
    .digest('hex');
}

/** Null when no application waits; else the publisher's reason, refused per field without confirmation or reason. */
export function pendingReviewReason(pending: number[], input: PublishDto): string | null {
  if (pending.length === 0) return null;
  const reason = input.reason?.trim() ?? '';
  const errors: Record<string, string[]> = {};
  if (input.confirmPendingReview !== true) {
    errors.confirmPendingReview = [
      `${pending.length} ingediende aanvra${pending.length === 1 ? 'ag wacht' : 'gen wachten'} nog op een beslissing. Bevestig dat u toch publiceert.`,
    ];
  }
  if (reason === '') errors.reason = ['Geef de reden waarom u publiceert voor alle aanvragen beslist zijn.'];
  if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
  return reason;
}
