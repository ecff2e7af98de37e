import { MAX_ATTEMPTS, nextAttemptAfterFailure } from './delivery-policy';

describe('nextAttemptAfterFailure', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const minutesLater = (at: Date | null) => (at ? (at.getTime() - now.getTime()) / 60_000 : null);

  it('tries again after 1, 2, 4 … minutes, at most an hour apart', () => {
    expect([1, 2, 3, 4, 7].map((attempts) => minutesLater(nextAttemptAfterFailure(now, attempts, 451)))).toEqual([1, 2, 4, 8, 60]);
    expect(minutesLater(nextAttemptAfterFailure(now, 1, undefined))).toBe(1);
  });

  it('gives up after the last attempt', () => {
    expect(nextAttemptAfterFailure(now, MAX_ATTEMPTS, 421)).toBeNull();
    expect(nextAttemptAfterFailure(now, MAX_ATTEMPTS - 1, undefined)).not.toBeNull();
  });

  it('does not retry a permanent refusal', () => {
    expect(nextAttemptAfterFailure(now, 1, 550)).toBeNull();
    expect(nextAttemptAfterFailure(now, 1, 500)).toBeNull();
    expect(nextAttemptAfterFailure(now, 1, 499)).not.toBeNull();
  });
});
