import { brusselsToInstant } from '@ps/kernel';
import { brusselsDaysLeft, reminderDue } from './reminder-schedule';

describe('report reminder schedule (Brussels calendar days)', () => {
  const due = brusselsToInstant('2025-03-31T23:59');
  const at = (local: string) => brusselsToInstant(local);

  it('counts calendar days in Brussels, across the change to summer time', () => {
    // 30 March 2025 is the last Sunday of March: the night has 23 hours, the count does not change.
    expect(brusselsDaysLeft(at('2025-03-17T07:00'), due)).toBe(14);
    expect(brusselsDaysLeft(at('2025-03-17T00:00'), due)).toBe(14);
    expect(brusselsDaysLeft(at('2025-03-16T23:59'), due)).toBe(15);
    expect(brusselsDaysLeft(at('2025-03-30T12:00'), due)).toBe(1);
    expect(brusselsDaysLeft(at('2025-03-31T00:30'), due)).toBe(0);
    // 22:30 UTC on 16 March is already 17 March in Brussels.
    expect(brusselsDaysLeft(new Date('2025-03-16T23:30:00Z'), due)).toBe(14);
  });

  it('sends the 14-day reminder on days 14..4, the 3-day one on days 3..1 and the last one on the day itself, before the moment', () => {
    const stages = [15, 14, 13, 5, 4, 3, 2, 1, 0].map((daysBefore) => {
      const day = new Date(Date.UTC(2025, 2, 31 - daysBefore, 6)); // 07:00 or 08:00 in Brussels
      return [daysBefore, reminderDue(day, due)?.stage ?? null];
    });
    expect(stages).toEqual([
      [15, null],
      [14, 14],
      [13, 14],
      [5, 14],
      [4, 14],
      [3, 3],
      [2, 3],
      [1, 3],
      [0, 0],
    ]);
    expect(reminderDue(at('2025-03-31T23:59'), due)).toBeNull();
    expect(reminderDue(at('2025-04-01T07:00'), due)).toBeNull();
  });
});
