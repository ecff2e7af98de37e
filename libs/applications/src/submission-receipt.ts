import { createHash } from 'node:crypto';
import { Application } from './application-records';

/** What a submission consists of, in a fixed order: the record the digest is taken of. */
export function submittedContent(application: Pick<Application, 'id' | 'applicantId' | 'callId' | 'lines' | 'priorities' | 'stimuli' | 'submittedAt'>) {
  return {
    application: application.id,
    applicant: application.applicantId,
    call: application.callId,
    submittedAt: application.submittedAt?.toISOString() ?? null,
    lines: [...application.lines].sort((a, b) => a.id - b.id).map((l) => [l.id, l.currentReach, l.plannedReach, l.contributionCents]),
    priorities: Object.entries(application.priorities)
      .map(([action, priority]) => [Number(action), priority])
      .sort((a, b) => a[0] - b[0]),
    stimuli: Object.fromEntries(Object.entries(application.stimuli ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/**
 * The SHA-256 (hex) of what was submitted, at the moment of submission: kept with the application and told in the
 * receipt, so the applicant can later prove what was submitted and when (a changed line gives another digest).
 */
export function submissionDigest(application: Parameters<typeof submittedContent>[0]): string {
  return createHash('sha256')
    .update(JSON.stringify(submittedContent(application)))
    .digest('hex');
}
