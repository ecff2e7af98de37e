import { submissionDigest, submittedContent } from './submission-receipt';
import { Application } from './application-records';

const line = (id: number, plannedReach: number) =>
  ({ id, currentReach: 10, plannedReach, contributionCents: plannedReach * 100 }) as Application['lines'][number];
const base = {
  id: 7,
  applicantId: 3,
  callId: 1,
  submittedAt: new Date('2026-03-31T21:59:00Z'),
  lines: [line(2, 20), line(1, 10)],
  priorities: { 5: 1, 2: 2 },
  stimuli: { mentorship: false, cooperation: true } as unknown as Application['stimuli'],
};

describe('submission digest', () => {
  it('is a SHA-256 in hex, the same for the same content in any order', () => {
    const digest = submissionDigest(base);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(submissionDigest({ ...base, lines: [...base.lines].reverse(), priorities: { 2: 2, 5: 1 } })).toBe(digest);
    expect(submittedContent(base).lines).toEqual([
      [1, 10, 10, 1000],
      [2, 10, 20, 2000],
    ]);
  });

  it('changes with any submitted figure or the moment', () => {
    const digest = submissionDigest(base);
    expect(submissionDigest({ ...base, lines: [line(1, 10), line(2, 21)] })).not.toBe(digest);
    expect(submissionDigest({ ...base, priorities: { 5: 2, 2: 1 } })).not.toBe(digest);
    expect(submissionDigest({ ...base, submittedAt: new Date('2026-03-31T22:00:00Z') })).not.toBe(digest);
    expect(submissionDigest({ ...base, stimuli: { mentorship: true, cooperation: true } as unknown as Application['stimuli'] })).not.toBe(digest);
  });
});
